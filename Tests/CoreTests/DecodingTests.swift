import Foundation
import JSONValue
import Testing

@testable import Core

/// Responses recorded from a seeded Prefect 3.9.1 server (`scripts/record-fixtures`) decode into our models.
@Suite("Decoding recorded Prefect responses")
struct DecodingTests {
    static func fixture(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/responses/\(name).json")
        return try Data(contentsOf: url)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONCoding.decode(type, from: fixture(name))
    }

    @Test("Flow runs in every state, with times, parameters and the Late pair")
    func flowRuns() throws {
        let runs = try Self.decode([FlowRun].self, "flow_runs")
        #expect(Set(runs.compactMap(\.stateType)) == Set(StateType.all))
        let late = try #require(runs.first { $0.stateType == .scheduled })
        #expect(late.stateKey == .late && late.isLate)
        #expect(late.expectedStartTime != nil)
        #expect((late.estimatedStartTimeDelta ?? 0) > 0)
        let failed = try #require(runs.first { $0.stateType == .failed })
        #expect(failed.state?.message?.isEmpty == false)
        #expect(failed.startTime != nil && failed.endTime != nil)
        #expect(runs.allSatisfy { !$0.flowID.isEmpty })
    }

    @Test("Task runs, flows, deployments with schedules and their deployment limit")
    func objects() throws {
        #expect(try Self.decode([TaskRun].self, "task_runs").allSatisfy { $0.stateType != nil && $0.flowRunID != nil })
        #expect(try Self.decode([Flow].self, "flows").allSatisfy { !$0.name.isEmpty })
        let deployments = try Self.decode([Deployment].self, "deployments")
        #expect(deployments.count == 3)
        #expect(deployments.allSatisfy { $0.workPoolName != nil && $0.paused != nil })
        #expect(deployments.flatMap { $0.schedules ?? [] }.allSatisfy { $0.summary != "unknown" })
    }

    @Test("Pools, queues and workers; a worker with a heartbeat is ONLINE")
    func pools() throws {
        let pools = try Self.decode([WorkPool].self, "work_pools")
        #expect(Set(pools.compactMap(\.status)).isSubset(of: ["READY", "NOT_READY", "PAUSED"]))
        #expect(pools.contains { $0.isPaused == true })
        #expect(try Self.decode([WorkQueue].self, "work_queues").contains { $0.isPaused == true })
        let workers = try Self.decode([Worker].self, "workers")
        #expect(workers.first?.isOnline == true && workers.first?.lastHeartbeatTime != nil)
    }

    @Test("Logs, events with their next page token, and history buckets")
    func logsEventsHistory() throws {
        let logs = try Self.decode([LogEntry].self, "logs")
        #expect(logs.first?.levelName == "ERROR")
        #expect(logs.first?.message.contains("Traceback") == true)
        let page = try Self.decode(EventPage.self, "events")
        #expect(page.events.count == 3 && page.total >= 3)
        #expect(page.nextPageToken?.isEmpty == false)
        #expect(page.events.allSatisfy { $0.resourceID != nil })
        let history = try Self.decode([HistoryBucket].self, "flow_run_history")
        #expect(history.count == 4)
        #expect(history.allSatisfy { $0.intervalEnd.timeIntervalSince($0.intervalStart) == 21_600 })
        #expect(history.flatMap(\.states).contains { $0.key == .late })
    }

    @Test("Automations, artifacts, variables, both kinds of concurrency limit, state history")
    func rest() throws {
        let automation = try #require(try Self.decode([Automation].self, "automations").first)
        #expect(automation.trigger?["type"] != nil)
        #expect(try Self.decode([Artifact].self, "artifacts").count == 3)
        #expect(try Self.decode([Variable].self, "variables").contains { $0.value == ["new_ui": true] })
        let v1 = try Self.decode([TagConcurrencyLimit].self, "concurrency_limits_v1")
        let v2 = try Self.decode([GlobalConcurrencyLimit].self, "concurrency_limits_v2")
        #expect(v1.map(\.tag) == ["db"])
        let merged = ConcurrencyLimitSummary.merge(tags: v1, globals: v2)
        #expect(merged.count == v2.count, "the v1 limit is one of the v2 ones")
        let states = try Self.decode([State].self, "flow_run_states")
        #expect(states.last?.type == .failed)
    }

    @Test("Unknown fields and unknown enum values decode; so does a missing optional")
    func tolerance() throws {
        var runs = try #require(try JSONValue(parsing: Self.fixture("flow_runs")).arrayValue)
        guard case .object(var run) = runs[0] else { Issue.record("not an object"); return }
        run["state_type"] = "HIBERNATING"
        run["brand_new_field"] = ["nested": [1, 2]]
        run["tags"] = nil
        run.removeValue(forKey: "work_pool_name")
        if case .object(var state) = run["state"] ?? .null {
            state["type"] = "HIBERNATING"
            run["state"] = .object(state)
        }
        runs[0] = .object(run)
        let decoded = try JSONCoding.decode([FlowRun].self, from: JSONValue.array(runs))
        #expect(decoded[0].stateType == StateType("HIBERNATING"))
        #expect(decoded[0].workPoolName == nil)
        #expect(StateType("HIBERNATING") > .cancelled, "unknown types sort after the known ones")
    }
}
