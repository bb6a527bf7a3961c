@testable import Core
import Foundation
import Synchronization
import TestSupport
import Testing

/// The dashboard's overview against the seeded server: a refresh that follows another keeps the slow parts only
/// while nothing they depend on moved.
@Suite("Dashboard overview refreshes")
struct OverviewIntegrationTests {
    /// The real transport, counting the requests that pass.
    final class CountingTransport: HTTPTransport {
        let inner = AsyncHTTPTransport()
        let paths = Mutex<[String]>([])

        func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
            paths.withLock { $0.append("\(request.method) \(request.url.path)") }
            return try await inner.send(request)
        }

        func shutdown() async { await inner.shutdown() }

        /// The requests since the last call.
        func take() -> [String] { paths.withLock { paths in defer { paths = [] }; return paths } }
    }

    static func withCountingClient(_ body: (PrefectClient, PrefectSettings, CountingTransport) async throws -> Void) async throws {
        let settings = try Live.settings(url: try TestServers.apiURL())
        let transport = CountingTransport()
        let client = PrefectClient(configuration: .init(settings: settings), transport: transport)
        do {
            try await body(client, settings, transport)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    @Test("Nothing moved: versions, pool health and the late-run diagnosis are kept, with under a third of the requests")
    func keepsSlowParts() async throws {
        try await Self.withCountingClient { client, settings, transport in
            let now = Date()
            let first = try await client.dashboardOverview(settings: settings, window: .day, now: now)
            let full = transport.take()
            let second = try await client.dashboardOverview(settings: settings, window: .day, now: now.addingTimeInterval(2), previous: first)
            let light = transport.take()

            #expect(second.slowPartsReadAt == first.slowPartsReadAt)
            #expect(second.status.workPools == first.status.workPools)
            #expect(second.lateRuns.runs.map(\.run.id) == first.lateRuns.runs.map(\.run.id))
            #expect(second.lateRuns.lateCount > 0, "the seed has late runs, so the diagnosis is real work")
            #expect(second.status.flowRuns == first.status.flowRuns)
            #expect(second.recentRuns.map(\.id) == first.recentRuns.map(\.id))
            #expect(light.count * 3 < full.count, "\(light.count) requests after \(full.count)")
            #expect(!light.contains { $0.contains("/workers/filter") || $0.contains("/queues/filter") || $0.hasSuffix("/version") })
            #expect(light.contains("GET /api/health"), "health is asked on every refresh")
        }
    }

    @Test("A count that moved, or a read older than the limit, reads everything again")
    func readsAgain() async throws {
        try await Self.withCountingClient { client, settings, transport in
            let now = Date()
            let first = try await client.dashboardOverview(settings: settings, window: .day, now: now)
            let full = transport.take().count

            var moved = first
            moved.status.flowRuns.late += 1  // as if a run had turned Late since
            let afterMove = try await client.dashboardOverview(settings: settings, window: .day, now: now.addingTimeInterval(2), previous: moved)
            #expect(afterMove.slowPartsReadAt == now.addingTimeInterval(2))
            #expect(afterMove.status.flowRuns.late == first.status.flowRuns.late)
            #expect(transport.take().count >= full - 2, "only the versions may be kept")

            let old = try await client.dashboardOverview(
                settings: settings, window: .day, now: now.addingTimeInterval(DashboardOverview.slowPartsMaxAge + 1), previous: first)
            #expect(old.slowPartsReadAt == now.addingTimeInterval(DashboardOverview.slowPartsMaxAge + 1))
            #expect(transport.take().count == full)
        }
    }
}
