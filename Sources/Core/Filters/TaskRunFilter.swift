/// `TaskRunFilter`, key for key (tags have no `any_`, state type no `not_any_`).
package struct TaskRunFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var id: AnyOf<String>?
    package var name: AnyLike?
    package var tags: TagsAllFilter?
    package var state: TaskRunStateFilter?
    package var startTime: NullableTimeRange?
    package var endTime: NullableTimeRange?
    package var expectedStartTime: TimeRange?
    package var subflowRuns: SubflowRuns?
    package var flowRunID: NullableAnyOf<String>?

    enum CodingKeys: String, CodingKey {
        case `operator`, id, name, tags, state
        case startTime = "start_time"
        case endTime = "end_time"
        case expectedStartTime = "expected_start_time"
        case subflowRuns = "subflow_runs"
        case flowRunID = "flow_run_id"
    }

    /// `{exists_}`.
    package struct SubflowRuns: Codable, Sendable, Hashable {
        package var exists: Bool?
        enum CodingKeys: String, CodingKey { case exists = "exists_" }
    }
}

/// `TaskRunFilterState`.
package struct TaskRunStateFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var type: AnyOf<StateType>?
    package var name: AnyOf<String>?
}
