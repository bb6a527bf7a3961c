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
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(transport.requests.count == 1)
    }
}
