import Foundation
import JSONValue
import Synchronization
import TestSupport
import Testing

@testable import Core

/// Waiting for a run: it ends at the first final state, gives up at its bound without failing, slows its reads as it
/// goes, and stops when its task is cancelled. Time is a fake clock that only the fake sleep moves.
@Suite("Waiting for a run to finish")
struct RunWaitTests {
    static let ui = URL(string: "http://prefect.test")!

    /// A fake run whose state is `states[n]` at the n-th read (the last one from then on).
    static func server(_ states: [(StateType, String)], runTime: Double = 12.4) throws -> FakeTransport {
        let template = try DecodingTests.decode([FlowRun].self, "flow_runs")[0]
        let bodies = try states.map { type, name in
            var run = template
            run.stateType = type
            run.stateName = name
            run.totalRunTime = runTime
            return try JSONCoding.encode(run).jsonText
        }
        return FakeTransport { _, index in
            HTTPResponseData(status: 200, headers: [], body: Data(bodies[min(index, bodies.count - 1)].utf8))
        }
    }

    /// A clock that only ``sleep`` moves, and the pauses asked for.
    final class FakeTime: Sendable {
        let state = Mutex<(now: Date, pauses: [Double])>((Date(timeIntervalSince1970: 1_000_000), []))
        var now: Date { state.withLock { $0.now } }
        var pauses: [Double] { state.withLock { $0.pauses } }
        func sleep(_ seconds: Double) {
            state.withLock {
                $0.now += seconds
                $0.pauses.append(seconds)
            }
        }
    }

    @Test("It reads until the run is final, and reports the state, the run time and how long it waited")
    func finishes() async throws {
        let transport = try Self.server([(.pending, "Pending"), (.running, "Running"), (.running, "Running"), (.completed, "Completed")])
        let time = FakeTime()
        let polls = Mutex<[String]>([])
        let outcome = try await PrefectClient.fake(transport).waitForFinalState(
            flowRunID: "r-1", timeout: 600, ui: Self.ui, clock: { time.now }, sleep: { time.sleep($0) },
            onPoll: { run, elapsed in polls.withLock { $0.append("\(run.stateName ?? "?")@\(Int(elapsed))") } })
        #expect(outcome.finished && outcome.stateType == "COMPLETED" && outcome.stateName == "Completed")
        #expect(outcome.durationSeconds == 12.4 && outcome.failure == nil && outcome.waitedSeconds == 3)
        #expect(outcome.message == "The run ended Completed after running 12s.")
        #expect(polls.withLock { $0 } == ["Pending@0", "Running@1", "Running@2", "Completed@3"])
        #expect(transport.requests.allSatisfy { $0.method == "GET" && $0.url.path.hasSuffix("/flow_runs/r-1") })
    }

    @Test("At its bound the wait ends without an error: the run goes on, and the message says how to follow it")
    func givesUp() async throws {
        let transport = try Self.server([(.running, "Running")])
        let time = FakeTime()
        let outcome = try await PrefectClient.fake(transport).waitForFinalState(
            flowRunID: "r-1", timeout: 45, ui: Self.ui, clock: { time.now }, sleep: { time.sleep($0) })
        #expect(!outcome.finished && outcome.stateName == "Running" && outcome.waitedSeconds == 45 && outcome.durationSeconds == nil)
        #expect(outcome.message.hasPrefix("Still Running after 45 s; the wait ended, the run goes on."))
        // One read a second for 30 s, then one every 2 s, the last pause cut to end exactly at the bound.
        #expect(time.pauses.prefix(30).allSatisfy { $0 == 1 } && time.pauses.dropFirst(30).allSatisfy { $0 <= 2 })
        #expect(transport.requests.count == 39)  // at 0…30 s, 32…44 s, and 45 s
    }

    @Test("The pace slows from 1 s to at most 5 s, and no wait lasts more than 600 s")
    func pace() async throws {
        #expect([0, 29, 30, 90, 119, 120, 500].map(RunWait.interval(after:)) == [1, 1, 2, 4, 4, 5, 5])
        let time = FakeTime()
        let outcome = try await PrefectClient.fake(try Self.server([(.running, "Running")])).waitForFinalState(
            flowRunID: "r-1", timeout: 86_400, ui: Self.ui, clock: { time.now }, sleep: { time.sleep($0) })
        #expect(outcome.waitedSeconds == 600)
    }

