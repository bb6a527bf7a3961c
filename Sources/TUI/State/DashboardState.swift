#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif
package import Core

/// What the overview shows, fetched in one refresh by Core's `dashboardOverview`.
package typealias OverviewData = DashboardOverview

/// A text being typed into the filter or search prompt.
package struct Prompt: Sendable, Equatable {
    package enum Purpose: Sendable, Equatable { case filter, search }
    package var purpose: Purpose
    package var text: String
}

/// Everything the dashboard shows; changed only by ``DashboardState/reduce(_:)``.
package struct DashboardState: Sendable {
    /// The API URL and where it came from, known before the first answer.
    package var serverURL = ""
    package var view: View = .overview
    /// Where Esc goes back to.
    package var backStack: [View] = []
    package var connection: Connection = .connecting
    package var lastRefresh: Date?
    package var overview: OverviewData?
    /// The count window the overview shows, cycled with `c`.
    package var windowIndex = 1
    package static let windows: [(label: String, window: TimeWindow)] = [("1h", TimeWindow(seconds: 3600)), ("24h", .day), ("7d", TimeWindow(seconds: 604_800))]
    /// The selected row of each list view.
    package var selection: [View: Int] = [:]
    package var logs = LogBuffer()
    /// The run whose log is shown.
    package var logRun: FlowRunRow?
    package var wrap = false
    package var timestamps = true
    package var prompt: Prompt?
    package var size: (width: Int, height: Int) = (80, 24)
    package var shouldQuit = false

    package init() {}

    package var window: (label: String, window: TimeWindow) { Self.windows[windowIndex] }

    /// Rows of the log view: the screen minus header, tabs, indicator and status bar.
    package var logHeight: Int { max(1, size.height - 4) }

    /// The rows of the list the selection moves in.
    package var listCount: Int {
        switch view {
        case .overview, .runs: overview?.recentRuns.count ?? 0
        case .workPools: overview?.status.workPools.count ?? 0
        default: 0
        }
    }

    package var selectedRun: FlowRunRow? {
        let index = selection[view] ?? 0
        guard let runs = overview?.recentRuns, runs.indices.contains(index) else { return nil }
        return runs[index]
    }
}
