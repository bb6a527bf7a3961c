#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// What the dashboard's overview shows, read in one refresh: exact counts and pool health, the late runs with
/// their causes, and the recent runs.
package struct DashboardOverview: Sendable {
    package var status: ServerStatus
    package var lateRuns: LateRunsReport
    package var recentRuns: [FlowRunRow]

    package init(status: ServerStatus, lateRuns: LateRunsReport, recentRuns: [FlowRunRow]) {
        self.status = status
        self.lateRuns = lateRuns
        self.recentRuns = recentRuns
    }
}

extension PrefectClient {
    /// The overview, its three parts read concurrently.
    package func dashboardOverview(settings: PrefectSettings, window: TimeWindow, recent: Int = 50, late: Int = 10, now: Date = Date()) async throws -> DashboardOverview {
        async let status = status(settings: settings, window: window, now: now)
        async let lateRuns = diagnoseLateRuns(limit: late, now: now, ui: settings.uiURL)
        async let recentRuns = recentFlowRuns(filter: nil, limit: recent, offset: 0, now: now, ui: settings.uiURL, upcomingShown: nil)
        return DashboardOverview(status: try await status, lateRuns: try await lateRuns, recentRuns: try await recentRuns.page.items)
    }
}
