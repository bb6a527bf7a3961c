package import Core
package import FoundationEssentials

/// What the overview shows, fetched in one refresh by Core's `dashboardOverview`.
package typealias OverviewData = DashboardOverview

/// A text being typed into the filter or search prompt.
package struct Prompt: Sendable, Equatable {
    package enum Purpose: Sendable, Equatable { case filter, search }
    package var purpose: Purpose
    package var text: String
}

/// A line in the status bar about the last write.
package struct Notice: Sendable, Equatable {
    package var text: String
    package var isError: Bool
}

/// What the shown view needs from Prefect; a refresh runs the query of the view on screen.
package enum Query: Sendable, Equatable {
    case overview(TimeWindow)
    case runs(RunSearch)
    case runDetail(id: String)
    case deployments
    /// The deployments, and the newest finished runs of the one whose detail is shown.
    case deploymentDetail(id: String)
    case workPools
}

/// A query's answer.
package enum Loaded: Sendable {
    case overview(OverviewData)
    case runs(RunSearch, [FlowRunRow])
    case runDetail(FlowRunDetail)
    /// The deployments, and whether more exist than were fetched.
    case deployments([DeploymentRow], more: Bool = false)
    case deploymentDetail([DeploymentRow], more: Bool, id: String, FinishedRuns)
    case workPools([WorkPoolDetail])
}

