import Foundation
import TestSupport
import Testing

@testable import Core

/// Prefect Cloud's usage route cannot be reached from here, so its answers are scripted; the shape follows the
/// official server's reader of `GET /accounts/{id}/rate-limits/usage` (`minutes`, and per key `requested` and
/// `granted` arrays indexed like `minutes`).
@Suite("Rate limits: throttled minutes grouped into periods (Prefect Cloud)")
struct RateLimitTests {
    static let cloudURL = URL(
        string: "https://api.prefect.cloud/api/accounts/0a1b2c3d-0000-4000-8000-000000000001/workspaces/0a1b2c3d-0000-4000-8000-000000000002")!
    static let since = PrefectDate.parse("2026-11-24T10:00:00Z")!
    static let until = PrefectDate.parse("2026-11-24T10:10:00Z")!

    static func minute(_ index: Int) -> Date { since.addingTimeInterval(Double(index) * 60) }

    @Test("Consecutive throttled minutes form one period; a gap starts another; totals, peaks and summary follow")
    func grouping() {
        let usage = RateLimitUsage(
            minutes: (0..<8).map(Self.minute),
            keys: [
                "runs": .init(requested: [5, 12, 30, 4, 4, 4, 9, 1], granted: [5, 10, 10, 4, 4, 4, 5, 1]),
                "writing-logs": .init(requested: [0, 0, 7, 0, 0, 0, 0, 0], granted: [0, 0, 3, 0, 0, 0, 0, 0]),
                "flows": .init(requested: [1, 1, 1, 1, 1, 1, 1, 1], granted: [1, 1, 1, 1, 1, 1, 1, 1]),
            ])
        let report = RateLimitReport(accountID: "acct", since: Self.since, until: Self.until, usage: usage)
        #expect(report.throttlingPeriods.count == 2)
        let first = report.throttlingPeriods[0]
        #expect(first.start == Self.minute(1) && first.end == Self.minute(2) && first.durationMinutes == 2)
        #expect(
            first.keysAffected == [
                .init(key: "runs", totalDenied: 22, peakDeniedPerMinute: 20),
                .init(key: "writing-logs", totalDenied: 4, peakDeniedPerMinute: 4),
            ])
        let second = report.throttlingPeriods[1]
        #expect(second.start == Self.minute(6) && second.end == Self.minute(6) && second.durationMinutes == 1)
        #expect(second.keysAffected == [.init(key: "runs", totalDenied: 4, peakDeniedPerMinute: 4)])
        #expect(
            report.summary
                == .init(
                    totalThrottlingPeriods: 2, affectedKeys: ["runs", "writing-logs"], firstThrottledAt: Self.minute(1),
                    lastThrottledAt: Self.minute(6), totalMinutesThrottled: 3))
    }

    @Test("Arrays shorter than the minutes count only where all have values; no throttling is an empty report")
    func ragged() {
        let usage = RateLimitUsage(
            minutes: (0..<4).map(Self.minute),
            keys: [
                "runs": .init(requested: [9, 9], granted: [1]),
                "deployments": .init(requested: [1, 1, 1, 1, 9, 9], granted: [1, 1, 1, 1, 0, 0]),
            ])
        let report = RateLimitReport(accountID: "acct", since: Self.since, until: Self.until, usage: usage)
        #expect(report.summary.totalMinutesThrottled == 1)
        #expect(report.throttlingPeriods.map(\.keysAffected) == [[.init(key: "runs", totalDenied: 8, peakDeniedPerMinute: 8)]])

        let quiet = RateLimitReport(accountID: "acct", since: Self.since, until: Self.until, usage: RateLimitUsage(minutes: [], keys: [:]))
        #expect(quiet.throttlingPeriods.isEmpty)
        #expect(
            quiet.summary == .init(totalThrottlingPeriods: 0, affectedKeys: [], firstThrottledAt: nil, lastThrottledAt: nil, totalMinutesThrottled: 0)
        )
    }

    @Test("One request to the Cloud API root for the account, every operation group as a repeated key, with the key")
    func request() async throws {
        let body =
            #"{"account":"0a1b2c3d-0000-4000-8000-000000000001","since":"2026-11-24T10:00:00Z","until":"2026-11-24T10:10:00Z","minutes":["2026-11-24T10:00:00Z","2026-11-24T10:01:00Z"],"keys":{"runs":{"requested":[3,50],"granted":[3,20]}}}"#
        let transport = FakeTransport(status: 200, body: body)
        let client = PrefectClient(
            configuration: .init(
                apiURL: Self.cloudURL, credential: .bearer(Secret("pnu_cloud_key_1234567890"), source: .environment("PREFECT_API_KEY"))),
            transport: transport)
        let report = try await client.rateLimits(since: Self.since, until: Self.until)
        #expect(report.accountID == "0a1b2c3d-0000-4000-8000-000000000001")
        #expect(report.throttlingPeriods.first?.keysAffected == [.init(key: "runs", totalDenied: 30, peakDeniedPerMinute: 30)])
        let request = try #require(transport.requests.first)
        let components = try #require(URLComponents(url: request.url, resolvingAgainstBaseURL: false))
        #expect(request.method == "GET")
        #expect(components.host == "api.prefect.cloud")
        #expect(components.path == "/api/accounts/0a1b2c3d-0000-4000-8000-000000000001/rate-limits/usage")
        let items = components.queryItems ?? []
        #expect(items.filter { $0.name == "keys" }.compactMap(\.value) == RateLimitReport.operationGroups)
        #expect(items.first { $0.name == "since" }?.value == "2026-11-24T10:00:00.000000Z")
        #expect(items.first { $0.name == "until" }?.value == "2026-11-24T10:10:00.000000Z")
        #expect(request.header("Authorization") == "Bearer pnu_cloud_key_1234567890")
    }

    @Test("A self-hosted server, or a Cloud URL without an account, is refused before any request")
    func unavailable() async {
        let transport = FakeTransport(status: 200, body: "{}")
        await #expect(throws: RateLimitsUnavailable.self) { try await PrefectClient.fake(transport).rateLimits(since: Self.since, until: Self.until) }
        let bare = PrefectClient(configuration: .init(apiURL: URL(string: ServerKind.cloudAPIRoot)!), transport: transport)
        await #expect(throws: RateLimitsUnavailable.self) { try await bare.rateLimits(since: Self.since, until: Self.until) }
        #expect(transport.requests.isEmpty)
    }

    @Test("A Cloud error on the usage route maps like any other (403 for a key without account access)")
    func forbidden() async {
        let client = PrefectClient(
            configuration: .init(
                apiURL: Self.cloudURL, credential: .bearer(Secret("pnu_cloud_key_1234567890"), source: .environment("PREFECT_API_KEY"))),
            transport: FakeTransport(status: 403, body: #"{"detail":"Forbidden"}"#))
        await #expect(
            throws: PrefectError.forbidden(
                route: "GET /accounts/0a1b2c3d-0000-4000-8000-000000000001/rate-limits/usage", credential: "API key (env PREFECT_API_KEY)",
                detail: "Forbidden"
            )
        ) { try await client.rateLimits(since: Self.since, until: Self.until) }
    }
}
