import Foundation
import TestSupport
import Testing

@testable import Core

/// `PrefectClient.deploymentActivity` against the seeded server: its counts agree with Prefect's count endpoint
/// and with the seed's own list of runs, and the seed's deployments get the words their scenarios call for.
@Suite("Deployment activity against the seeded server")
struct DeploymentActivityIntegrationTests {
    /// The seed's runs as it wrote them (`run_list` of the manifest).
    struct SeededRun: Decodable {
        var id: String
        var deployment: String?
        var state: String
        var expectedStartTime: String?
        var startTime: String?
        var endTime: String?

        enum CodingKeys: String, CodingKey {
            case id, deployment, state
            case expectedStartTime = "expected_start_time"
            case startTime = "start_time"
            case endTime = "end_time"
        }
    }

    static func seededRuns() throws -> [SeededRun] {
        struct Manifest: Decodable {
            var runList: [SeededRun]
            enum CodingKeys: String, CodingKey { case runList = "run_list" }
        }
        let path = try #require(ProcessInfo.processInfo.environment["PREFECT_MCP_TEST_SEED"], "PREFECT_MCP_TEST_SEED is not set: run scripts/test")
        return try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: path))).runList
    }

    static func count(_ client: PrefectClient, deployment: String, start: Date, now: Date, type: StateType? = nil) async throws -> Int {
        try await client.send(
            PrefectAPI.countFlowRuns(
                FlowRunsCount(
                    flowRuns: FlowRunFilter(
                        deploymentID: NullableAnyOf(any: [deployment]), state: type.map { FlowRunStateFilter(type: AnyNotAny(any: [$0])) },
                        expectedStartTime: TimeRange(before: now, after: start)))))
    }

    @Test("Every seeded deployment once, with counts, last runs and automations as Prefect and the seed say; 4 requests each, 3 besides")
    func matchesTheSeed() async throws {
        let seed = try TestServers.seed()
        let runs = try Self.seededRuns()
        try await Live.withCountingClient { client, settings, transport in
            let now = Date()
            let report = try await client.deploymentActivity(filter: nil, limit: 50, offset: 0, days: 30, now: now, ui: settings.uiURL)
            let requests = transport.take()
            let rows = report.page.items
            #expect(Dictionary(uniqueKeysWithValues: rows.map { ($0.slug, $0.id) }) == seed.deployments)
            #expect(!report.page.truncated && report.notes.isEmpty, "\(report.notes)")
            #expect(requests.count == 4 * rows.count + 3, "\(requests)")
            #expect(requests.filter { $0 == "POST /api/automations/filter" }.count == 1)
            #expect(report.windowEnd == now && report.windowStart == now.addingTimeInterval(-30 * 86_400))

            for row in rows {
                let start = report.windowStart
                #expect(row.runs.total == (try await Self.count(client, deployment: row.id, start: start, now: now)), "\(row.slug)")
                for (type, value) in [
                    (StateType.completed, row.runs.completed), (.failed, row.runs.failed), (.crashed, row.runs.crashed),
                    (.cancelled, row.runs.cancelled),
                ] {
                    #expect(value == (try await Self.count(client, deployment: row.id, start: start, now: now, type: type)), "\(row.slug) \(type)")
                }
                let mine = runs.filter { $0.deployment == row.slug }
                let inWindow = mine.filter { run in
                    run.expectedStartTime.flatMap(PrefectDate.parse).map { $0 >= start && $0 < now } ?? false
                }
                #expect(row.runs.total == inWindow.count, "\(row.slug): the seed has \(inWindow.count) runs in the window")
                let newestStarted = mine.filter { $0.startTime != nil }.max { PrefectDate.parse($0.startTime!)! < PrefectDate.parse($1.startTime!)! }
                #expect(row.lastRun?.id == newestStarted?.id, "\(row.slug)")
                let lastCompleted = mine.filter { $0.state.hasPrefix("COMPLETED/") }.compactMap { $0.endTime.flatMap(PrefectDate.parse) }.max()
                #expect(row.lastCompletedTime == lastCompleted, "\(row.slug)")
                #expect(row.runByAutomations?.map(\.name) == (row.slug == "ingest/backfill" ? ["backfill-on-request"] : []), "\(row.slug)")
                // Prefect's own events (state changes of the seeded runs) relate to the deployments; none is output.
                #expect(row.outputEvents == DeploymentActivity.OutputEvents(count: 0, latest: []), "\(row.slug)")
                #expect(row.uiURL.hasSuffix("/deployments/deployment/\(row.id)"))
            }

            let bySlug = Dictionary(uniqueKeysWithValues: rows.map { ($0.slug, $0) })
            let prod = try #require(bySlug["etl-daily/prod"])
            let related = try await client.send(
                PrefectAPI.events(
                    EventsQuery(
                        filter: EventFilter(
                            occurred: .init(since: report.windowStart, until: now), anyResource: .init(id: ["prefect.deployment.\(prod.id)"])),
                        limit: 1)))
            #expect(related.total > 0, "without exclude_prefix the deployment's run events are found: the exclusion is what makes 0")

            #expect(bySlug["etl-daily/paused"]?.classification == .dormant)
            #expect(bySlug["etl-daily/paused"]?.reason.contains("paused") == true)
            #expect(bySlug["nightly-report/queued"]?.classification == .spinning, "its one run is Late behind a paused queue")
            #expect(bySlug["nightly-report/queued"]?.reason.contains("1 Late") == true)
            #expect(bySlug["nightly-report/main"]?.classification == .broken, "its newest started run failed")
            #expect(prod.classification == .productive)
        }
    }

    @Test("The window decides: over one day ingest/backfill only has its Late run, over thirty its old completed one too")
    func window() async throws {
        try await Live.withClient { client, settings in
            let now = Date()
            let filter = DeploymentFilter(name: AnyLike(any: ["backfill"]))
            let day = try await client.deploymentActivity(filter: filter, limit: 10, offset: 0, days: 1, now: now, ui: settings.uiURL)
            let month = try await client.deploymentActivity(filter: filter, limit: 10, offset: 0, days: 30, now: now, ui: settings.uiURL)
            let short = try #require(day.page.items.first)
            let long = try #require(month.page.items.first)
            #expect(day.page.items.map(\.slug) == ["ingest/backfill"])
            #expect(short.runs.byStateName == ["Late": 1] && short.classification == .spinning)
            #expect(long.runs.completed == 1 && long.runs.total == 2 && long.classification == .productive)
            #expect(short.lastCompletedTime == long.lastCompletedTime && short.lastCompletedTime != nil, "the last completion is whenever it was")
        }
    }

    @Test("A deployment filter and paging: paused ones only; limit 1 says there is more and the next offset finds the rest")
    func filterAndPaging() async throws {
        try await Live.withClient { client, settings in
            let now = Date()
            let paused = try await client.deploymentActivity(
                filter: DeploymentFilter(paused: Equals(eq: true)), limit: 10, offset: 0, days: 30, now: now, ui: settings.uiURL)
            #expect(paused.page.items.map(\.slug) == ["etl-daily/paused"])
            let first = try await client.deploymentActivity(filter: nil, limit: 1, offset: 0, days: 30, now: now, ui: settings.uiURL)
            #expect(first.page.items.count == 1 && first.page.truncated && first.page.nextOffset == 1)
            let rest = try await client.deploymentActivity(filter: nil, limit: 50, offset: 1, days: 30, now: now, ui: settings.uiURL)
            let all = try await client.deploymentActivity(filter: nil, limit: 50, offset: 0, days: 30, now: now, ui: settings.uiURL)
            #expect((first.page.items + rest.page.items).map(\.id) == all.page.items.map(\.id))
        }
    }
}
