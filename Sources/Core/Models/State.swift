package import FoundationEssentials

/// A run's state: its type, display name (`Late`, `AwaitingRetry`, …) and message.
package struct State: Codable, Hashable, Sendable {
    package var id: String?
    package var type: StateType
    package var name: String?
    package var timestamp: Date?
    package var message: String?
    package var stateDetails: StateDetails?

    package init(id: String? = nil, type: StateType, name: String? = nil, timestamp: Date? = nil, message: String? = nil) {
        self.id = id
        self.type = type
        self.name = name
        self.timestamp = timestamp
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case id, type, name, timestamp, message
        case stateDetails = "state_details"
    }
}

/// The parts of `state_details` a monitor reads.
package struct StateDetails: Codable, Hashable, Sendable {
    package var scheduledTime: Date?
    package var flowRunID: String?
    package var taskRunID: String?
    package var pauseTimeout: Date?
    package var retriable: Bool?

    enum CodingKeys: String, CodingKey {
        case scheduledTime = "scheduled_time"
        case flowRunID = "flow_run_id"
        case taskRunID = "task_run_id"
        case pauseTimeout = "pause_timeout"
        case retriable
    }
}

/// A run's state as (type, name): Late is `(SCHEDULED, "Late")`, so the pair is the key, not the type.
package struct StateKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var type: StateType
    package var name: String

    package init(type: StateType, name: String) {
        self.type = type
        self.name = name
    }

    package static let late = StateKey(type: .scheduled, name: "Late")

    package var description: String { name }

    package static func < (lhs: StateKey, rhs: StateKey) -> Bool {
        lhs.type != rhs.type ? lhs.type < rhs.type : lhs.name < rhs.name
    }
}
