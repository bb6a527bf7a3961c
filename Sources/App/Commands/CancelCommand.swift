import ArgumentParser
import Core
import FoundationEssentials
import JSONValue

/// `prefect-mcp cancel RUN`: Cancelling, as `prefect flow-run cancel` does; `--watch` follows it until it stops.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a flow run; --watch follows it until it has stopped.",
        discussion: """
            RUN is a flow run id or its exact name. The run goes to Cancelling, as `prefect flow-run cancel` does, \
            so the worker or process that runs it stops its infrastructure and reports Cancelled; a run that has not \
            started is cancelled at once. A finished or already cancelling run is refused and nothing is sent. \
            --watch follows the run's log until it has stopped. --dry-run prints the request that would be sent.

            Examples:
              prefect-mcp cancel nightly-run-42
              prefect-mcp cancel 0b6c3c3e-1f2a-4d5b-9c8d-7e6f5a4b3c2d --watch

            \(RunWatch.exitCodesHelp) With --watch, 0 means it ended Cancelled; 13 that it ended in another state \
            (it finished before the cancellation took effect).
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LoggingOptions

    @Argument(help: ArgumentHelp("The flow run: its id, or its exact name.", valueName: "run"))
    var run: String

    @Flag(name: [.short, .long], help: "Follow the run's log until it has stopped.")
    var watch = false

    @Flag(name: .customLong("dry-run"), help: "Print the request that would be sent; send nothing.")
    var dryRun = false

    func validate() throws {
        if dryRun, watch { throw ValidationError("--dry-run sends nothing, so there is nothing to --watch.") }
    }

    func run() async throws {
        logging.bootstrap()
        let settings = try connection.requiredSettings()
        let (reference, dryRun, watch) = (run, dryRun, watch)
        try await RunWatch.withClient(settings, interrupted: { "stopped watching; the cancellation goes on" }) { client in
            let actions = client.actions(WritePermission(source: "prefect-mcp cancel"))
            let outcome = try await actions.cancelFlowRun(idOrName: reference, dryRun: dryRun)
            if dryRun {
                StandardError.write(outcome.message + "\n")
                print(try JSONCoding.encode(outcome.requests).prettyText)
                return .success
            }
            guard watch, let id = outcome.flowRunID else {
                print("\(outcome.target): \(outcome.message)".terminalSafe)
                return outcome.status == "ACCEPT" ? .success : RunWatch.refused
            }
            StandardError.write("\(outcome.target): \(outcome.message)\n".terminalSafe)
            guard outcome.status == "ACCEPT" else { return RunWatch.refused }
            let run = try await RunWatch.follow(
                runID: id, client: client, settings: settings, printer: LogPrinter(timestamps: true, sanitize: false))
            return run.stateType == .cancelled ? .success : ExitCode(13)
        }
    }
}
