import Synchronization

/// How a feed learns what happens in Prefect: pushed over Prefect's websocket, or read by polling (and why).
package enum FeedMode: Sendable, Equatable {
    case live
    case polling(reason: String)

    package var isLive: Bool { self == .live }
}

/// What a feed yields: its mode whenever it changes (the first one before any item), and new items, oldest first,
/// each item once.
package enum FeedUpdate<Item: Sendable>: Sendable {
    case mode(FeedMode)
    case items([Item])
}

/// A value shared by a feed's tasks, behind a lock.
final class SharedValue<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) { self.value = Mutex(value) }

    func get() -> Value { value.withLock { $0 } }
    func set(_ new: Value) { value.withLock { $0 = new } }
}
