package import FoundationEssentials

/// Whether the dashboard's data is live, and what to do when it is not: a state shown in the UI, never a reason
/// to exit.
package enum Connection: Sendable, Equatable {
    case connecting
    case connected(since: Date)
    /// Unreachable, timed out or a server error: retried with exponential backoff, the last data kept as stale.
    case disconnected(reason: String, attempt: Int, retryAt: Date)
    /// 401 or 403: retrying cannot help until the credential changes, so it is retried slowly.
    case unauthorized(message: String, retryAt: Date)

    /// Seconds before retry number `attempt` (1-based): 1, 2, 4, 8, 16, then 30.
    package static func backoff(attempt: Int) -> TimeInterval {
        min(30, pow2(max(0, attempt - 1)))
    }

    /// The state after a failed refresh at `now`.
    package func failed(reason: String, unauthorized: Bool, now: Date) -> Connection {
        if unauthorized { return .unauthorized(message: reason, retryAt: now.addingTimeInterval(30)) }
        let attempt: Int = if case .disconnected(_, let previous, _) = self { previous + 1 } else { 1 }
        return .disconnected(reason: reason, attempt: attempt, retryAt: now.addingTimeInterval(Self.backoff(attempt: attempt)))
    }

    /// When the next refresh is due, given the polling interval and the time of the last attempt.
    package func nextRefresh(after last: Date, interval: TimeInterval) -> Date {
        switch self {
        case .connecting, .connected: last.addingTimeInterval(interval)
        case .disconnected(_, _, let retryAt), .unauthorized(_, let retryAt): retryAt
        }
    }

    package var isLive: Bool {
        if case .connected = self { return true }
        return false
    }

    private static func pow2(_ exponent: Int) -> TimeInterval {
        TimeInterval(1 << min(exponent, 10))
    }
}
