// Sort values, exactly as each endpoint accepts them (Prefect 3.9.1).

/// `/flow_runs/filter`. `START_TIME_*` sorts by `coalesce(start_time, expected_start_time)`, so it puts future
/// scheduled runs first: for "recent" use ``expectedStartTimeDescending`` with `expected_start_time.before_ = now`.
package enum FlowRunSort: String, Codable, Sendable, CaseIterable {
    case idDescending = "ID_DESC"
    case startTimeAscending = "START_TIME_ASC"
    case startTimeDescending = "START_TIME_DESC"
    case expectedStartTimeAscending = "EXPECTED_START_TIME_ASC"
    case expectedStartTimeDescending = "EXPECTED_START_TIME_DESC"
    case nameAscending = "NAME_ASC"
    case nameDescending = "NAME_DESC"
    case nextScheduledStartTimeAscending = "NEXT_SCHEDULED_START_TIME_ASC"
    case endTimeDescending = "END_TIME_DESC"
}

/// `/task_runs/filter`.
package enum TaskRunSort: String, Codable, Sendable, CaseIterable {
    case idDescending = "ID_DESC"
    case expectedStartTimeAscending = "EXPECTED_START_TIME_ASC"
    case expectedStartTimeDescending = "EXPECTED_START_TIME_DESC"
    case nameAscending = "NAME_ASC"
    case nameDescending = "NAME_DESC"
    case nextScheduledStartTimeAscending = "NEXT_SCHEDULED_START_TIME_ASC"
    case endTimeDescending = "END_TIME_DESC"
    case durationDescending = "DURATION_DESC"
    case durationAscending = "DURATION_ASC"
}

/// `/flows/filter`, `/deployments/filter`, `/automations/filter`, `/variables/filter`.
package enum NameSort: String, Codable, Sendable, CaseIterable {
    case createdDescending = "CREATED_DESC"
    case updatedDescending = "UPDATED_DESC"
    case nameAscending = "NAME_ASC"
    case nameDescending = "NAME_DESC"
}

/// `/logs/filter`.
package enum LogSort: String, Codable, Sendable, CaseIterable {
    case timestampAscending = "TIMESTAMP_ASC"
    case timestampDescending = "TIMESTAMP_DESC"
}

/// `/artifacts/filter`.
package enum ArtifactSort: String, Codable, Sendable, CaseIterable {
    case createdDescending = "CREATED_DESC"
    case updatedDescending = "UPDATED_DESC"
    case idDescending = "ID_DESC"
    case keyDescending = "KEY_DESC"
    case keyAscending = "KEY_ASC"
}
