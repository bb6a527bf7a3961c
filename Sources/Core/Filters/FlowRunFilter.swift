package import FoundationEssentials

/// `FlowRunFilter`, key for key.
///
/// ```swift
/// FlowRunFilter(state: .init(type: .init(any: [.scheduled]), name: .init(any: ["Late"])))
/// ```
package struct FlowRunFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var id: AnyNotAny<String>?
    package var name: AnyLike?
    package var tags: TagsFilter?
    package var deploymentID: NullableAnyOf<String>?
    package var workQueueName: NullableAnyOf<String>?
    package var state: FlowRunStateFilter?
    package var flowVersion: AnyOf<String>?
    package var startTime: NullableTimeRange?
    package var endTime: NullableTimeRange?
    package var expectedStartTime: TimeRange?
    package var nextScheduledStartTime: TimeRange?
    package var parentFlowRunID: ParentFilter?
    package var parentTaskRunID: NullableAnyOf<String>?
    package var idempotencyKey: AnyNotAny<String>?

    enum CodingKeys: String, CodingKey {
        case `operator`, id, name, tags, state
        case deploymentID = "deployment_id"
        case workQueueName = "work_queue_name"
        case flowVersion = "flow_version"
        case startTime = "start_time"
        case endTime = "end_time"
        case expectedStartTime = "expected_start_time"
        case nextScheduledStartTime = "next_scheduled_start_time"
        case parentFlowRunID = "parent_flow_run_id"
        case parentTaskRunID = "parent_task_run_id"
        case idempotencyKey = "idempotency_key"
    }

    /// `{operator, any_}`.
    package struct ParentFilter: Codable, Sendable, Hashable {
        package var `operator`: FilterOperator?
        package var any: [String]?
        enum CodingKeys: String, CodingKey {
            case `operator`
            case any = "any_"
        }
    }
}

/// `FlowRunFilterState`: type and name, each with `any_`/`not_any_`.
package struct FlowRunStateFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var type: AnyNotAny<StateType>?
    package var name: AnyNotAny<String>?
}

extension FlowRunFilter {
    /// Runs in any of these (type, name) states: `(SCHEDULED, Late)` is matched by name, since its type alone
    /// also matches on-time scheduled runs.
    package static func state(_ keys: [StateKey]) -> FlowRunFilter {
        FlowRunFilter(state: FlowRunStateFilter(name: AnyNotAny(any: keys.map(\.name))))
    }

    /// Runs whose state type is one of `types`.
    package static func stateType(_ types: [StateType]) -> FlowRunFilter {
        FlowRunFilter(state: FlowRunStateFilter(type: AnyNotAny(any: types)))
    }

    /// Runs Prefect marked Late.
    package static let late = FlowRunFilter(state: FlowRunStateFilter(type: AnyNotAny(any: [.scheduled]), name: AnyNotAny(any: ["Late"])))

    /// Upcoming runs: scheduled, not Late, expected to start after `now`. Prefect's `after_` includes its bound,
    /// while recent runs are those expected at or before now; so the bound is one microsecond (Prefect's precision)
    /// later, and no run is both recent and upcoming. `status`, the dashboard, `get_flow_runs` and the deployment
    /// diagnosis all count with this.
    package static func upcoming(after now: Date) -> FlowRunFilter {
        FlowRunFilter().narrowedToUpcoming(after: now)
    }

    /// This filter with its state and expected start time replaced by ``upcoming(after:)``'s, the rest kept.
    package func narrowedToUpcoming(after now: Date) -> FlowRunFilter {
        var filter = self
        filter.state = FlowRunStateFilter(type: AnyNotAny(any: [.scheduled]), name: AnyNotAny(notAny: ["Late"]))
        filter.expectedStartTime = TimeRange(after: now.addingTimeInterval(0.000_001))
        return filter
    }
}
