package import FoundationEssentials
package import JSONValue

/// `FlowRunResponse`: the fields a monitor reads. Flow names are not on runs; join with ``Flow``.
package struct FlowRun: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var name: String
    package var flowID: String
    package var deploymentID: String?
    package var deploymentVersion: String?
    package var workPoolID: String?
    package var workPoolName: String?
    package var workQueueID: String?
    package var workQueueName: String?
    package var stateType: StateType?
    package var stateName: String?
    package var state: State?
    package var expectedStartTime: Date?
    package var nextScheduledStartTime: Date?
    package var startTime: Date?
    package var endTime: Date?
    package var totalRunTime: Double?
    package var estimatedRunTime: Double?
    package var estimatedStartTimeDelta: Double?
    package var runCount: Int?
    package var tags: [String]?
    package var parameters: [String: JSONValue]?
    package var parentTaskRunID: String?
    package var infrastructurePID: String?
    package var autoScheduled: Bool?
    package var idempotencyKey: String?
    package var empiricalPolicy: JSONValue?
    package var jobVariables: JSONValue?
    package var flowVersion: String?
    package var created: Date?
    package var updated: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, state, tags, parameters, created, updated
        case flowID = "flow_id"
        case deploymentID = "deployment_id"
        case deploymentVersion = "deployment_version"
        case workPoolID = "work_pool_id"
        case workPoolName = "work_pool_name"
        case workQueueID = "work_queue_id"
        case workQueueName = "work_queue_name"
        case stateType = "state_type"
        case stateName = "state_name"
        case expectedStartTime = "expected_start_time"
        case nextScheduledStartTime = "next_scheduled_start_time"
        case startTime = "start_time"
        case endTime = "end_time"
        case totalRunTime = "total_run_time"
        case estimatedRunTime = "estimated_run_time"
        case estimatedStartTimeDelta = "estimated_start_time_delta"
        case runCount = "run_count"
        case parentTaskRunID = "parent_task_run_id"
        case infrastructurePID = "infrastructure_pid"
        case autoScheduled = "auto_scheduled"
        case idempotencyKey = "idempotency_key"
        case empiricalPolicy = "empirical_policy"
        case jobVariables = "job_variables"
        case flowVersion = "flow_version"
    }

    /// `(type, name)` of the current state.
    package var stateKey: StateKey? {
        guard let type = stateType ?? state?.type else { return nil }
        return StateKey(type: type, name: stateName ?? state?.name ?? type.rawValue.capitalized)
    }

    /// Whether Prefect's late-runs service marked this run Late.
    package var isLate: Bool { stateKey == .late }
}
