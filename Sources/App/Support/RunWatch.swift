import ArgumentParser
import Core
import FoundationEssentials

/// `run --watch` and `cancel --watch`: the run's log followed to its end, how it ended on stderr, and an exit status
/// for its final state that a CI script can act on.
enum RunWatch {
    /// Refused before anything was sent: a parameter the flow's schema rejects, a finished run to cancel.
    static let refused = ExitCode(3)
    /// Ctrl-C (or SIGTERM) while watching: the watch stopped, the run goes on.
    static let interrupted = ExitCode(130)

    /// 0 Completed, 10 Failed, 11 Crashed, 12 Cancelled.
    static func exitCode(for state: StateType?) -> ExitCode {
        switch state {
        case .completed?: .success
        case .failed?: ExitCode(10)
        case .crashed?: ExitCode(11)
        case .cancelled?: ExitCode(12)
        default: ExitCode(1)
        }
    }

    static let exitCodesHelp = """
        Exit status: 0 done (with --watch: the run ended Completed); 1 unreachable, not found, timed out or server \
        error; 2 unauthorized or forbidden; 3 refused before anything was sent (a value the schema rejects, a run \
        already finished); 10 the run ended Failed, 11 Crashed, 12 Cancelled (with --watch); 64 bad arguments; \
        78 nothing configured; 130 interrupted while watching (the run goes on).
        """

    /// Follows the run's log from its first line until it has finished, then reads how it ended and says so on
    /// stderr (for a failure, with the diagnosis in one paragraph). Returns the final run.
    static func follow(runID: String, client: PrefectClient, settings: PrefectSettings, printer: LogPrinter) async throws -> FlowRun {
        var follower = LogFollower(flowRunID: runID)
        printer.write(try await follower.start(client: client, newest: 10_000))
        try await printer.follow(follower, client: client, announce: false)
        let run = try await client.send(PrefectAPI.flowRun(id: runID))
        StandardError.write("\(run.name) \(run.howItEnded).\n".terminalSafe)
        if run.stateType == .failed || run.stateType == .crashed {
            let diagnosis = try await client.diagnoseFlowRun(idOrName: run.id, ui: settings.uiURL)
            StandardError.write("why: \(diagnosis.failureSummary)\n".terminalSafe)
            StandardError.write("details: \(UILinks.flowRun(run.id, ui: settings.uiURL))\n")
        }
        return run
    }

    /// Runs `body` with a client, then closes it; Ctrl-C or SIGTERM cancels `body` (exit 130, saying the run goes
    /// on), a refused write exits 3, any other failure as ``Failure`` says.
    static func withClient(
        _ settings: PrefectSettings, interrupted message: @escaping @Sendable () -> String?,
        _ body: @escaping @Sendable (PrefectClient) async throws -> ExitCode
    ) async throws {
        let client = PrefectClient(settings: settings, userAgent: PrefectMCPCommand.userAgent)
        let task = Task { try await body(client) }
        let signals = TerminationSignals { _ in task.cancel() }
        let result = await task.result
        signals.cancel()
        await client.shutdown()
        switch result {
        case .success(let code):
            if code != .success { throw code }
        case .failure(is CancellationError):
            if let text = message() { StandardError.write(text + "\n") }
            throw interrupted
        case .failure(let refused as ActionRefused):
            StandardError.write("error: \(refused.description.terminalSafe)\n")
            throw Self.refused
        case .failure(let error):
            throw Failure.report(error)
        }
    }
}
