import Foundation
import TestSupport
import Testing

@testable import Core

/// What `get_work_pools` and `get_dashboard` ask of Prefect: everything across pools in one read each, except the
/// workers, which Prefect reads only one pool at a time and the client keeps for 15 s, and the versions, kept for
/// ten minutes; and the answers stay what the seed made.
@Suite("Requests per answer")
struct RequestBudgetIntegrationTests {
    /// The requests that read one pool's workers.
    static func workerReads(_ requests: [String]) -> [String] {
        requests.filter { $0.hasPrefix("POST /api/work_pools/") && $0.hasSuffix("/workers/filter") }
    }

    @Test("get_work_pools: pools, queues and runs in three reads side by side, plus each pool's workers unless kept")
    func workPools() async throws {
        let seed = try TestServers.seed()
        try await Live.withCountingClient { client, settings, transport in
            let page = try await client.workPoolDetails(filter: nil, limit: 50, offset: 0, ui: settings.uiURL, now: Date())
            let requests = transport.take()
            #expect(Self.workerReads(requests).count == page.items.count, "\(requests)")
            #expect(requests.count - page.items.count == 3, "\(requests)")
            #expect(requests.filter { $0 == "POST /api/work_queues/filter" }.count == 1, "\(requests)")
            #expect(!requests.contains { $0.hasSuffix("/queues/filter") && $0.hasPrefix("POST /api/work_pools/") }, "\(requests)")
            #expect(!requests.contains { $0.hasSuffix("/flow_runs/count") }, "\(requests)")

            #expect(Set(page.items.map(\.health.name)) == Set(seed.workPools.keys))
            for pool in page.items {
                let expected = try #require(seed.workPools[pool.health.name])
                #expect(pool.health.isPaused == expected.isPaused, "\(pool.health.name)")
                #expect(pool.health.onlineWorkers == expected.onlineWorkers, "\(pool.health.name)")
                #expect(pool.workers.map(\.name).sorted() == expected.workers.sorted(), "\(pool.health.name)")
                #expect(pool.health.lateRuns == expected.lateRuns, "\(pool.health.name)")
                #expect(pool.health.concurrencyLimit == expected.concurrencyLimit, "\(pool.health.name)")
                #expect(pool.queues.map(\.name).sorted() == expected.queues.sorted(), "\(pool.health.name)")
            }

            // Asked again within 15 s: the same answer from three requests.
            let again = try await client.workPoolDetails(filter: nil, limit: 50, offset: 0, ui: settings.uiURL, now: Date())
            let againRequests = transport.take()
            #expect(againRequests.count == 3 && Self.workerReads(againRequests).isEmpty, "\(againRequests)")
            // The same workers and heartbeats, their ages counted to the new answer's time.
            #expect(
                again.items.map { $0.workers.map { [$0.name, "\($0.lastHeartbeat.map(PrefectDate.format) ?? "-")"] } }
                    == page.items.map { $0.workers.map { [$0.name, "\($0.lastHeartbeat.map(PrefectDate.format) ?? "-")"] } })

            // One pool alone reads its own queues, not every pool's.
            let one = try await client.workPoolDetails(filter: .named("prod-pool"), limit: 50, offset: 0, ui: settings.uiURL, now: Date())
            #expect(one.items.map(\.health.name) == ["prod-pool"])
            #expect(one.items.first?.queues.map(\.name).sorted() == seed.workPools["prod-pool"]?.queues.sorted())
            let oneRequests = transport.take()
            #expect(oneRequests.count == 3 && oneRequests.contains("POST /api/work_pools/prod-pool/queues/filter"), "\(oneRequests)")
        }
    }

    @Test("get_dashboard: at most eight reads, plus each pool's workers and the versions when not kept; counts as seeded")
    func dashboard() async throws {
        let seed = try TestServers.seed()
        try await Live.withCountingClient { client, settings, transport in
            // The deployments' names behind their limits are read once a client, as a session reads them.
            _ = try await client.concurrencyLimits()
            _ = transport.take()
            // As the tool asks: the status and the concurrency limits together.
            func answer() async throws -> (ServerStatus, [String]) {
                async let status = client.status(settings: settings)
                async let limits = client.concurrencyLimits()
                let (answer, _) = (try await status, try await limits)
                return (answer, transport.take())
            }
            let (first, requests) = try await answer()
            let workers = Self.workerReads(requests)
            #expect(workers.count == first.workPools.count, "\(requests)")
            // The two versions, the window's history, the live runs, the upcoming count, the pools and the two kinds
            // of concurrency limit; no health (the other reads say Prefect answers).
            #expect(requests.count - workers.count == 8, "\(requests)")
            #expect(!requests.contains("GET /api/health"), "\(requests)")
            #expect(!requests.contains { $0.hasSuffix("/queues/filter") }, "the dashboard shows no queues: \(requests)")
            #expect(requests.filter { $0 == "POST /api/flow_runs/count" }.count == 1, "only the upcoming runs are counted: \(requests)")

            #expect(first.flowRuns.late == seed.flowRuns.late)
            #expect(first.flowRuns.running == seed.flowRuns.running)
            #expect(first.flowRuns.upcoming == seed.flowRuns.upcoming)
            #expect(first.server.version != nil && first.server.apiVersion != nil && first.server.healthy)
            for pool in first.workPools {
                let expected = try #require(seed.workPools[pool.name])
                #expect(pool.lateRuns == expected.lateRuns, "\(pool.name)")
                #expect(pool.onlineWorkers == expected.onlineWorkers, "\(pool.name)")
                #expect(pool.workers == expected.workers.count, "\(pool.name)")
            }

            // Asked again, as an assistant does: six reads, the same answer.
            let (second, again) = try await answer()
            #expect(again.count == 6 && Self.workerReads(again).isEmpty && !again.contains { $0.hasSuffix("/version") }, "\(again)")
            #expect(second.workPools == first.workPools && second.server == first.server)
        }
    }

    @Test("The counts from the one read of live runs equal the count endpoint's, overall and in every pool")
    func liveCountsExact() async throws {
        try await Live.withClient { client, _ in
            let page = try #require(try await client.liveRunsPage(), "the seed's live runs fit in one page")
            let pools = try await client.send(PrefectAPI.workPools(WorkPoolsQuery())).map(\.name)
            #expect(try await client.liveRunCounts(page: page) == client.liveRunCounts(page: nil))
            let fromPage = try await client.liveRunCounts(page: page, pools: pools)
            let counted = try await client.liveRunCounts(page: nil, pools: pools)
            #expect(fromPage == counted)
            #expect(fromPage.values.contains { $0.active > 0 } && fromPage.values.contains { $0.late > 0 })
        }
    }
}
