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
}

extension PrefectClient {
    /// Waits until the run is in a final state, or `timeout` seconds (at most ``RunWait/maximumSeconds``) have
    /// passed. `onPoll` hears every state read, for a progress report. Stops at once, throwing `CancellationError`,
    /// when the calling task is cancelled. `clock` and `sleep` are the tests' to replace.
    package func waitForFinalState(
        flowRunID: String, timeout: Double, ui: URL, clock: @Sendable () -> Date = Date.init,
        sleep: @Sendable (_ seconds: Double) async throws -> Void = { try await Task.sleep(for: .milliseconds(Int($0 * 1000))) },
        onPoll: @Sendable (_ run: FlowRun, _ elapsed: Double) async -> Void = { _, _ in }
    ) async throws -> RunWaitOutcome {
        let started = clock()
        let bound = min(max(timeout, 0), Double(RunWait.maximumSeconds))
        while true {
            let run = try await send(PrefectAPI.flowRun(id: flowRunID))
            let elapsed = clock().timeIntervalSince(started)
            await onPoll(run, elapsed)
            if run.stateType?.isFinal == true {
                return try await finished(run, waited: elapsed, ui: ui)
            }
            if elapsed >= bound {
                return RunWaitOutcome(
                    finished: false, stateType: run.stateType?.rawValue, stateName: run.stateName, waitedSeconds: elapsed,
                    message: "Still \(run.stateName ?? "unfinished") after \(Int(elapsed)) s; the wait ended, the run goes on. "
                        + "Follow it: prefect-mcp logs \(run.id) --follow")
            }
            let pause = min(RunWait.interval(after: elapsed), bound - elapsed)
            try await sleep(max(pause, 0.05))
        }
    }

    private func finished(_ run: FlowRun, waited: Double, ui: URL) async throws -> RunWaitOutcome {
        var outcome = RunWaitOutcome(
            finished: true, stateType: run.stateType?.rawValue, stateName: run.stateName, waitedSeconds: waited,
            durationSeconds: run.totalRunTime, message: "The run \(run.howItEnded).")
        if run.stateType == .failed || run.stateType == .crashed {
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
