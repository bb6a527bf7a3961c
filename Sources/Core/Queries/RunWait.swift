package import FoundationEssentials
import JSONValue

/// How waiting for a run ended: its final state, or where it was when the wait gave up.
package struct RunWaitOutcome: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    /// Whether the run reached a final state (Completed, Failed, Crashed, Cancelled) within the wait.
    package var finished: Bool
    package var stateType: String?
    package var stateName: String?
    /// How long the wait lasted.
    package var waitedSeconds: Double
    /// The run's own run time (Prefect's `total_run_time`), once it finished.
    package var durationSeconds: Double?
    /// For a Failed or Crashed run, the diagnosis in one paragraph: the state's message, the failed tasks, the last
    /// error line and the first hint.
    package var failure: String?
    /// One sentence: what the run did, or that it is still going and how to keep watching.
    package var message: String

    enum CodingKeys: String, CodingKey {
        case finished, failure, message
        case stateType = "state_type"
        case stateName = "state_name"
        case waitedSeconds = "waited_seconds"
        case durationSeconds = "duration_seconds"
    }
}

/// The bounds of a wait: every face waits at most ``maximumSeconds`` and reads the run's state at a pace that slows
/// as the wait grows (one cheap `GET /flow_runs/{id}` a second at first, one every 5 s after two minutes).
package enum RunWait {
    package static let maximumSeconds = 600

    /// `3m 5s`; `under a second` (a run's time in Running can be a few milliseconds).
    package static func durationText(_ seconds: Double) -> String {
        seconds < 1 ? "under a second" : Duration.seconds(seconds.rounded()).compactDescription
    }

    /// Seconds until the next read, after `elapsed` seconds of waiting.
    package static func interval(after elapsed: Double) -> Double {
        min(5, 1 + (elapsed / 30).rounded(.down))
    }

    /// The pause between two reads; throws `CancellationError` at once when the waiting task is cancelled.
    package static func sleep(_ seconds: Double) async throws {
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
    }
}

/// What a wait waits for: any final state (the default), a state type (`RUNNING`, whatever the state's name), or a
/// state name (`Late`, `AwaitingRetry`, `Cached`).
package enum RunWaitTarget: Sendable, Hashable, CustomStringConvertible {
    case final
    case type(StateType)
    case name(String)

    /// `final` (or `terminal`), a state type or a state name, as Prefect spells them; case, spaces, `_` and `-` do not
    /// matter. A word that is both a type and a name (Running, Completed) is the type: a Cached run is Completed too.
    package init?(parsing text: String) {
        let folded = text.lowercased().filter { !" _-".contains($0) }
        if ["final", "terminal"].contains(folded) {
            self = .final
        } else if let type = StateType.all.first(where: { $0.rawValue.lowercased() == folded }) {
            self = .type(type)
        } else if let name = RunSearch.stateNameList.first(where: { $0.lowercased() == folded }) {
            self = .name(name)
        } else {
            return nil
        }
    }

    /// What ``init(parsing:)`` accepts, for an error message.
    package static var accepted: String {
        let names = RunSearch.stateNameList.filter { name in !StateType.all.contains { $0.rawValue.lowercased() == name.lowercased() } }
        return "final (the default: Completed, Failed, Crashed or Cancelled), a state type ("
            + StateType.all.map { $0.rawValue.capitalized }.joined(separator: ", ") + ") or a state name (" + names.joined(separator: ", ") + ")"
    }

    /// `final`, `RUNNING`, `Late`: as the result names it.
    package var description: String {
        switch self {
        case .final: "final"
        case .type(let type): type.rawValue
        case .name(let name): name
        }
    }

    /// Whether a run in state `(type, name)` is where the wait wants it.
    package func holds(type: StateType?, name: String?) -> Bool {
        switch self {
        case .final: type?.isFinal == true
        case .type(let wanted): type == wanted
        case .name(let wanted): name?.lowercased() == wanted.lowercased()
        }
    }

    package func holds(for run: FlowRun) -> Bool { holds(type: run.stateType ?? run.state?.type, name: run.stateName ?? run.state?.name) }
}

/// What `wait_for_flow_run` answers: the state the wait ended on, whether it was the one awaited, and the run.
package struct FlowRunWait: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    /// A state as the wait saw it.
    package struct StateSeen: Codable, Sendable, Equatable, EncodesAbsentAsNull {
        package var type: String?
        package var name: String?
        package var timestamp: Date?
        package var message: String?

        package init(type: String?, name: String?, timestamp: Date?, message: String?) {
            self.type = type
            self.name = name
            self.timestamp = timestamp
            self.message = message
        }
    }

    /// What was awaited: `final`, a state type (`RUNNING`) or a state name (`Late`).
    package var until: String
    /// Whether the run reached the awaited state, or passed through it before the wait began or between two reads
    /// (`state` is then the one it passed, from the run's state history).
    package var reached: Bool
    /// Whether the wait ended at its bound with the run still short of the awaited state; the run goes on.
    package var timedOut: Bool
    /// The awaited state when reached; otherwise the run's state when the wait ended.
    package var state: StateSeen
    package var waitedSeconds: Double
    /// For a run that ended Failed or Crashed, the diagnosis in one paragraph (``FlowRunDiagnosis/failureSummary``).
    package var failure: String?
    /// One sentence: how the wait ended and what to do next.
    package var message: String
    /// The run as the wait last read it.
    package var run: FlowRunRow

    enum CodingKeys: String, CodingKey {
        case until, reached, state, failure, message, run
        case timedOut = "timed_out"
        case waitedSeconds = "waited_seconds"
    }
}