/// Everything the dashboard shows; changed only by ``DashboardState/reduce(_:)``.
package struct DashboardState: Sendable {
    /// The API URL and where it came from, known before the first answer.
    package var serverURL = ""
    package var view: View = .overview
    /// Where Esc goes back to.
    package var backStack: [View] = []
    package var connection: Connection = .connecting
    /// How the dashboard learns of changes: Prefect's pushed events, or events read by polling; nil until the
    /// change feed reports (then every refresh is timed by the polling interval).
    package var feedMode: FeedMode?
    /// When an event first touched what the shown view holds since the last refresh began; the next refresh
    /// comes soon after (``changeDelay``), coalescing the events that follow it.
    package var changedAt: Date?
    /// The kinds of what those events were about (`flow-run`, `work-pool`, …): a refresh that only runs' state
    /// changes asked for keeps the overview's pools.
    package var changedKinds: Set<String> = []
    /// Runs' state changes the events told while a refresh was under way: its answer may have been read before them,
    /// so they are applied again on it.
    package var patchesSinceRefresh: [FlowRunStateChange] = []
    /// Events that occurred before this (the feed's backfill) fill the Events view but do not trigger a refresh.
    package var watchingSince = Date.distantFuture
    /// The event feed, newest first (``eventsKept`` at most).
    package var events: [Event] = []
    package static let eventsKept = 500
    package var lastRefresh: Date?
    /// When the refresh under way was asked for; nil while none is.
    package var refreshStarted: Date?
    /// When the last refresh was asked for; `.distantPast` makes the next one due at once.
    package var lastRefreshAttempt = Date.distantPast
    /// Whether the next refresh reads everything again (a key or a new view asked for it) rather than keeping the
    /// overview's slow parts while nothing they depend on changed.
    package var nextRefreshIsFull = true
    /// How long a refresh may take before the header stops saying "live".
    package static let overdueAfter: TimeInterval = 3
    package var overview: OverviewData?
    /// The count window the overview shows, cycled with `c`.
    package var windowIndex = 1
    /// Each window's run history is charted in `columns` equal columns (2 min, 1 h, 6 h).
    package static let windows: [(label: String, window: TimeWindow, columns: Int)] = [
        ("1h", TimeWindow(seconds: 3600), 30), ("24h", .day, 24), ("7d", TimeWindow(seconds: 604_800), 28),
    ]
    /// The selected row of each list view; the first shown line of each detail view. A refresh keeps a list's
    /// selection on the same object (``rowIDs(of:)``), not on the same row number.
    package var selection: [View: Int] = [:]

    /// The Runs view: the applied search, what was typed for it, and the newest runs matching it.
    package var runSearch = RunSearch()
    package var runSearchText = ""
    package var runSearchError: String?
    package var runs: (search: RunSearch, rows: [FlowRunRow])?
    package static let runsShown = 200

    /// The run whose detail is shown, and the detail once loaded.
    package var detailRun: FlowRunRow?
    package var runDetail: FlowRunDetail?

    package var deployments: [DeploymentRow]?
    /// More deployments exist than the ``deploymentsShown`` fetched; the list's title says so.
    package var moreDeployments = false
    package static let deploymentsShown = 500
    /// The finished runs a deployment's detail charts.
    package static let finishedRunsShown = 30
    package var workPools: [WorkPoolDetail]?
    /// The text filters of the Deployments and Work pools lists.
    package var listFilters: [View: String] = [:]
    /// The deployment or pool whose detail is shown.
    package var detailDeploymentID: String?
    /// The newest finished runs of the deployment whose detail is shown, once read.
    package var deploymentRuns: (id: String, runs: FinishedRuns)?
    package var detailWorkPoolName: String?

    package var logs = LogBuffer()
    /// The run whose log is shown.
    package var logRun: FlowRunRow?
    package var wrap = false
    package var timestamps = true
    package var prompt: Prompt?
    /// Whether the dashboard may change Prefect (`--allow-writes`): without it no write key is bound.
    package var writes = false
    /// A write waiting for y/N.
    package var confirmation: WriteRequest?
    /// A pick among writes (a pool and its queues), before its confirmation.
    package var choice: Choice?
    /// The run form of a deployment, while open.
    package var form: RunForm?
    /// The outcome of the last write, or why it failed, until the next key.
    package var notice: Notice?
    package var size: (width: Int, height: Int) = (80, 24)
    /// The keys: ``KeyMap/standard`` with a config file's overrides.
    package var keyMap = KeyMap.standard
    /// Whether the terminal shows colours (not with NO_COLOR): without them the run history marks states by glyph.
    package var colors = true
    /// The profile picker, while open.
    package var picker: ProfilePicker?
    /// The profile the dashboard was started or switched with, until the overview names it.
    package var startingProfile: String?
    /// The last press of a list row, to tell a double click.
    var lastClick: (view: View, row: Int, at: Date)?
    package var shouldQuit = false

    package init() {}

    package var window: (label: String, window: TimeWindow, columns: Int) { Self.windows[windowIndex] }

    /// The chart's columns for a count window.
    package static func historyColumns(for window: TimeWindow) -> Int { windows.first { $0.window == window }?.columns ?? 1 }

    /// Rows of the log view: the screen minus header, tabs, indicator and status bar.
    package var logHeight: Int { max(1, size.height - 4) }

    /// Rows of a detail view: the screen minus header, tabs and status bar.
    package var detailHeight: Int { max(1, size.height - 3) }

    /// Columns of a detail view's text: the screen minus a margin on each side.
    package var detailWidth: Int { max(1, size.width - 2) }

    /// What a refresh fetches for the view on screen (Logs and Help keep the overview fresh underneath).
    package var query: Query {
        switch view {
        case .runs: .runs(runSearch)
        case .runDetail: detailRun.map { .runDetail(id: $0.id) } ?? .runs(runSearch)
        case .deployments: .deployments
        case .deploymentDetail: detailDeploymentID.map { .deploymentDetail(id: $0) } ?? .deployments
        case .workPools, .workPoolDetail: .workPools
        case .overview, .logs, .events, .help: .overview(window.window)
        }
    }

    package var shownDeployments: [DeploymentRow] {
        guard let rows = deployments else { return [] }
        return Self.matching(rows, listFilters[.deployments]) {
            [$0.slug, $0.status ?? "", $0.paused ? "paused" : "", $0.workPoolName ?? "", $0.workQueueName ?? ""] + $0.tags
        }
    }

    package var shownWorkPools: [WorkPoolDetail] {
        guard let pools = workPools else { return [] }
        return Self.matching(pools, listFilters[.workPools]) { [$0.health.name, $0.health.type ?? "", $0.health.status ?? ""] }
    }

    package var detailDeployment: DeploymentRow? { deployments?.first { $0.id == detailDeploymentID } }
    package var detailWorkPool: WorkPoolDetail? { workPools?.first { $0.health.name == detailWorkPoolName } }

    /// Rows whose fields contain every word of `filter`, ignoring case.
    static func matching<Row>(_ rows: [Row], _ filter: String?, fields: (Row) -> [String]) -> [Row] {
        let words = (filter ?? "").lowercased().split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return rows }
        return rows.filter { row in
            let text = fields(row).joined(separator: " ").lowercased()
            return words.allSatisfy { text.contains($0) }
        }
    }

    /// The runs the Overview's selection moves through: the Late and stuck panel's, then the recent ones.
    package var overviewRuns: [FlowRunRow] {
        (overview?.lateRuns.runs.map(\.run) ?? []) + (overview?.recentRuns ?? [])
    }

    /// What each row of a list view is, in order; nil for a view that is not a list. A run can be both late and
    /// recent, so the Overview's ids name the panel too.
    package func rowIDs(of target: View) -> [String]? {
        switch target {
        case .overview:
            (overview?.lateRuns.runs.map { "late \($0.run.id)" } ?? []) + (overview?.recentRuns.map { "recent \($0.id)" } ?? [])
        case .runs: runs?.rows.map(\.id) ?? []
        case .deployments: shownDeployments.map(\.id)
        case .workPools: shownWorkPools.map(\.health.name)
        case .events: shownEvents.map(\.id)
        default: nil
        }
    }

    /// The rows of the list the selection moves in, or the lines of the detail shown.
    package func listCount(of target: View) -> Int {
        switch target {
        case .overview, .runs, .deployments, .workPools, .events: rowIDs(of: target)?.count ?? 0
        case .runDetail, .deploymentDetail, .workPoolDetail: detailLines(of: target).count
        case .logs, .help: 0
        }
    }

    /// The rows of a detail view at the screen's width; the count does not depend on the time.
    package func detailLines(of target: View, now: Date? = nil) -> [DetailLine] {
        let lines: [DetailLine] =
            switch target {
            case .runDetail: runDetail.map { DetailText.run($0, now: now ?? lastRefresh ?? .distantPast) } ?? []
            case .deploymentDetail:
                detailDeployment.map { row in DetailText.deployment(row, finished: deploymentRuns.flatMap { $0.id == row.id ? $0.runs : nil }) } ?? []
            case .workPoolDetail: detailWorkPool.map { DetailText.workPool($0) } ?? []
            default: []
            }
        return DetailText.rows(lines, width: detailWidth)
    }

    /// The run the selection points at: a row of Overview or Runs, or the run whose detail is open.
    package var selectedRun: FlowRunRow? {
        if view == .runDetail { return runDetail?.diagnosis.run ?? detailRun }
        let rows: [FlowRunRow] =
            switch view {
            case .overview: overviewRuns
            case .runs: runs?.rows ?? []
            default: []
            }
        return row(of: rows, in: view)
    }

    /// The row the cursor of `list` is on in `rows`; nil when the list is empty or the cursor is past its end.
    func row<Row>(of rows: [Row], in list: View) -> Row? {
        let index = selection[list] ?? 0
        return rows.indices.contains(index) ? rows[index] : nil
    }
}
