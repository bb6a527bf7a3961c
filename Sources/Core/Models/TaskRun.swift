package import FoundationEssentials
package import JSONValue

/// `TaskRun`: the fields a monitor reads.
package struct TaskRun: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var name: String
    package var flowRunID: String?
    package var taskKey: String?
    package var dynamicKey: String?
    package var cacheKey: String?
    package var cacheExpiration: Date?
    package var tags: [String]?
    package var stateType: StateType?
    package var stateName: String?
    package var state: State?
    package var runCount: Int?
    package var flowRunRunCount: Int?
    package var expectedStartTime: Date?
    package var startTime: Date?
    package var endTime: Date?
    package var totalRunTime: Double?
    package var estimatedRunTime: Double?
    package var estimatedStartTimeDelta: Double?
    package var empiricalPolicy: JSONValue?
    package var created: Date?
    package var updated: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, tags, state, created, updated
        case flowRunID = "flow_run_id"
        case taskKey = "task_key"
        case dynamicKey = "dynamic_key"
        case cacheKey = "cache_key"
        case cacheExpiration = "cache_expiration"
        case stateType = "state_type"
        case stateName = "state_name"
        case runCount = "run_count"
        case flowRunRunCount = "flow_run_run_count"
        case expectedStartTime = "expected_start_time"
        case startTime = "start_time"
        case endTime = "end_time"
        case totalRunTime = "total_run_time"
        case estimatedRunTime = "estimated_run_time"
        case estimatedStartTimeDelta = "estimated_start_time_delta"
        case empiricalPolicy = "empirical_policy"
    }
}