extension PrefectClient {
    /// Waits until the run is in a final state, or `timeout` seconds (at most ``RunWait/maximumSeconds``) have
    /// passed. `onPoll` hears every state read, for a progress report. Stops at once, throwing `CancellationError`,
    /// when the calling task is cancelled. `clock` and `sleep` are the tests' to replace.
    package func waitForFinalState(
        flowRunID: String, timeout: Double, ui: URL, clock: @Sendable () -> Date = Date.init,
        sleep: @Sendable (_ seconds: Double) async throws -> Void = RunWait.sleep,
        onPoll: @Sendable (_ run: FlowRun, _ elapsed: Double) async -> Void = { _, _ in }
    ) async throws -> RunWaitOutcome {
        let (run, elapsed, reached, _) = try await readUntil(
            .final, flowRunID: flowRunID, timeout: timeout, started: clock(), clock: clock, sleep: sleep, onPoll: onPoll)
        if reached { return try await finished(run, waited: elapsed, ui: ui) }
        return RunWaitOutcome(
            finished: false, stateType: run.stateType?.rawValue, stateName: run.stateName, waitedSeconds: elapsed,
            message: "Still \(run.stateName ?? "unfinished") after \(Int(elapsed)) s; the wait ended, the run goes on. "
                + "Follow it: prefect-mcp logs \(run.id) --follow")
    }

    /// Waits until the run (its id or exact name) is where `target` wants it, or in a final state (from which it can
    /// go nowhere), or `timeout` seconds (at most ``RunWait/maximumSeconds``) have passed: a timeout is an answer
    /// (`timed_out`), not an error. The run is read at ``RunWait/interval(after:)`` pace; each time a read finds it in
    /// a new state short of the awaited one (a target other than final), its state history is read too: the run may
    /// have passed the awaited state before the wait began or between two reads, which counts as reached. A Failed or
    /// Crashed run is diagnosed. Stops at once, throwing `CancellationError`, when the calling task is cancelled:
    /// nothing is read after that.
    /// - Throws: ``PrefectError/notFound(route:detail:)`` when no run has that id or name; ``AmbiguousRunName``.
    package func waitForFlowRun(
        idOrName: String, until target: RunWaitTarget = .final, timeout: Double, ui: URL, clock: @Sendable () -> Date = Date.init,
        sleep: @Sendable (_ seconds: Double) async throws -> Void = RunWait.sleep,
        onPoll: @Sendable (_ run: FlowRun, _ elapsed: Double) async -> Void = { _, _ in }
    ) async throws -> FlowRunWait {
        let started = clock()
        let first = try await flowRun(idOrName: idOrName)
        let (run, elapsed, reached, passed) = try await readUntil(
            target, flowRunID: first.id, first: first, timeout: timeout, started: started, clock: clock, sleep: sleep, onPoll: onPoll)
        let current = run.stateName ?? run.stateType?.rawValue ?? "unknown"
        let ended = run.stateType?.isFinal == true
        var state = FlowRunWait.StateSeen(
            type: (run.stateType ?? run.state?.type)?.rawValue, name: run.stateName ?? run.state?.name, timestamp: run.state?.timestamp,
            message: run.state?.message)
        var message: String
        if let passed {
            state = FlowRunWait.StateSeen(type: passed.type.rawValue, name: passed.name, timestamp: passed.timestamp, message: passed.message)
            let at = passed.timestamp.map { " at \(PrefectDate.format($0))" } ?? ""
            let now = ended ? "has since \(run.howItEnded)" : "is now \(current)"
            message = "The run was \(passed.name ?? passed.type.rawValue)\(at) (its state history says); it \(now)."
        } else if reached {
            message = target == .final ? "The run \(run.howItEnded)." : "The run is \(current) (awaited: \(target))."
        } else if ended {
            message = "The run \(run.howItEnded) without reaching \(target); it cannot reach it any more."
        } else {
            message =
                "Still \(current) after \(Int(elapsed)) s; the wait ended, the run goes on. Wait again, or follow it: "
                + "prefect-mcp logs \(run.id) --follow"
        }
        try Task.checkCancellation()
        let failed = run.stateType == .failed || run.stateType == .crashed
        var diagnosis: FlowRunDiagnosis?
        if failed {
            diagnosis = try await diagnoseFlowRun(idOrName: run.id, ui: ui)
            message += " diagnose_flow_run \(run.id) has the whole diagnosis."
        }
        let row: FlowRunRow
        if let diagnosis { row = diagnosis.run } else { row = try await rows(for: [run], ui: ui)[0] }
        return FlowRunWait(
            until: target.description, reached: reached, timedOut: !reached && !ended, state: state,
            waitedSeconds: elapsed, failure: diagnosis?.failureSummary, message: message, run: row)
    }