    @Test("Cancelling the waiting task ends the wait with CancellationError")
    func cancelled() async throws {
        let transport = try Self.server([(.running, "Running")])
        let task = Task {
            try await PrefectClient.fake(transport).waitForFinalState(flowRunID: "r-1", timeout: 600, ui: Self.ui)
        }
        // Cancel once the first read is answered (however loaded the machine), while the wait sleeps 1 s.
        var polls = 0
        while transport.requests.isEmpty && polls < 1_000 {
            try await Task.sleep(for: .milliseconds(10))
            polls += 1
        }
        try #require(transport.requests.count == 1)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(transport.requests.count == 1)
    }
}

/// `wait_for_flow_run`'s wait: a run found by id or name, awaited until a final state or a named one; a state passed
/// between two reads is found in the history, a run that ends elsewhere ends the wait, a timeout is an answer, and
/// a cancelled wait reads nothing more.
@Suite("Waiting for a run to reach a state")
struct FlowRunWaitTests {
    static let ui = URL(string: "http://prefect.test")!
    typealias FakeTime = RunWaitTests.FakeTime

    /// A fake Prefect: the run (by id) is `states[n]` at its n-th read, the last one from then on; its state history
    /// is `history(reads)` after `reads` reads of the run (`history` for all of them); every other read finds nothing
    /// (no flow or deployment names, no task runs, no logs).
    static func server(
        _ states: [(StateType, String)], history fixed: [(StateType, String)] = [],
        history: (@Sendable (_ reads: Int) -> [(StateType, String)])? = nil
    ) throws -> (FakeTransport, id: String) {
        let template = try DecodingTests.decode([FlowRun].self, "flow_runs")[0]
        let stamp = Date(timeIntervalSince1970: 1_800_000_000)
        let bodies = try states.map { type, name in
            var run = template
            run.stateType = type
            run.stateName = name
            run.state = State(type: type, name: name, timestamp: stamp, message: type == .failed ? "ValueError: the disk is full" : nil)
            run.deploymentID = nil
            run.totalRunTime = 12.4
            return try JSONCoding.encode(run).jsonText
        }
        let historyBody: @Sendable (Int) throws -> String = { reads in
            try JSONCoding.encode(
                (history?(reads) ?? fixed).enumerated().map { index, state in
                    State(type: state.0, name: state.1, timestamp: stamp.addingTimeInterval(Double(index)))
                }
            ).jsonText
        }
        let reads = Mutex(0)
        let transport = FakeTransport { request, _ in
            let body: String
            if request.method == "GET", request.url.path.hasSuffix("/flow_runs/\(template.id)") {
                body = reads.withLock { count in
                    defer { count += 1 }
                    return bodies[min(count, bodies.count - 1)]
                }
            } else if request.url.path.contains("/flow_run_states") {
                body = try historyBody(reads.withLock { $0 })
            } else {
                body = "[]"
            }
            return HTTPResponseData(status: 200, headers: [], body: Data(body.utf8))
        }
        return (transport, template.id)
    }

    static func historyReads(_ transport: FakeTransport) -> Int {
        transport.requests.filter { $0.url.path.contains("/flow_run_states") }.count
    }

    static func runReads(_ transport: FakeTransport, _ id: String) -> Int {
        transport.requests.filter { $0.method == "GET" && $0.url.path.hasSuffix("/flow_runs/\(id)") }.count
    }

    @Test("until: final, a state type or a state name, as Prefect spells them in any case; anything else is refused")
    func targets() {
        #expect(RunWaitTarget(parsing: "final") == .final && RunWaitTarget(parsing: "Terminal") == .final)
        #expect(RunWaitTarget(parsing: "Running") == .type(.running) && RunWaitTarget(parsing: "COMPLETED") == .type(.completed))
        #expect(RunWaitTarget(parsing: "late") == .name("Late") && RunWaitTarget(parsing: "awaiting_retry") == .name("AwaitingRetry"))
        #expect(RunWaitTarget(parsing: "Done") == nil && RunWaitTarget(parsing: "") == nil)
        // Completed is the type, so a Cached run counts; Late is a name, so only a Late run does.
        #expect(RunWaitTarget.type(.completed).holds(type: .completed, name: "Cached"))
        #expect(!RunWaitTarget.name("Late").holds(type: .scheduled, name: "Scheduled"))
        #expect(RunWaitTarget.accepted.contains("Running") && RunWaitTarget.accepted.contains("AwaitingRetry"))
    }

