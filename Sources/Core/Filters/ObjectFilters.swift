package import FoundationEssentials

/// `FlowFilter`.
package struct FlowFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var id: AnyNotAny<String>?
    package var deployment: DeploymentPresence?
    package var name: AnyLike?
    package var tags: TagsAllFilter?

    /// `{operator, is_null_}`: flows with or without deployments.
    package struct DeploymentPresence: Codable, Sendable, Hashable {
        package var `operator`: FilterOperator?
        package var isNull: Bool?
        enum CodingKeys: String, CodingKey {
            case `operator`
            case isNull = "is_null_"
        }
    }
}

/// `DeploymentFilter`.
package struct DeploymentFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var id: AnyNotAny<String>?
    package var name: AnyLike?
    package var flowOrDeploymentName: Like?
    package var paused: Equals<Bool>?
    package var tags: TagsFilter?
    package var workQueueName: AnyOf<String>?

    enum CodingKeys: String, CodingKey {
        case `operator`, id, name, paused, tags
        case flowOrDeploymentName = "flow_or_deployment_name"
        case workQueueName = "work_queue_name"
    }

    /// `{like_}`.
    package struct Like: Codable, Sendable, Hashable {
        package var like: String?
        enum CodingKeys: String, CodingKey { case like = "like_" }
    }
}

/// `{eq_}`.
package struct Equals<Value: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    package var eq: Value?
    enum CodingKeys: String, CodingKey { case eq = "eq_" }
}

/// `WorkPoolFilter`.
package struct WorkPoolFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var id: AnyOf<String>?
    package var name: AnyOf<String>?
    package var type: AnyOf<String>?

    /// The pool with this exact name.
    package static func named(_ name: String) -> WorkPoolFilter { WorkPoolFilter(name: AnyOf(any: [name])) }
}

/// `WorkQueueFilter`.
package struct WorkQueueFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var id: AnyOf<String>?
    package var name: NameFilter?

    /// `{any_, startswith_}`.
    package struct NameFilter: Codable, Sendable, Hashable {
        package var any: [String]?
        package var startsWith: [String]?
        enum CodingKeys: String, CodingKey {
            case any = "any_"
            case startsWith = "startswith_"
        }
    }
}

/// `WorkerFilter`.
package struct WorkerFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var lastHeartbeatTime: TimeRange?
    package var status: AnyNotAny<String>?

    enum CodingKeys: String, CodingKey {
        case `operator`, status
        case lastHeartbeatTime = "last_heartbeat_time"
    }
}

/// `LogFilter`.
package struct LogFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var level: LevelRange?
    package var timestamp: TimeRange?
    package var flowRunID: AnyOf<String>?
    package var taskRunID: NullableTaskRun?
    package var text: TextQuery?

    enum CodingKeys: String, CodingKey {
        case `operator`, level, timestamp, text
        case flowRunID = "flow_run_id"
        case taskRunID = "task_run_id"
    }

    /// `{ge_, le_}` over Python logging numbers.
    package struct LevelRange: Codable, Sendable, Hashable {
        package var ge: Int?
        package var le: Int?
        enum CodingKeys: String, CodingKey {
            case ge = "ge_"
            case le = "le_"
        }
    }

    /// `{any_, is_null_}`.
    package struct NullableTaskRun: Codable, Sendable, Hashable {
        package var any: [String]?
        package var isNull: Bool?
        enum CodingKeys: String, CodingKey {
            case any = "any_"
            case isNull = "is_null_"
        }
    }
}

/// `{query}`: Prefect's text search.
package struct TextQuery: Codable, Sendable, Hashable {
    package var query: String
}

/// `AutomationFilter`.
package struct AutomationFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var id: AnyOf<String>?
    package var name: AnyOf<String>?
    package var created: CreatedBefore?
    package var tags: TagsFilter?

    /// `{before_}`.
    package struct CreatedBefore: Codable, Sendable, Hashable {
        package var before: Date?
        enum CodingKeys: String, CodingKey { case before = "before_" }
    }
}

/// `VariableFilter`.
package struct VariableFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var id: AnyOf<String>?
    package var name: AnyLike?
    package var tags: TagsAllFilter?
}

/// `ArtifactFilter`.
package struct ArtifactFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var id: AnyOf<String>?
    package var key: KeyFilter?
    package var flowRunID: AnyOf<String>?
    package var taskRunID: AnyOf<String>?
    package var type: AnyNotAny<String>?

    enum CodingKeys: String, CodingKey {
        case `operator`, id, key, type
        case flowRunID = "flow_run_id"
        case taskRunID = "task_run_id"
    }

    /// `{any_, like_, exists_}`.
    package struct KeyFilter: Codable, Sendable, Hashable {
        package var any: [String]?
        package var like: String?
        package var exists: Bool?
        enum CodingKeys: String, CodingKey {
            case any = "any_"
            case like = "like_"
            case exists = "exists_"
        }
    }
}
