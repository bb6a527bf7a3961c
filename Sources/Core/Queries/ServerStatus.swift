package import FoundationEssentials
import JSONValue

/// The one-screen summary behind `prefect-mcp status` (and the dashboard header and MCP `get_dashboard`).
/// Every count is exact at any scale: from a count or history endpoint, or from one read that holds every run it
/// counts (``LiveRunCounts``, which falls back to count endpoints when the runs fill a page).
package struct ServerStatus: Codable, Sendable, Equatable {
    package var server: Connection
    package var window: Window
    package var flowRuns: FlowRunCounts
    package var workPools: [WorkPoolHealth]
    /// The window's runs by state in equal columns, oldest first, when asked for more than one
    /// (``PrefectClient/status(settings:window:historyColumns:now:shared:keepingPools:)``): the dashboard's chart.
    /// Not part of the JSON answers.
    package var history: [HistoryColumn] = []

    enum CodingKeys: String, CodingKey {
        case server, window
        case flowRuns = "flow_runs"
        case workPools = "work_pools"
    }

    /// Where we are connected and what answers there.
    package struct Connection: Codable, Sendable, Equatable, EncodesAbsentAsNull {
        package var apiURL: String
        /// Where the URL came from: `flag --api-url`, `env PREFECT_API_URL`, `profile 'local' (PREFECT_API_URL)`.
        package var apiURLSource: String
        package var profile: String?
        /// `self-hosted` or `cloud`.
        package var kind: String
        /// Prefect Cloud's account and workspace ids, parsed from the URL.
        package var accountID: String?
        package var workspaceID: String?
        /// `basic auth (env PREFECT_API_AUTH_STRING)`, `API key (profile 'cloud' …)` or nil; never the secret.
        package var credential: String?
        /// The Prefect release (`/admin/version`), e.g. `3.9.1`.
        package var version: String?
        /// The API version (`/version`), e.g. `0.8.4`.
        package var apiVersion: String?
        package var healthy: Bool
        package var uiURL: String

        enum CodingKeys: String, CodingKey {
            case profile, kind, credential, version, healthy
            case accountID = "account_id"
            case workspaceID = "workspace_id"
            case apiURL = "api_url"
            case apiURLSource = "api_url_source"
            case apiVersion = "api_version"
            case uiURL = "ui_url"
        }
    }

    /// The counting window: runs whose expected start time is in `[start, end)`.
    package struct Window: Codable, Sendable, Equatable {
        package var label: String
        package var start: Date
        package var end: Date
    }

    package struct FlowRunCounts: Codable, Sendable, Equatable {
        /// Runs expected to start in the window.
        package var total: Int
        /// Runs in the window by state, in lifecycle order.
        package var byState: [StateCount]
        /// All runs Prefect marked Late, whatever their time.
        package var late: Int
        /// All runs RUNNING now.
        package var running: Int
        /// All runs PENDING now.
        package var pending: Int
        /// Scheduled runs expected after now (not late, not counted in the window).
        package var upcoming: Int

        enum CodingKeys: String, CodingKey {
            case total, late, running, pending, upcoming
            case byState = "by_state"
        }

        /// The count of one (type, name) in the window; 0 when absent.
        package func count(_ key: StateKey) -> Int {
            byState.first { $0.type == key.type && $0.name == key.name }?.count ?? 0
        }

        /// Runs in the window by state type (`COMPLETED`), names together.
        package var byType: [String: Int] { counts.byType }
        /// Runs in the window by state name (`Late`), types together.
        package var byName: [String: Int] { counts.byName }

        private var counts: [StateKey: Int] {
            Dictionary(byState.map { (StateKey(type: $0.type, name: $0.name), $0.count) }, uniquingKeysWith: +)
        }

        /// The count of one state type in the window, all names together.
        package func count(_ type: StateType) -> Int {
            byState.filter { $0.type == type }.reduce(0) { $0 + $1.count }
        }
    }

    package struct StateCount: Codable, Sendable, Equatable {
        package var type: StateType
        package var name: String
        package var count: Int

        package init(type: StateType, name: String, count: Int) {
            self.type = type
            self.name = name
            self.count = count
        }
    }

    /// One column of ``history``: runs expected to start in `[start, end)`, by state.
    package struct HistoryColumn: Sendable, Equatable {
        package var start: Date
        package var end: Date
        package var counts: [StateCount]

        package init(start: Date, end: Date, counts: [StateCount]) {
            self.start = start
            self.end = end
            self.counts = counts
        }

        package var total: Int { counts.reduce(0) { $0 + $1.count } }
    }

    /// A work pool and what serves it.
    package struct WorkPoolHealth: Codable, Sendable, Equatable {
        package var name: String
        package var type: String?
        /// `READY`, `NOT_READY` or `PAUSED`.
        package var status: String?
        package var isPaused: Bool
        package var concurrencyLimit: Int?
        package var workers: Int
        package var onlineWorkers: Int
        /// The freshest heartbeat of any worker.
        package var lastHeartbeat: Date?
        /// Late runs assigned to this pool.
        package var lateRuns: Int
        /// RUNNING or PENDING runs in this pool (the slots a pool limit counts).
        package var activeRuns: Int

        /// The status as every face shows it: `PAUSED` when paused (whatever the stored status says), else the
        /// status, `?` when the server gave none.
        package var displayStatus: String { isPaused ? "PAUSED" : status ?? "?" }

        enum CodingKeys: String, CodingKey {
            case name, type, status, workers
            case isPaused = "is_paused"
            case concurrencyLimit = "concurrency_limit"
            case onlineWorkers = "online_workers"
            case lastHeartbeat = "last_heartbeat"
            case lateRuns = "late_runs"
            case activeRuns = "active_runs"
        }
    }
}

extension ServerStatus {
    /// What the late-run diagnosis depends on that the status reads anyway: the late, running and pending counts,
    /// and each pool's name, status, pause, limit and online workers. While it stays the same, the dashboard keeps
    /// its last diagnosis (for at most ``DashboardOverview/diagnosisMaxAge``).
    package struct Fingerprint: Equatable, Sendable {
        struct Pool: Equatable {
            var name: String
            var status: String?
            var isPaused: Bool
            var concurrencyLimit: Int?
            var onlineWorkers: Int
        }

        var late: Int
        var running: Int
        var pending: Int
        var pools: [Pool]

        /// Whether only the running and pending counts differ from `other`: runs started or ended, but none turned
        /// Late or stopped being Late, and no pool changed.
        func differsOnlyInActiveRuns(from other: Fingerprint) -> Bool {
            late == other.late && pools == other.pools && (running != other.running || pending != other.pending)
        }
    }

    package var fingerprint: Fingerprint {
        Fingerprint(
            late: flowRuns.late, running: flowRuns.running, pending: flowRuns.pending,
            pools: workPools.map {
                .init(name: $0.name, status: $0.status, isPaused: $0.isPaused, concurrencyLimit: $0.concurrencyLimit, onlineWorkers: $0.onlineWorkers)
            })
    }
}
