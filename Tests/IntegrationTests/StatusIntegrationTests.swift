import Foundation
import TestSupport
import Testing

@testable import Core

/// `status` against the seeded real server, checked against what the seed script created and against the
/// server's own count endpoint.
@Suite("status against the seeded server")
struct StatusIntegrationTests {
    @Test("Counts by state in the window equal what the seed created")
    func windowCounts() async throws {
        let seed = try TestServers.seed()
        let status = try await Live.withClient { client, settings in try await client.status(settings: settings) }
        var ours: [String: Int] = [:]
        for state in status.flowRuns.byState { ours["\(state.type.rawValue)/\(state.name)"] = state.count }
        #expect(ours == seed.flowRuns.inWindow.byState)
        #expect(status.flowRuns.total == seed.flowRuns.inWindow.total)
        #expect(status.flowRuns.late == seed.flowRuns.late)
        #expect(status.flowRuns.running == seed.flowRuns.running)
        #expect(status.flowRuns.upcoming == seed.flowRuns.upcoming)
        #expect(status.flowRuns.count(.late) == seed.flowRuns.inWindow.byState["SCHEDULED/Late"] ?? 0)
        #expect(status.server.version == "3.9.1")
        #expect(status.server.healthy)
    }

    @Test("Per-type counts agree with /flow_runs/count over the same window")
    func agreesWithCountEndpoint() async throws {
        try await Live.withClient { client, settings in
            let now = Date()
            let status = try await client.status(settings: settings, window: .day, now: now)
            for type in StateType.all {
                let counted = try await client.send(
                    PrefectAPI.countFlowRuns(
                        FlowRunsCount(
                            flowRuns: FlowRunFilter(
                                state: FlowRunStateFilter(type: AnyNotAny(any: [type])),
                                expectedStartTime: TimeRange(before: now, after: status.window.start)))
                    )
                )
                #expect(status.flowRuns.count(type) == counted, "\(type)")
            }
        }
    }

    @Test("Work pools: status, paused, online workers and late runs as seeded")
    func pools() async throws {
        let seed = try TestServers.seed()
        let status = try await Live.withClient { client, settings in try await client.status(settings: settings) }
        #expect(Set(status.workPools.map(\.name)) == Set(seed.workPools.keys))
        for pool in status.workPools {
            let expected = try #require(seed.workPools[pool.name])
            #expect(pool.isPaused == expected.isPaused, "\(pool.name)")
            #expect(pool.onlineWorkers == expected.onlineWorkers, "\(pool.name)")
            #expect(pool.workers == expected.workers.count, "\(pool.name)")
            #expect(pool.lateRuns == expected.lateRuns, "\(pool.name)")
            #expect(pool.concurrencyLimit == expected.concurrencyLimit, "\(pool.name)")
        }
        let empty = try #require(status.workPools.first { $0.name == "empty-pool" })
        #expect(empty.workers == 0 && empty.lastHeartbeat == nil)
        let prod = try #require(status.workPools.first { $0.name == "prod-pool" })
        #expect(prod.lastHeartbeat != nil)
        #expect(try #require(status.workPools.first { $0.name == "paused-pool" }).status == "PAUSED")
    }

    @Test("A shorter window counts fewer runs, never more")
    func windows() async throws {
        try await Live.withClient { client, settings in
            let now = Date()
            let hour = try await client.status(settings: settings, window: TimeWindow(seconds: 3600), now: now)
            let day = try await client.status(settings: settings, window: .day, now: now)
            let week = try await client.status(settings: settings, window: TimeWindow(seconds: 7 * 86_400), now: now)
            #expect(hour.flowRuns.total <= day.flowRuns.total)
            #expect(day.flowRuns.total < week.flowRuns.total, "the seed has runs three days old")
        }
    }
}
