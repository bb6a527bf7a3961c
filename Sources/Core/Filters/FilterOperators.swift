package import FoundationEssentials

// Small operator objects shared by the filters. Each one encodes exactly the keys Prefect's nested filter
// accepts (nested filters are strict on the server: an unknown key is a 422). Unset fields are left out.

/// How the criteria of a compound filter combine.
package enum FilterOperator: String, Codable, Sendable, Hashable {
    case and = "and_"
    case or = "or_"
}

/// `{any_}`.
package struct AnyOf<Value: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    package var any: [Value]?
    enum CodingKeys: String, CodingKey { case any = "any_" }
}

/// `{any_, not_any_}`.
package struct AnyNotAny<Value: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    package var any: [Value]?
    package var notAny: [Value]?
    enum CodingKeys: String, CodingKey {
        case any = "any_"
        case notAny = "not_any_"
    }
}

/// `{any_, like_}` for names (`like_` is a case-insensitive substring match).
package struct AnyLike: Codable, Sendable, Hashable {
    package var any: [String]?
    package var like: String?
    enum CodingKeys: String, CodingKey {
        case any = "any_"
        case like = "like_"
    }
}

/// `{operator, any_, is_null_}`.
package struct NullableAnyOf<Value: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var any: [Value]?
    package var isNull: Bool?
    enum CodingKeys: String, CodingKey {
        case `operator`
        case any = "any_"
        case isNull = "is_null_"
    }
}

/// `{operator, all_, any_, is_null_}`: tags of flow runs, deployments and automations.
package struct TagsFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var all: [String]?
    package var any: [String]?
    package var isNull: Bool?
    enum CodingKeys: String, CodingKey {
        case `operator`
        case all = "all_"
        case any = "any_"
        case isNull = "is_null_"
    }
}

/// `{operator, all_, is_null_}`: tags of task runs, flows and variables (no `any_` there).
package struct TagsAllFilter: Codable, Sendable, Hashable {
    package var `operator`: FilterOperator?
    package var all: [String]?
    package var isNull: Bool?
    enum CodingKeys: String, CodingKey {
        case `operator`
        case all = "all_"
        case isNull = "is_null_"
    }
}

/// `{before_, after_}`; both bounds are inclusive on the server.
package struct TimeRange: Codable, Sendable, Hashable {
    package var before: Date?
    package var after: Date?
    enum CodingKeys: String, CodingKey {
        case before = "before_"
        case after = "after_"
    }
}

/// `{before_, after_, is_null_}`.
package struct NullableTimeRange: Codable, Sendable, Hashable {
    package var before: Date?
    package var after: Date?
    package var isNull: Bool?
    enum CodingKeys: String, CodingKey {
        case before = "before_"
        case after = "after_"
        case isNull = "is_null_"
    }
}
