import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Core

/// The dashboard's overview against the seeded server: a refresh that follows another keeps the late-run diagnosis
/// only while nothing it depends on moved, and the client keeps workers and versions as their policy says.
@Suite("Dashboard overview refreshes")
struct OverviewIntegrationTests {
    /// A first, full overview at `now`, and the requests it made.
    static func firstRead(_ client: PrefectClient, _ settings: PrefectSettings, _ transport: CountingTransport, now: Date) async throws -> (
        DashboardOverview, [String]
    ) {
        let first = try await client.dashboardOverview(settings: settings, window: .day, now: now)
        return (first, transport.take())
    }

    /// The requests that read one pool's workers.
    static func workerReads(_ requests: [String]) -> [String] { RequestBudgetIntegrationTests.workerReads(requests) }

    @Test("Nothing moved: versions, workers and the late-run diagnosis are kept, with under a third of the requests")
    func keepsSlowParts() async throws {
        try await Live.withCountingClient { client, settings, transport in
            let now = Date()
            let (first, full) = try await Self.firstRead(client, settings, transport, now: now)
            let second = try await client.dashboardOverview(settings: settings, window: .day, now: now.addingTimeInterval(2), previous: first)
            let light = transport.take()

            #expect(second.diagnosisReadAt == first.diagnosisReadAt)
            #expect(second.status.workPools == first.status.workPools)
            #expect(second.lateRuns.runs.map(\.run.id) == first.lateRuns.runs.map(\.run.id))
            #expect(second.lateRuns.lateCount > 0, "the seed has late runs, so the diagnosis is real work")
            #expect(second.status.flowRuns == first.status.flowRuns)
            #expect(second.recentRuns.map(\.id) == first.recentRuns.map(\.id))
            #expect(light.count * 3 < full.count, "\(light.count) requests after \(full.count)")
            #expect(!light.contains { $0.contains("/workers/filter") || $0.hasSuffix("queues/filter") || $0.hasSuffix("/version") }, "\(light)")
            #expect(!light.contains("GET /api/health"), "the other reads say Prefect answers: \(light)")
        }
    }

    @Test("A count that moved, or a diagnosis older than the limit, diagnoses again; workers are kept as the policy says")
    func readsAgain() async throws {
        try await Live.withCountingClient { client, settings, transport in
            let now = Date()
            let (first, full) = try await Self.firstRead(client, settings, transport, now: now)
            let pools = first.status.workPools.map(\.name)
            #expect(pools.count > 2, "the seed has several pools")
            #expect(Set(Self.workerReads(full)) == Set(pools.map { "POST /api/work_pools/\($0)/workers/filter" }), "each pool's workers once")
            #expect(full.contains("POST /api/work_queues/filter") && full.contains("GET /api/admin/version"))

            var moved = first
            moved.status.flowRuns.late += 1  // as if a run had turned Late since
            let afterMove = try await client.dashboardOverview(settings: settings, window: .day, now: now.addingTimeInterval(2), previous: moved)
            #expect(afterMove.diagnosisReadAt == now.addingTimeInterval(2))
            #expect(afterMove.status.flowRuns.late == first.status.flowRuns.late)
            let afterMoveRequests = transport.take()
            #expect(afterMoveRequests.contains("POST /api/work_queues/filter"), "the late runs are diagnosed again: \(afterMoveRequests)")
            #expect(Self.workerReads(afterMoveRequests).isEmpty, "workers read 2 s ago are kept: \(afterMoveRequests)")
            #expect(!afterMoveRequests.contains("GET /api/admin/version"), "versions are kept")

            let old = try await client.dashboardOverview(
                settings: settings, window: .day, now: now.addingTimeInterval(DashboardOverview.diagnosisMaxAge + 1), previous: first,
                workers: WorkerReads(maxAge: 0))
            #expect(old.diagnosisReadAt == now.addingTimeInterval(DashboardOverview.diagnosisMaxAge + 1))
            let oldRequests = transport.take()
            #expect(oldRequests.contains("POST /api/work_queues/filter"), "\(oldRequests)")
            #expect(Set(Self.workerReads(oldRequests)).count == pools.count, "workers older than the policy's age are read: \(oldRequests)")

            // The dashboard's policy renews at most two pools a refresh, and reads the same pools once for the status
            // and the diagnosis.
            _ = try await client.dashboardOverview(
                settings: settings, window: .day, now: now.addingTimeInterval(30), previous: first, workers: WorkerReads(maxAge: 0, refreshLimit: 2))
            let budgeted = Self.workerReads(transport.take())
            #expect(budgeted.count == 2 && Set(budgeted).count == 2, "\(budgeted)")
            _ = try await client.dashboardOverview(
                settings: settings, window: .day, now: now.addingTimeInterval(31), previous: first, workers: WorkerReads(maxAge: 0, refreshLimit: 2))
            let next = Self.workerReads(transport.take())
            #expect(next.count == 2 && Set(next).isDisjoint(with: budgeted), "the stalest pools come next: \(budgeted) then \(next)")
        }
    }

    @Test("Only runs changed: the pools are kept and their runs recounted; runs that started or ended keep the diagnosis 15 s")
    func onlyRunsChanged() async throws {
        let seed = try TestServers.seed()
        try await Live.withCountingClient { client, settings, transport in
            let now = Date()
            let (first, _) = try await Self.firstRead(client, settings, transport, now: now)
            // As if a run had ended since: the running count moved, nothing else.
            var before = first
            before.status.flowRuns.running += 1
            for index in before.status.workPools.indices { before.status.workPools[index].lateRuns += 1 }
            let runs = try await client.dashboardOverview(
                settings: settings, window: .day, now: now.addingTimeInterval(2), previous: before, workers: WorkerReads(maxAge: 0),
                onlyRunsChanged: true)
            let requests = transport.take()
            #expect(!requests.contains("POST /api/work_pools/filter") && Self.workerReads(requests).isEmpty, "\(requests)")
            #expect(!requests.contains("POST /api/work_queues/filter"), "runs that ended keep the diagnosis: \(requests)")
            #expect(runs.diagnosisReadAt == first.diagnosisReadAt)
            #expect(runs.status.flowRuns.running == seed.flowRuns.running)
            for pool in runs.status.workPools {
                #expect(pool.lateRuns == seed.workPools[pool.name]?.lateRuns, "recounted from the live runs: \(pool.name)")
                #expect(pool.onlineWorkers == seed.workPools[pool.name]?.onlineWorkers, "kept: \(pool.name)")
            }

            // The same move 15 s after the diagnosis was read: it is read again.
            _ = try await client.dashboardOverview(
                settings: settings, window: .day, now: now.addingTimeInterval(DashboardOverview.diagnosisMaxAge), previous: before,
                onlyRunsChanged: true)
            #expect(transport.take().contains("POST /api/work_queues/filter"))
        }
    }

    @Test("With events pushed, the late-run diagnosis is kept while nothing moved, up to the caller's limit")
    func keepsDiagnosisWhilePushed() async throws {
        try await Live.withCountingClient { client, settings, transport in
            let now = Date()
            let (first, full) = try await Self.firstRead(client, settings, transport, now: now)
            let later = now.addingTimeInterval(DashboardOverview.diagnosisMaxAge + 45)
            let kept = try await client.dashboardOverview(
                settings: settings, window: .day, now: later, previous: first, keepDiagnosisFor: 300, workers: WorkerReads(maxAge: 0))
            let requests = transport.take()
            #expect(kept.diagnosisReadAt == first.diagnosisReadAt)
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
