package import FoundationEssentials

// One body type per endpoint, holding exactly the top-level keys that endpoint reads. The server silently ignores
// unknown top-level keys, so these types are what makes a misspelt key impossible; `RouteContractTests` checks them
// against Prefect's OpenAPI document.

/// The server's page-size maximum (`PREFECT_SERVER_API_DEFAULT_LIMIT`), and the events maximum.
package enum PageLimit {
    package static let maximum = 200
    package static let eventsMaximum = 50

    /// Clamps a requested page size into `1...maximum`.
    package static func clamp(_ limit: Int, maximum: Int = PageLimit.maximum) -> Int {
        min(max(limit, 1), maximum)
    }

    /// `values` in lists of at most a page: a filter by more ids or names than that is answered with one page of
    /// them only, so it is sent once per batch.
    package static func batches<Value>(_ values: some Collection<Value>) -> [[Value]] {
        let all = Array(values)
        return stride(from: 0, to: all.count, by: maximum).map { Array(all[$0..<min($0 + maximum, all.count)]) }
    }
}

/// A list body with a page size, which the client clamps before sending (the server answers 422 above its maximum).
package protocol PagedQuery: Sendable {
    var limit: Int? { get set }
}

extension PagedQuery {
    /// This body with `limit` clamped into `1...maximum`.
    package func clamped(maximum: Int = PageLimit.maximum) -> Self {
        var copy = self
        copy.limit = copy.limit.map { PageLimit.clamp($0, maximum: maximum) }
        return copy
    }
}

/// `POST /flow_runs/filter`.
package struct FlowRunsQuery: PagedQuery, Codable, Hashable {
    package var flows: FlowFilter?
    package var flowRuns: FlowRunFilter?
    package var taskRuns: TaskRunFilter?
    package var deployments: DeploymentFilter?
    package var workPools: WorkPoolFilter?
    package var workPoolQueues: WorkQueueFilter?
    package var sort: FlowRunSort?
    package var limit: Int?
    package var offset: Int?

    enum CodingKeys: String, CodingKey {
        case flows, deployments, sort, limit, offset
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
        case workPools = "work_pools"
        case workPoolQueues = "work_pool_queues"
    }

    /// The same criteria as a count body (`/flow_runs/count` takes no sort, limit or offset).
    package var countBody: FlowRunsCount {
        FlowRunsCount(
            flows: flows, flowRuns: flowRuns, taskRuns: taskRuns, deployments: deployments, workPools: workPools, workPoolQueues: workPoolQueues)
    }
}

/// `POST /flow_runs/count` (and `/flow_runs/lateness`).
package struct FlowRunsCount: Codable, Sendable, Hashable {
    package var flows: FlowFilter?
    package var flowRuns: FlowRunFilter?
    package var taskRuns: TaskRunFilter?
    package var deployments: DeploymentFilter?
    package var workPools: WorkPoolFilter?
    package var workPoolQueues: WorkQueueFilter?

    enum CodingKeys: String, CodingKey {
        case flows, deployments
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
        case workPools = "work_pools"
        case workPoolQueues = "work_pool_queues"
    }
}

/// `POST /flow_runs/history`. Note `work_queues` here where the filter endpoints say `work_pool_queues`.
package struct FlowRunsHistory: Codable, Sendable, Hashable {
    package var historyStart: Date
    package var historyEnd: Date
    package var historyIntervalSeconds: Double
    package var flows: FlowFilter?
    package var flowRuns: FlowRunFilter?
    package var taskRuns: TaskRunFilter?
    package var deployments: DeploymentFilter?
    package var workPools: WorkPoolFilter?
    package var workQueues: WorkQueueFilter?

    enum CodingKeys: String, CodingKey {
        case flows, deployments
        case historyStart = "history_start"
        case historyEnd = "history_end"
        case historyIntervalSeconds = "history_interval_seconds"
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
        case workPools = "work_pools"
        case workQueues = "work_queues"
    }
}

/// `POST /task_runs/filter`.
package struct TaskRunsQuery: PagedQuery, Codable, Hashable {
    package var flows: FlowFilter?
    package var flowRuns: FlowRunFilter?
    package var taskRuns: TaskRunFilter?
    package var deployments: DeploymentFilter?
    package var sort: TaskRunSort?
    package var limit: Int?
    package var offset: Int?

    enum CodingKeys: String, CodingKey {
        case flows, deployments, sort, limit, offset
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
    }
}

