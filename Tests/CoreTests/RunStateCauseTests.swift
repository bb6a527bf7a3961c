import Foundation
import JSONValue
import Testing

@testable import Core

/// What a run's own state says it waits for: the cases the seeded server shows at one moment (tested end to end in
/// Tests/e2e/test_diagnosis_situations.py), and the ones it cannot show on demand (a retry long overdue, no worker,
/// the cleanup off or already past).
@Suite("Causes of a run's own state: Cancelling and AwaitingRetry")
struct RunStateCauseTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func run(_ type: StateType, _ name: String, at stateTime: Date, scheduled: Date? = nil, policy: JSONValue? = nil, count: Int? = nil)
        throws -> FlowRun
    {
        var run = try DecodingTests.decode([FlowRun].self, "flow_runs")[0]
        run.stateType = type
        run.stateName = name
        var state = State(type: type, name: name, timestamp: stateTime, message: "Flow run encountered an exception: ConnectionError: refused")
        if let scheduled { state.stateDetails = StateDetails(scheduledTime: scheduled) }
        run.state = state
        run.expectedStartTime = now.addingTimeInterval(-86_400)  // the first schedule, long past: it must not count
        run.empiricalPolicy = policy
        run.runCount = count
        return run
    }

    static let inProcess: JSONValue = ["retries": 2, "retry_delay": 3600, "retry_type": "in_process"]

    @Test("A retry due in the future is healthy; past its time by more than a minute it is stuck, with a fix")
    func awaitingRetry() throws {
        let waiting = try Self.run(
            .scheduled, "AwaitingRetry", at: Self.now, scheduled: Self.now.addingTimeInterval(1800), policy: Self.inProcess, count: 1)
        let healthy = RunStateCauses.awaitingRetry(waiting, now: Self.now)
        #expect(healthy.code == "awaiting_retry" && healthy.fix == nil)
        #expect(healthy.message.contains("Attempt 1 of 3 failed: Flow run encountered an exception: ConnectionError: refused."))
        #expect(healthy.message.contains("(in 30m): attempt 2 of 3 (1 more retry after it)"))
        #expect(healthy.message.contains("in-process retry"))

        let last = try Self.run(
            .scheduled, "AwaitingRetry", at: Self.now, scheduled: Self.now.addingTimeInterval(10), policy: Self.inProcess, count: 2)
        #expect(RunStateCauses.awaitingRetry(last, now: Self.now).message.contains("attempt 3 of 3 (the last one)"))

        let overdue = try Self.run(
            .scheduled, "AwaitingRetry", at: Self.now, scheduled: Self.now.addingTimeInterval(-600), policy: Self.inProcess, count: 1)
        let stuck = RunStateCauses.awaitingRetry(overdue, now: Self.now)
        #expect(stuck.code == "retry_not_started" && stuck.fix == "prefect flow-run cancel \(overdue.id)")
        #expect(stuck.message.contains("was due at") && stuck.message.contains("10m ago") && stuck.message.contains("most likely gone"))

        var infrastructure = Self.inProcess
        infrastructure = ["retries": 1]
        let byWorker = try Self.run(.scheduled, "AwaitingRetry", at: Self.now, scheduled: Self.now.addingTimeInterval(60), policy: infrastructure)
        #expect(RunStateCauses.awaitingRetry(byWorker, now: Self.now).message.contains("A worker of its pool picks the retry up"))
    }

    @Test("A Scheduled run is due from its state's scheduled time, not its first expected start")
    func scheduledTime() throws {
        let rescheduled = try Self.run(.scheduled, "Scheduled", at: Self.now, scheduled: Self.now.addingTimeInterval(3600))
        #expect(RunStateCauses.scheduledTime(of: rescheduled) == Self.now.addingTimeInterval(3600))
        #expect(RunStateCauses.isAwaitingRetry(try Self.run(.scheduled, "AwaitingRetry", at: Self.now)))
        #expect(!RunStateCauses.isAwaitingRetry(rescheduled))
    }

    @Test("Cancelling: who must stop it, whether they are there, and the server's deadline (before, after, off, default)")
    func cancelling() throws {
        let since = Self.now.addingTimeInterval(-120)
        let run = try Self.run(.cancelling, "Cancelling", at: since)
        let server = CancellationCleanup(enabled: true, cancellingTimeoutSeconds: 300, fromServer: true)

        let online = RunStateCauses.Runner(poolName: "prod", onlineWorkers: 2, lastHeartbeat: Self.now.addingTimeInterval(-5))
        let watched = RunStateCauses.cancelling(run, runner: online, cleanup: server, now: Self.now)
        #expect(watched.code == "cancelling" && watched.fix == "prefect flow-run cancel \(run.id)")
        #expect(watched.message.contains("requested 2m ago") && watched.message.contains("2 workers are online (last heartbeat 5s ago)"))
        #expect(watched.message.contains("after 5m in Cancelling (this server's") && watched.message.contains("in 3m"))

        let nobody = RunStateCauses.Runner(poolName: "prod", onlineWorkers: 0, lastHeartbeat: Self.now.addingTimeInterval(-7200))
        #expect(
            RunStateCauses.cancelling(run, runner: nobody, cleanup: server, now: Self.now).message.contains(
                "no worker of that pool is online (the last heartbeat was 2h ago)"))

        let noPool = RunStateCauses.cancelling(run, runner: nil, cleanup: .prefectDefault, now: Self.now)
        #expect(
            noPool.message.contains("It has no work pool") && noPool.message.contains("Prefect's default; this server's settings were not readable"))

        let late = RunStateCauses.cancelling(run, runner: online, cleanup: server, now: Self.now.addingTimeInterval(3600))
        #expect(late.message.contains("that time passed") && late.message.contains("cancellation cleanup service is not running"))

        let off = CancellationCleanup(enabled: false, cancellingTimeoutSeconds: 300, fromServer: true)
        #expect(RunStateCauses.cancelling(run, runner: online, cleanup: off, now: Self.now).message.contains("cancellation cleanup is off"))
    }

    @Test("The cleanup settings are read from the server's settings document, and only a usable timeout counts")
    func cleanupSettings() {
        let settings: JSONValue = ["server": ["services": ["cancellation_cleanup": ["enabled": false, "cancelling_timeout_seconds": 86400.0]]]]
        #expect(CancellationCleanup(settings: settings) == CancellationCleanup(enabled: false, cancellingTimeoutSeconds: 86400, fromServer: true))
        #expect(CancellationCleanup(settings: ["server": ["services": [:]]]) == nil)
        #expect(CancellationCleanup(settings: ["server": ["services": ["cancellation_cleanup": ["cancelling_timeout_seconds": 0]]]]) == nil)
    }
}
