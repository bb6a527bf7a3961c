import Foundation
import TestSupport
import Testing

@testable import Core

/// `waitForFlowRun` on the seeded server's runs, whose states do not move: a final run answers at once with its
/// failure, a run already in the awaited state too, and one that is not there times out with its state as it is.
/// (Runs that do move are waited for in Tests/e2e/test_wait_for_flow_run.py, on the runner server.)
@Suite("Waiting for a run against the seeded server")
struct RunWaitIntegrationTests {
    @Test("A Failed run answers at once: reached, its state and the failure summary, the run read once by the wait")
    func failed() async throws {
        let seed = try TestServers.seed()
        let id = seed.runs.failedLongLog.id
        try await Live.withCountingClient { client, settings, transport in
            let wait = try await client.waitForFlowRun(idOrName: id, timeout: 30, ui: settings.uiURL)
            #expect(wait.reached && !wait.timedOut && wait.until == "final" && wait.state.type == "FAILED")
            #expect(wait.state.timestamp != nil && wait.run.id == id && wait.run.flowName != nil)
            #expect(wait.failure?.isEmpty == false && wait.waitedSeconds < 30)
            let reads = transport.take().filter { $0 == "GET /api/flow_runs/\(id)" }.count
            _ = try await client.diagnoseFlowRun(idOrName: id, ui: settings.uiURL)
            let diagnosisReads = transport.take().filter { $0 == "GET /api/flow_runs/\(id)" }.count
            #expect(reads == 1 + diagnosisReads, "the look-up, then the diagnosis's own reads; no second poll")
        }
    }

    @Test("A Late run is Late at once; awaited Running it times out at 0 s, Late, its history read once")
    func late() async throws {
        let seed = try TestServers.seed()
        try await Live.withCountingClient { client, settings, transport in
            let late = try await client.waitForFlowRun(idOrName: seed.runs.lateGPU, until: .name("Late"), timeout: 30, ui: settings.uiURL)
            #expect(late.reached && late.until == "Late" && late.state.name == "Late" && late.failure == nil)
            #expect(!transport.take().contains { $0.contains("/flow_run_states") }, "reached: no history to read")

            let waiting = try await client.waitForFlowRun(idOrName: seed.runs.lateGPU, until: .type(.running), timeout: 0, ui: settings.uiURL)
            #expect(!waiting.reached && waiting.timedOut && waiting.state.name == "Late" && waiting.run.stateName == "Late")
            // The seconds are those really waited: a loaded machine takes a second to read the run and its history.
            #expect(waiting.waitedSeconds < 5)
            #expect(waiting.message.hasPrefix("Still Late after \(Int(waiting.waitedSeconds)) s; the wait ended, the run goes on."))
            #expect(transport.take().filter { $0.contains("/flow_run_states") }.count == 1)
        }
    }

    @Test("A Running run named by its exact name is Running at once")
    func runningByName() async throws {
        let seed = try TestServers.seed()
        try await Live.withClient { client, settings in
            let name = try await client.send(PrefectAPI.flowRun(id: seed.runs.runningGPU)).name
            let wait = try await client.waitForFlowRun(idOrName: name, until: .type(.running), timeout: 30, ui: settings.uiURL)
            #expect(wait.reached && wait.run.id == seed.runs.runningGPU && wait.state.type == "RUNNING")
        }
    }
}
