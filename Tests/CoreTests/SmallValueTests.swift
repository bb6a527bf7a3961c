import Foundation
import Testing

@testable import Core

@Suite("Small values")
struct SmallValueTests {
    @Test(
        "Windows parse and print",
        arguments: [
            ("15m", 900, "15m"), ("24h", 86_400, "24h"), ("7d", 604_800, "7d"), ("90s", 90, "90s"), ("2w", 1_209_600, "2w"), (" 1H ", 3600, "1h"),
        ])
    func windows(text: String, seconds: Int, label: String) throws {
        let window = try #require(TimeWindow(text))
        #expect(window.seconds == seconds)
        #expect(window.description == label)
    }

    @Test("Bad windows are refused", arguments: ["", "h", "0h", "-1h", "24", "1y", "400d", "99999999999999999w"])
    func badWindows(text: String) {
        #expect(TimeWindow(text) == nil)
    }

    @Test("Retry delays: only retryable statuses, Retry-After honoured and capped, exponential otherwise")
    func retryPolicy() {
        let policy = RetryPolicy(maximumAttempts: 3, baseDelay: 0.5, maximumDelay: 10)
        #expect(policy.delay(afterAttempt: 1, status: 500, retryAfter: nil, jitter: 0) == nil)
        #expect(policy.delay(afterAttempt: 1, status: 404, retryAfter: "1", jitter: 0) == nil)
        #expect(policy.delay(afterAttempt: 1, status: 503, retryAfter: "2", jitter: 0.9) == 2)
        #expect(policy.delay(afterAttempt: 1, status: 429, retryAfter: "3600", jitter: 0) == 10)
        #expect(policy.delay(afterAttempt: 1, status: 502, retryAfter: nil, jitter: 0) == 0.5)
        #expect(policy.delay(afterAttempt: 2, status: 502, retryAfter: nil, jitter: 1) == 1.2)
        #expect(policy.delay(afterAttempt: 3, status: 502, retryAfter: nil, jitter: 0) == nil)
    }

    @Test("v1 tag limits mirrored in v2 merge into one entry; deployment limits are named")
    func limitMerge() {
        let merged = ConcurrencyLimitSummary.merge(
            tags: [TagConcurrencyLimit(id: "1", tag: "db", concurrencyLimit: 2, activeSlots: ["t1"])],
            globals: [
                GlobalConcurrencyLimit(id: "1", name: "tag:db", limit: 2, active: true, activeSlots: 1),
                GlobalConcurrencyLimit(id: "2", name: "deployment:abc", limit: 1, active: true, activeSlots: 1),
                GlobalConcurrencyLimit(id: "3", name: "gpu", limit: 4, active: false, activeSlots: 0),
            ]
        )
        #expect(merged.map(\.name) == ["db", "deployment:abc", "gpu"])
        #expect(merged.map(\.kind) == [.tag, .deployment, .global])
        #expect(merged.map(\.activeSlots) == [1, 1, 0])
        #expect(merged.map(\.isFull) == [false, true, false])
    }

    @Test("Compact durations")
    func durations() {
        #expect(Duration.seconds(45).compactDescription == "45s")
        #expect(Duration.seconds(754).compactDescription == "12m 34s")
        #expect(Duration.seconds(3600 * 3 + 300).compactDescription == "3h 5m")
        #expect(Duration.seconds(86_400 * 2 + 3600 * 4 + 5).compactDescription == "2d 4h")
    }

    @Test("Error bodies are cut, never echo request_body")
    func errorBody() {
        let long = String(repeating: "x", count: 2000)
        let text = ErrorBody.message(from: Data(#"{"detail":"\#(long)","request_body":{"secret":"y"}}"#.utf8))
        #expect(text.count < 600)
        #expect(text.hasSuffix("… [cut]"))
        #expect(!ErrorBody.message(from: Data(#"{"exception_message":"Invalid","request_body":{"secret":"y"}}"#.utf8)).contains("secret"))
    }
}
