/// When and how long to wait before trying a request again.
///
/// Only 408, 429, 502 and 503 are retried (the answers that mean "try later"); 4xx input errors, 500 and
/// connection failures are not, so a wrong URL fails at once. `Retry-After` (seconds) is honoured up to
/// ``maximumDelay``; otherwise the delay doubles from ``baseDelay`` with up to 20 % jitter.
package struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first one included.
    package var maximumAttempts: Int
    package var baseDelay: Double
    package var maximumDelay: Double

    package init(maximumAttempts: Int = 3, baseDelay: Double = 0.5, maximumDelay: Double = 10) {
        self.maximumAttempts = maximumAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    package static let retryableStatuses: Set<Int> = [408, 429, 502, 503]

    /// No retries: for tests and for latency-sensitive probes.
    package static let none = RetryPolicy(maximumAttempts: 1)

    /// Seconds to wait before attempt `attempt + 1`, or nil when the request must not be retried.
    /// - Parameters:
    ///   - attempt: the attempt that just failed, counting from 1.
    ///   - status: its HTTP status.
    ///   - retryAfter: the `Retry-After` header, if any.
    ///   - jitter: a number in `0..<1` (random in production, fixed in tests).
    package func delay(afterAttempt attempt: Int, status: Int, retryAfter: String?, jitter: Double) -> Double? {
        guard attempt < maximumAttempts, Self.retryableStatuses.contains(status) else { return nil }
        if let retryAfter, let seconds = Double(retryAfter.trimmed), seconds >= 0 {
            return min(seconds, maximumDelay)
        }
        let exponential = baseDelay * Double(1 << (attempt - 1))
        return min(exponential * (1 + 0.2 * jitter), maximumDelay)
    }
}
