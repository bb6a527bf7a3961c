import Foundation
import JSONValue
import TestSupport
import Testing

@testable import Core

/// Pool health read across pools stays exact past one page: full pages fall back to counts and per-pool reads.
@Suite("Live run counts and queues across pools")
struct LiveRunCountsTests {
    static func run(_ index: Int, type: String, name: String, pool: String?) -> JSONValue {
        [
            "id": .string("run-\(index)"), "name": .string("r\(index)"), "flow_id": "f", "state_type": .string(type), "state_name": .string(name),
            "work_pool_name": pool.map { .string($0) } ?? .null,
        ]
    }

    @Test("Told apart by type and name: Late is SCHEDULED/Late only; a pool-less run counts overall alone")
    func tally() throws {
        let runs = try JSONCoding.decode(
            [FlowRun].self,
            from: [
                Self.run(1, type: "SCHEDULED", name: "Late", pool: "a"),
                Self.run(2, type: "RUNNING", name: "Late", pool: "a"),  // a custom name: running, not late
                Self.run(3, type: "PENDING", name: "Pending", pool: "b"),
                Self.run(4, type: "RUNNING", name: "Running", pool: nil),
                Self.run(5, type: "SCHEDULED", name: "Late", pool: "b"),
            ] as JSONValue)
        let (overall, byPool) = LiveRunCounts.tally(runs)
        #expect(overall == LiveRunCounts(late: 2, running: 2, pending: 1))
        #expect(byPool["a"] == LiveRunCounts(late: 1, running: 1, pending: 0))
        #expect(byPool["b"] == LiveRunCounts(late: 1, running: 0, pending: 1))
        #expect(byPool["b"]?.active == 1 && byPool.count == 2)
    }

    @Test("A full page of live runs and of queues: every count from /flow_runs/count, every pool's queues read apart")
    func fullPagesFallBack() async throws {
        let pools: JSONValue = [
            ["id": "pool-a", "name": "a", "type": "process", "status": "READY"],
            ["id": "pool-b", "name": "b", "type": "process", "status": "NOT_READY"],
        ]
        let fullOfRuns = JSONValue.array((0..<PageLimit.maximum).map { Self.run($0, type: "SCHEDULED", name: "Late", pool: "a") })
        let fullOfQueues = JSONValue.array(
            (0..<PageLimit.maximum).map { ["id": .string("q\($0)"), "name": .string("q\($0)"), "work_pool_id": "pool-a"] as JSONValue })
        let transport = FakeTransport { request, _ in
            let path = request.url.path
            let body = String(decoding: request.body ?? Data(), as: UTF8.self)
            func answer(_ value: JSONValue) -> HTTPResponseData {
                HTTPResponseData(status: 200, body: Data(value.jsonText.utf8))
            }
            switch path {
            case "/api/health": return answer(true)
            case "/api/admin/version": return answer("3.9.1")
            case "/api/version": return answer("0.8.4")
            case "/api/flow_runs/history": return answer([])
            case "/api/work_pools/filter": return answer(pools)
            case "/api/flow_runs/filter": return answer(fullOfRuns)
            case "/api/work_queues/filter": return answer(fullOfQueues)
            case "/api/work_pools/a/queues/filter": return answer([["id": "qa", "name": "default", "work_pool_id": "pool-a"]])
            case "/api/work_pools/b/queues/filter": return answer([])
            case "/api/work_pools/a/workers/filter", "/api/work_pools/b/workers/filter": return answer([])
            case "/api/flow_runs/count":
                // Late 300 overall, 250 in a, 50 in b; one running in b; no pending.
                let inA = body.contains(#""any_":["a"]"#)
                let inB = body.contains(#""any_":["b"]"#)
                if body.contains(#""any_":["Late"]"#) { return answer(.int(inA ? 250 : inB ? 50 : 300)) }
                if body.contains("RUNNING") { return answer(.int(inA ? 0 : 1)) }
                return answer(0)
            default: return HTTPResponseData(status: 404, body: Data(#"{"detail":"Not Found"}"#.utf8))
            }
        }
        let client = PrefectClient.fake(transport)
        let details = try await client.workPoolDetails(ui: URL(string: "http://prefect.test:4200")!)
        #expect(details.map(\.health.lateRuns) == [250, 50])
        #expect(details.map(\.health.activeRuns) == [0, 1])
        #expect(details.map { $0.queues.map(\.name) } == [["default"], []])
        let paths = transport.requests.map(\.url.path)
        #expect(paths.contains("/api/work_pools/a/queues/filter") && paths.contains("/api/work_pools/b/queues/filter"))
        #expect(paths.filter { $0 == "/api/work_queues/filter" }.count == 1, "the full cross-pool page is read once: \(paths)")
        #expect(paths.filter { $0 == "/api/flow_runs/count" }.count == 6, "three counts in each of two pools: \(paths)")

        let settings = try SettingsResolver.resolve(
            overrides: SettingsOverrides(), environment: ["HOME": "/nonexistent", "PREFECT_API_URL": "http://prefect.test:4200/api"])
        let status = try await client.status(settings: settings, now: Date())
        #expect(status.flowRuns.late == 300 && status.flowRuns.running == 1 && status.flowRuns.pending == 0)
        #expect(status.workPools.map(\.lateRuns) == [250, 50])
    }
}
