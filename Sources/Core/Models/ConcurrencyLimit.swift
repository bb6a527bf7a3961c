package import FoundationEssentials

/// A v1 tag limit: `active_slots` lists the task runs holding a slot.
package struct TagConcurrencyLimit: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var tag: String
    package var concurrencyLimit: Int
    package var activeSlots: [String]?
    package var created: Date?

    enum CodingKeys: String, CodingKey {
        case id, tag, created
        case concurrencyLimit = "concurrency_limit"
        case activeSlots = "active_slots"
    }
}

/// A v2 (global) limit: `active_slots` is a number. Deployment limits are named `deployment:<id>`,
/// and v1 tag limits also appear here as `tag:<tag>` with the same id.
package struct GlobalConcurrencyLimit: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var name: String
    package var limit: Int
    package var active: Bool?
    package var activeSlots: Int?
    package var slotDecayPerSecond: Double?
    package var created: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, limit, active, created
        case activeSlots = "active_slots"
        case slotDecayPerSecond = "slot_decay_per_second"
    }
}

/// One bucket of `POST /flow_runs/history`.
package struct HistoryBucket: Codable, Hashable, Sendable {
    package var intervalStart: Date
    package var intervalEnd: Date
    package var states: [HistoryState]

    enum CodingKeys: String, CodingKey {
        case states
        case intervalStart = "interval_start"
        case intervalEnd = "interval_end"
    }
}

/// Runs of one (type, name) in a history bucket.
package struct HistoryState: Codable, Hashable, Sendable {
    package var stateType: StateType
    package var stateName: String
    package var countRuns: Int
    package var sumEstimatedRunTime: Double?
    package var sumEstimatedLateness: Double?

    enum CodingKeys: String, CodingKey {
        case stateType = "state_type"
        case stateName = "state_name"
        case countRuns = "count_runs"
        case sumEstimatedRunTime = "sum_estimated_run_time"
        case sumEstimatedLateness = "sum_estimated_lateness"
    }

    package var key: StateKey { StateKey(type: stateType, name: stateName) }
}