    @Test("It waits until the run is Running, reports each read, and answers the state with its timestamp and the run")
    func untilRunning() async throws {
        let (transport, id) = try Self.server([(.scheduled, "Scheduled"), (.pending, "Pending"), (.running, "Running"), (.completed, "Completed")])
        let time = FakeTime()
        let polls = Mutex<[String]>([])
        let wait = try await PrefectClient.fake(transport).waitForFlowRun(
            idOrName: id, until: .type(.running), timeout: 300, ui: Self.ui, clock: { time.now }, sleep: { time.sleep($0) },
            onPoll: { run, elapsed in polls.withLock { $0.append("\(run.stateName ?? "?")@\(Int(elapsed))") } })
        #expect(wait.reached && !wait.timedOut && wait.until == "RUNNING" && wait.waitedSeconds == 2)
        #expect(wait.state == .init(type: "RUNNING", name: "Running", timestamp: Date(timeIntervalSince1970: 1_800_000_000), message: nil))
        #expect(wait.run.id == id && wait.run.stateName == "Running" && wait.failure == nil)
        #expect(polls.withLock { $0 } == ["Scheduled@0", "Pending@1", "Running@2"])
        #expect(Self.runReads(transport, id) == 3, "the first read is the look-up by id")
        #expect(Self.historyReads(transport) == 2, "one for each new state short of Running: Scheduled, Pending")
    }

    @Test("A state the run passed before the wait began counts at once; a run that stays put has its history read once")
    func passedBefore() async throws {
        let time = FakeTime()
        let (transport, id) = try Self.server(
            [(.running, "Running")], history: [(.scheduled, "Scheduled"), (.pending, "Pending"), (.running, "Running")])
        let wait = try await PrefectClient.fake(transport).waitForFlowRun(
            idOrName: id, until: .name("pending"), timeout: 300, ui: Self.ui, clock: { time.now }, sleep: { time.sleep($0) })
        #expect(wait.reached && !wait.timedOut && wait.waitedSeconds == 0 && wait.state.name == "Pending" && wait.run.stateName == "Running")
        #expect(wait.message.hasPrefix("The run was Pending at ") && wait.message.hasSuffix("it is now Running."), "\(wait.message)")
        #expect(Self.runReads(transport, id) == 1 && Self.historyReads(transport) == 1)

        let waiting = try await PrefectClient.fake(transport).waitForFlowRun(
            idOrName: id, until: .type(.completed), timeout: 10, ui: Self.ui, clock: { time.now }, sleep: { time.sleep($0) })
        #expect(!waiting.reached && waiting.timedOut && waiting.state.name == "Running")
        #expect(Self.historyReads(transport) == 2, "one more: Running, once, in 11 reads")
    }

    @Test("A state passed between two reads is found in the run's history; one never reached ends the wait when the run ends")
    func passedOrMissed() async throws {
        let time = FakeTime()
        let (passed, id) = try Self.server([(.pending, "Pending"), (.completed, "Completed")]) { reads in
            reads <= 1
                ? [(.scheduled, "Scheduled"), (.pending, "Pending")] : [(.pending, "Pending"), (.running, "Running"), (.completed, "Completed")]
        }
        let seen = try await PrefectClient.fake(passed).waitForFlowRun(
            idOrName: id, until: .type(.running), timeout: 300, ui: Self.ui, clock: { time.now }, sleep: { time.sleep($0) })
        #expect(seen.reached && !seen.timedOut && seen.state.name == "Running" && seen.run.stateName == "Completed")
        #expect(seen.waitedSeconds == 1 && Self.historyReads(passed) == 2, "Pending, then Completed: the history each time")
        #expect(seen.message.hasPrefix("The run was Running at ") && seen.message.contains("has since ended Completed"), "\(seen.message)")

        let (missed, _) = try Self.server(
            [(.pending, "Pending"), (.cancelled, "Cancelled")], history: [(.pending, "Pending"), (.cancelled, "Cancelled")])
        let never = try await PrefectClient.fake(missed).waitForFlowRun(
            idOrName: id, until: .type(.running), timeout: 300, ui: Self.ui, clock: { time.now }, sleep: { time.sleep($0) })
        #expect(!never.reached && !never.timedOut && never.state.name == "Cancelled")
        #expect(never.message == "The run ended Cancelled after running 12s without reaching RUNNING; it cannot reach it any more.")
    }

