/// What `scripts/seed.py` wrote about the scenario it built: the oracle of the integration tests.
public struct SeedManifest: Decodable, Sendable {
    public var apiURL: String
    public var flowRuns: FlowRuns
    public var workPools: [String: Pool]
    public var deployments: [String: String]
    public var runs: Runs
    public var concurrency: Concurrency
    public var variables: Int
    public var artifacts: Int
    public var automations: Int
    public var customEvents: Int

    enum CodingKeys: String, CodingKey {
        case runs, concurrency, variables, artifacts, automations, deployments
        case apiURL = "api_url"
        case flowRuns = "flow_runs"
        case workPools = "work_pools"
        case customEvents = "custom_events"
    }

    public struct FlowRuns: Decodable, Sendable {
        public var total: Int
        public var inWindow: InWindow
        public var late: Int
        public var running: Int
        public var upcoming: Int

        enum CodingKeys: String, CodingKey {
            case total, late, running, upcoming
            case inWindow = "in_window"
        }
    }

    public struct InWindow: Decodable, Sendable {
        public var total: Int
        /// Keyed `STATE_TYPE/state_name`, e.g. `SCHEDULED/Late`.
        public var byState: [String: Int]

        enum CodingKeys: String, CodingKey {
            case total
            case byState = "by_state"
        }
    }

    public struct Pool: Decodable, Sendable {
        public var isPaused: Bool
        public var status: String?
        public var concurrencyLimit: Int?
        public var onlineWorkers: Int
        public var workers: [String]
        public var lateRuns: Int
        public var queues: [String]

        enum CodingKeys: String, CodingKey {
            case status, workers, queues
            case isPaused = "is_paused"
            case concurrencyLimit = "concurrency_limit"
            case onlineWorkers = "online_workers"
            case lateRuns = "late_runs"
        }
    }

    public struct Runs: Decodable, Sendable {
        public var failedLongLog: LongLog
        public var runningGPU: String
        public var lateGPU: String
        public var lateNoWorker: String
        public var latePausedPool: String
        public var latePausedQueue: String
        /// A Late run waiting on a slot leaked by no run (see the seed's slot_mismatches).
        public var lateLeaky: String

        enum CodingKeys: String, CodingKey {
            case failedLongLog = "failed_long_log"
            case runningGPU = "running_gpu"
            case lateGPU = "late_gpu"
            case lateNoWorker = "late_no_worker"
            case latePausedPool = "late_paused_pool"
            case latePausedQueue = "late_paused_queue"
            case lateLeaky = "late_leaky"
        }
    }

    public struct LongLog: Decodable, Sendable {
        public var id: String
        public var logLines: Int
        public var lastLineContains: String

        enum CodingKeys: String, CodingKey {
            case id
            case logLines = "log_lines"
            case lastLineContains = "last_line_contains"
        }
    }

    public struct Concurrency: Decodable, Sendable {
        public var tagDB: Limit
        public var deploymentGPU: Limit

        enum CodingKeys: String, CodingKey {
            case tagDB = "tag_db"
            case deploymentGPU = "deployment_gpu"
        }
    }

    public struct Limit: Decodable, Sendable {
        public var id: String
        public var limit: Int
        public var activeSlots: Int?

        enum CodingKeys: String, CodingKey {
            case id, limit
            case activeSlots = "active_slots"
        }
    }
}