    /// Reads the run (`first` is a read already made) until `target` holds or it is final, or `timeout` seconds from
    /// `started` have passed; returns the last read, when it was made, and whether `target` was reached: in that read,
    /// or (`passed`) in the run's state history, read whenever a read finds the run in a new state short of a target
    /// that is not `.final`: the run may have passed it before the wait began or between two reads.
    private func readUntil(
        _ target: RunWaitTarget, flowRunID: String, first: FlowRun? = nil, timeout: Double, started: Date, clock: @Sendable () -> Date,
        sleep: @Sendable (_ seconds: Double) async throws -> Void, onPoll: @Sendable (_ run: FlowRun, _ elapsed: Double) async -> Void
    ) async throws -> (run: FlowRun, elapsed: Double, reached: Bool, passed: State?) {
        let bound = min(max(timeout, 0), Double(RunWait.maximumSeconds))
        var next = first
        var seen: StateKey?
        while true {
            let run: FlowRun
            if let read = next {
                run = read
                next = nil
            } else {
                try Task.checkCancellation()
                run = try await send(PrefectAPI.flowRun(id: flowRunID))
            }
            let elapsed = clock().timeIntervalSince(started)
            await onPoll(run, elapsed)
            if target.holds(for: run) { return (run, elapsed, true, nil) }
            if target != .final, run.stateKey != seen {
                seen = run.stateKey
                try Task.checkCancellation()
                let history = try await send(PrefectAPI.flowRunStates(flowRunID: run.id))
                if let passed = history.last(where: { target.holds(type: $0.type, name: $0.name) }) { return (run, elapsed, true, passed) }
            }
            if run.stateType?.isFinal == true || elapsed >= bound { return (run, elapsed, false, nil) }
            let pause = min(RunWait.interval(after: elapsed), bound - elapsed)
            try await sleep(max(pause, 0.05))
        }
    }

    private func finished(_ run: FlowRun, waited: Double, ui: URL) async throws -> RunWaitOutcome {
        var outcome = RunWaitOutcome(
            finished: true, stateType: run.stateType?.rawValue, stateName: run.stateName, waitedSeconds: waited,
            durationSeconds: run.totalRunTime, message: "The run \(run.howItEnded).")
        if run.stateType == .failed || run.stateType == .crashed {
            try Task.checkCancellation()
            let diagnosis = try await diagnoseFlowRun(idOrName: run.id, ui: ui)
            outcome.failure = diagnosis.failureSummary
            outcome.message += " diagnose_flow_run \(run.id) has the whole diagnosis."
        }
        return outcome
    }
}

extension FlowRun {
    /// `ended Failed after running 1 min 5 s`: how a finished run ended, for `run --watch` and `wait_seconds` alike.
    package var howItEnded: String {
        let took = totalRunTime.map { " after running \(RunWait.durationText($0))" } ?? ""
        return "ended \(stateName ?? stateType?.rawValue ?? "finished")\(took)"
    }
}

extension FlowRunDiagnosis {
    /// Why the run failed, in one paragraph: the state's message, the failed tasks (or subflow), the last error line
    /// and the first hint.
    package var failureSummary: String {
        var parts: [String] = []
        if let message = run.stateMessage?.firstLine, !message.isEmpty { parts.append("\(run.stateName ?? "Failed"): \(message.sentence)") }
        if let subflow = subflowFailure {
            parts.append("The failure comes from subflow run \(subflow.deepest.name).")
        }
        let tasks = failedTaskRuns.map(\.name)
        if !tasks.isEmpty { parts.append("Failed task runs: \(tasks.prefix(5).joined(separator: ", "))\(tasks.count > 5 ? ", …" : "").") }
        // The oldest error line names the exception (later ones are the engine giving up on it); Prefect's own state
        // message already quotes it when the flow raised.
        let quoted = run.stateMessage?.contains("encountered an exception:") == true
        if !quoted, let error = errorLogs.first?.message.firstLine, !error.isEmpty, !parts.joined().contains(error) {
            parts.append("First error: \(error.sentence)")
        }
        if let hint = hints.first { parts.append(hint) }
        return parts.isEmpty ? "\(run.stateName ?? "Failed") with no message and no error log." : parts.joined(separator: " ")
    }
}