/// `POST /task_runs/count`.
package struct TaskRunsCount: Codable, Sendable, Hashable {
    package var flows: FlowFilter?
    package var flowRuns: FlowRunFilter?
    package var taskRuns: TaskRunFilter?
    package var deployments: DeploymentFilter?

    enum CodingKeys: String, CodingKey {
        case flows, deployments
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
    }
}

/// `POST /flows/filter`.
package struct FlowsQuery: PagedQuery, Codable, Hashable {
    package var flows: FlowFilter?
    package var flowRuns: FlowRunFilter?
    package var taskRuns: TaskRunFilter?
    package var deployments: DeploymentFilter?
    package var workPools: WorkPoolFilter?
    package var sort: NameSort?
    package var limit: Int?
    package var offset: Int?

    enum CodingKeys: String, CodingKey {
        case flows, deployments, sort, limit, offset
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
        case workPools = "work_pools"
    }
}

/// `POST /deployments/filter`.
package struct DeploymentsQuery: PagedQuery, Codable, Hashable {
    package var flows: FlowFilter?
    package var flowRuns: FlowRunFilter?
    package var taskRuns: TaskRunFilter?
    package var deployments: DeploymentFilter?
    package var workPools: WorkPoolFilter?
    package var workPoolQueues: WorkQueueFilter?
    package var sort: NameSort?
    package var limit: Int?
    package var offset: Int?

    enum CodingKeys: String, CodingKey {
        case flows, deployments, sort, limit, offset
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
        case workPools = "work_pools"
        case workPoolQueues = "work_pool_queues"
    }
}

/// `POST /deployments/count`.
package struct DeploymentsCount: Codable, Sendable, Hashable {
    package var flows: FlowFilter?
    package var flowRuns: FlowRunFilter?
    package var taskRuns: TaskRunFilter?
    package var deployments: DeploymentFilter?
    package var workPools: WorkPoolFilter?
    package var workPoolQueues: WorkQueueFilter?

    enum CodingKeys: String, CodingKey {
        case flows, deployments
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
        case workPools = "work_pools"
        case workPoolQueues = "work_pool_queues"
    }
}

/// `POST /work_pools/filter`.
package struct WorkPoolsQuery: PagedQuery, Codable, Hashable {
    package var workPools: WorkPoolFilter?
    package var limit: Int?
    package var offset: Int?

    enum CodingKeys: String, CodingKey {
        case limit, offset
        case workPools = "work_pools"
    }
}

/// `POST /work_pools/{name}/workers/filter`.
package struct WorkersQuery: PagedQuery, Codable, Hashable {
    package var workers: WorkerFilter?
    package var limit: Int?
    package var offset: Int?
}

/// `POST /work_pools/{name}/queues/filter` and `POST /work_queues/filter`.
package struct WorkQueuesQuery: PagedQuery, Codable, Hashable {
    package var workQueues: WorkQueueFilter?
    package var limit: Int?
    package var offset: Int?

    enum CodingKeys: String, CodingKey {
        case limit, offset
        case workQueues = "work_queues"
    }
}

/// `POST /logs/filter`.
package struct LogsQuery: PagedQuery, Codable, Hashable {
    package var logs: LogFilter?
    package var sort: LogSort?
    package var limit: Int?
    package var offset: Int?
}

/// `POST /events/filter` (at most 50 a page).
package struct EventsQuery: PagedQuery, Codable, Hashable {
    package var filter: EventFilter?
    package var limit: Int?
}

/// `POST /automations/filter`.
package struct AutomationsQuery: PagedQuery, Codable, Hashable {
    package var automations: AutomationFilter?
    package var sort: NameSort?
    package var limit: Int?
    package var offset: Int?
}

/// `POST /artifacts/filter`.
package struct ArtifactsQuery: PagedQuery, Codable, Hashable {
    package var artifacts: ArtifactFilter?
    package var flowRuns: FlowRunFilter?
    package var taskRuns: TaskRunFilter?
    package var flows: FlowFilter?
    package var deployments: DeploymentFilter?
    package var sort: ArtifactSort?
    package var limit: Int?
    package var offset: Int?

    enum CodingKeys: String, CodingKey {
        case artifacts, flows, deployments, sort, limit, offset
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
    }
}

/// `POST /variables/filter`.
package struct VariablesQuery: PagedQuery, Codable, Hashable {
    package var variables: VariableFilter?
    package var sort: NameSort?
    package var limit: Int?
    package var offset: Int?
}

/// `{limit, offset}`: the v1 and v2 concurrency-limit lists, which take no filter.
package struct PageQuery: PagedQuery, Codable, Hashable {
    package var limit: Int?
    package var offset: Int?
}
