/// A run's state type. Open: a value this build does not know still decodes and round-trips.
package struct StateType: RawRepresentable, Codable, Hashable, Sendable, Comparable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) { self.rawValue = rawValue }
    package init(_ rawValue: String) { self.rawValue = rawValue }

    package init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    package static let scheduled = StateType("SCHEDULED")
    package static let pending = StateType("PENDING")
    package static let running = StateType("RUNNING")
    package static let completed = StateType("COMPLETED")
    package static let failed = StateType("FAILED")
    package static let cancelled = StateType("CANCELLED")
    package static let crashed = StateType("CRASHED")
    package static let paused = StateType("PAUSED")
    package static let cancelling = StateType("CANCELLING")

    /// Every type Prefect 3 defines, in lifecycle order.
    package static let all: [StateType] = [.scheduled, .pending, .running, .paused, .cancelling, .completed, .failed, .crashed, .cancelled]

    /// Types a run cannot leave.
    package var isFinal: Bool { [.completed, .failed, .crashed, .cancelled].contains(self) }

    package var description: String { rawValue }

    /// Orders known types by lifecycle, unknown ones after them by name.
    package static func < (lhs: StateType, rhs: StateType) -> Bool {
        let left = all.firstIndex(of: lhs) ?? all.count
        let right = all.firstIndex(of: rhs) ?? all.count
        return left != right ? left < right : lhs.rawValue < rhs.rawValue
    }
}
