import Synchronization

/// A first-come, first-served limit on the requests in flight to one server.
///
/// AsyncHTTPClient queues requests beyond its connections itself, but fails a queued one after the connect timeout
/// with `getConnectionFromPoolTimeout`, however long the request's own timeout is. Waiting here instead keeps the
/// wait inside the request's timeout, lets the caller tell "busy" from "unreachable", and bounds what one process
/// asks of a shared Prefect server at once.
package final class RequestGate: Sendable {
    private struct State {
        var available: Int
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    /// - Parameter capacity: requests allowed in flight at once.
    package init(capacity: Int) {
        state = Mutex(State(available: max(1, capacity)))
    }

    /// Requests waiting for a place right now.
    package var waiting: Int { state.withLock { $0.waiters.count } }

    /// Why ``enter(until:)`` gave up.
    package struct Expired: Error {
        /// Requests that were still waiting, this one included.
        package var waiting: Int
    }

    /// Waits for a place until `deadline`; pair every successful call with ``leave()``.
    /// - Throws: ``Expired`` at the deadline, `CancellationError` when the task is cancelled; either way it then
    ///   holds no place.
    package func enter(until deadline: ContinuousClock.Instant) async throws {
        let id: UInt64? = state.withLock { state in
            if state.available > 0 {
                state.available -= 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        // Expires the waiter at the deadline; cancelled when it is let in first.
        let timer = Task { [self] in
            try await Task.sleep(until: deadline, clock: .continuous)
            remove(id, error: { Expired(waiting: $0) })
        }
        defer { timer.cancel() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Decided again under the lock: a place may have come free since the first look, and the timer or a
                // cancellation handler that ran before this found no waiter to resume.
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if ContinuousClock.now >= deadline { return .failure(Expired(waiting: state.waiters.count + 1)) }
                    if state.available > 0 {
                        state.available -= 1
                        return .success(())
                    }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            remove(id, error: { _ in CancellationError() })
        }
    }

    /// Takes waiter `id` out of the line, if it is still in it, and resumes it with the error made from the number
    /// of waiters it was among.
    private func remove(_ id: UInt64, error: (Int) -> any Error) {
        let found = state.withLock { state in
            state.waiters.firstIndex { $0.id == id }.map { index in
                (state.waiters.remove(at: index).continuation, state.waiters.count + 1)
            }
        }
        if let (continuation, waiting) = found { continuation.resume(throwing: error(waiting)) }
    }

    /// Gives the place to the longest waiter, or back to the gate.
    package func leave() {
        let next = state.withLock { state in
            if state.waiters.isEmpty {
                state.available += 1
                return nil as CheckedContinuation<Void, any Error>?
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
