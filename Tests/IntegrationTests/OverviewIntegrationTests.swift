import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Core

/// The dashboard's overview against the seeded server: a refresh that follows another keeps the slow parts only
/// while nothing they depend on moved.
@Suite("Dashboard overview refreshes")
struct OverviewIntegrationTests {
    /// A first, full overview at `now`, and the requests it made.
    static func firstRead(_ client: PrefectClient, _ settings: PrefectSettings, _ transport: CountingTransport, now: Date) async throws -> (
        DashboardOverview, [String]
    ) {
        let first = try await client.dashboardOverview(settings: settings, window: .day, now: now)
        return (first, transport.take())
    }

    @Test("Nothing moved: versions, pool health and the late-run diagnosis are kept, with under a third of the requests")
    func keepsSlowParts() async throws {
        try await Live.withCountingClient { client, settings, transport in
            let now = Date()
            let (first, full) = try await Self.firstRead(client, settings, transport, now: now)
            let second = try await client.dashboardOverview(settings: settings, window: .day, now: now.addingTimeInterval(2), previous: first)
            let light = transport.take()

            #expect(second.slowPartsReadAt == first.slowPartsReadAt)
            #expect(second.status.workPools == first.status.workPools)
            #expect(second.lateRuns.runs.map(\.run.id) == first.lateRuns.runs.map(\.run.id))
            #expect(second.lateRuns.lateCount > 0, "the seed has late runs, so the diagnosis is real work")
            #expect(second.status.flowRuns == first.status.flowRuns)
            #expect(second.recentRuns.map(\.id) == first.recentRuns.map(\.id))
            #expect(light.count * 3 < full.count, "\(light.count) requests after \(full.count)")
            #expect(!light.contains { $0.contains("/workers/filter") || $0.hasSuffix("queues/filter") || $0.hasSuffix("/version") })
            #expect(light.contains("GET /api/health"), "health is asked on every refresh")
        }
    }

    @Test("A count that moved, or a read older than the limit, reads everything again")
    func readsAgain() async throws {
        try await Live.withCountingClient { client, settings, transport in
            let now = Date()
            let (first, full) = try await Self.firstRead(client, settings, transport, now: now)
            let pools = first.status.workPools.map(\.name)
            #expect(!pools.isEmpty)
            /// Whether `requests` read every pool's workers again, and the queues (across pools, for the late runs).
            func readsPools(_ requests: [String]) -> Bool {
                pools.allSatisfy { requests.contains("POST /api/work_pools/\($0)/workers/filter") }
                    && requests.contains("POST /api/work_queues/filter")
            }
            #expect(readsPools(full) && full.contains("GET /api/admin/version"))

            var moved = first
            moved.status.flowRuns.late += 1  // as if a run had turned Late since
            let afterMove = try await client.dashboardOverview(settings: settings, window: .day, now: now.addingTimeInterval(2), previous: moved)
            #expect(afterMove.slowPartsReadAt == now.addingTimeInterval(2))
            #expect(afterMove.status.flowRuns.late == first.status.flowRuns.late)
            let afterMoveRequests = transport.take()
            #expect(readsPools(afterMoveRequests))
            #expect(afterMoveRequests.contains("POST /api/flow_runs/filter"), "the late runs are read again")
            #expect(!afterMoveRequests.contains("GET /api/admin/version"), "versions are kept")

            let old = try await client.dashboardOverview(
                settings: settings, window: .day, now: now.addingTimeInterval(DashboardOverview.slowPartsMaxAge + 1), previous: first)
            #expect(old.slowPartsReadAt == now.addingTimeInterval(DashboardOverview.slowPartsMaxAge + 1))
            let oldRequests = transport.take()
            #expect(readsPools(oldRequests) && oldRequests.contains("GET /api/admin/version"))
        }
    }

    @Test("With events pushed, an old read re-reads pool health but keeps the late-run diagnosis while nothing moved")
    func keepsDiagnosisWhilePushed() async throws {
        try await Live.withCountingClient { client, settings, transport in
            let now = Date()
            let (first, full) = try await Self.firstRead(client, settings, transport, now: now)
            let later = now.addingTimeInterval(DashboardOverview.slowPartsMaxAge + 45)
            let kept = try await client.dashboardOverview(settings: settings, window: .day, now: later, previous: first, keepDiagnosisFor: 300)
            let requests = transport.take()
            #expect(kept.slowPartsReadAt == later && kept.diagnosisReadAt == first.diagnosisReadAt)
            #expect(kept.lateRuns.runs.map(\.run.id) == first.lateRuns.runs.map(\.run.id) && kept.lateRuns.lateCount > 0)
            for pool in first.status.workPools.map(\.name) {
                #expect(requests.contains("POST /api/work_pools/\(pool)/workers/filter"), "pool health is read again: \(requests)")
            }
            #expect(!requests.contains("POST /api/work_queues/filter"), "the diagnosis is kept: \(requests)")
            #expect(requests.count < full.count, "\(requests.count) requests after \(full.count)")
            // Past the keep, or without it, the diagnosis is read again.
            let expired = try await client.dashboardOverview(
                settings: settings, window: .day, now: now.addingTimeInterval(301), previous: kept, keepDiagnosisFor: 300)
            #expect(expired.diagnosisReadAt == now.addingTimeInterval(301))
            #expect(transport.take().contains("POST /api/work_queues/filter"))
        }
    }
}