    @Test("A run that fails ends the wait with the failure summary; the default awaits any final state")
    func failure() async throws {
        let time = FakeTime()
        let (transport, id) = try Self.server([(.running, "Running"), (.failed, "Failed")])
        let wait = try await PrefectClient.fake(transport).waitForFlowRun(
            idOrName: id, timeout: 300, ui: Self.ui, clock: { time.now }, sleep: { time.sleep($0) })
        #expect(wait.reached && !wait.timedOut && wait.until == "final" && wait.state.type == "FAILED")
        #expect(wait.state.message == "ValueError: the disk is full")
        #expect(wait.failure?.hasPrefix("Failed: ValueError: the disk is full.") == true, "\(wait.failure ?? "nil")")
        #expect(wait.message.contains("diagnose_flow_run \(id) has the whole diagnosis"))
    }

    @Test("At its bound the wait answers the run's current state as timed out, without an error")
    func timesOut() async throws {
        let time = FakeTime()
        let (transport, id) = try Self.server(
            [(.pending, "Pending"), (.running, "Running")], history: [(.pending, "Pending"), (.running, "Running")])
        let wait = try await PrefectClient.fake(transport).waitForFlowRun(
            idOrName: id, timeout: 10, ui: Self.ui, clock: { time.now }, sleep: { time.sleep($0) })
        #expect(!wait.reached && wait.timedOut && wait.waitedSeconds == 10 && wait.state.name == "Running" && wait.failure == nil)
        #expect(wait.message.hasPrefix("Still Running after 10 s; the wait ended, the run goes on."))
        #expect(!transport.requests.contains { $0.url.path.contains("/flow_run_states") }, "awaiting final: no history to read")
        // Running passed between two reads of a run that is not final counts too, and ends the wait before its bound.
        let (paused, _) = try Self.server([(.pending, "Pending"), (.paused, "Paused")]) { reads in
            reads <= 1 ? [(.pending, "Pending")] : [(.pending, "Pending"), (.running, "Running"), (.paused, "Paused")]
        }
        let passed = try await PrefectClient.fake(paused).waitForFlowRun(
            idOrName: id, until: .type(.running), timeout: 3, ui: Self.ui, clock: { time.now }, sleep: { time.sleep($0) })
        #expect(passed.reached && !passed.timedOut && passed.waitedSeconds == 1 && passed.message.hasSuffix("it is now Paused."), "\(passed.message)")
    }

    @Test("A run named by its exact name is found once, then read by id")
    func byName() async throws {
        let template = try DecodingTests.decode([FlowRun].self, "flow_runs")[0]
        var run = template
        (run.stateType, run.stateName, run.state) = (.completed, "Completed", State(type: .completed, name: "Completed"))
        let list = try JSONCoding.encode([run]).jsonText
        let transport = FakeTransport { request, _ in
            HTTPResponseData(status: 200, headers: [], body: Data((request.url.path.hasSuffix("/flow_runs/filter") ? list : "[]").utf8))
        }
        let wait = try await PrefectClient.fake(transport).waitForFlowRun(idOrName: template.name, timeout: 300, ui: Self.ui)
        #expect(wait.reached && wait.run.id == template.id && wait.state.name == "Completed")
        #expect(!transport.requests.contains { $0.method == "GET" && $0.url.path.contains("/flow_runs/") }, "a final run: one read")
    }

    @Test("Cancelling the waiting task ends the wait at once: no read after it")
    func cancelled() async throws {
        let (transport, id) = try Self.server([(.running, "Running")], history: [(.running, "Running")])
        let task = Task { try await PrefectClient.fake(transport).waitForFlowRun(idOrName: id, until: .type(.completed), timeout: 600, ui: Self.ui) }
        while transport.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        let reads = transport.requests.count
        #expect(reads <= 2, "the look-up, then a pause of 1 s that the cancellation ends: \(transport.requests.map(\.url.path))")
        try await Task.sleep(for: .milliseconds(1500))
        #expect(transport.requests.count == reads, "nothing read after the cancellation")
    }
}
