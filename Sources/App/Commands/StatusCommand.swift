import ArgumentParser
import Core
import FoundationEssentials
import JSONValue

/// `prefect-mcp status`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print a one-screen summary of the connected Prefect server.",
        discussion: """
            Shows the server URL and where it came from, the Prefect version and health, flow-run counts by state \
            for runs expected to start within --window, the late, running, pending and upcoming runs right now, and \
            every work pool with its online workers, freshest heartbeat, late runs and active runs.

            Counts come from Prefect's count and history endpoints, so they are exact however many runs there are.

            Examples:
              prefect-mcp status
              prefect-mcp status --window 7d --json
              prefect-mcp status --api-url http://127.0.0.1:4200/api

            \(Failure.exitCodesHelp)
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LoggingOptions

    @Option(name: .long, help: ArgumentHelp("Look-back window for the run counts: 15m, 1h, 24h, 7d, …", valueName: "window"))
    var window: String = "24h"

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard TimeWindow(window) != nil else {
            throw ValidationError("--window '\(window.echoed)' is not a window: expected \(TimeWindow.expectedFormat).")
        }
    }

    func run() async throws {
        logging.bootstrap()
        let settings = try connection.requiredSettings()
        let client = PrefectClient(settings: settings, userAgent: PrefectMCPCommand.userAgent)
        let now = Date()
        let result: Result<ServerStatus, any Error>
        do {
            result = .success(try await client.status(settings: settings, window: TimeWindow(window) ?? .day, now: now))
        } catch {
            result = .failure(error)
        }
        await client.shutdown()

        switch result {
        case .failure(let error):
            throw Failure.report(error)
        case .success(let status):
            let text: String
            if json {
                text = try JSONCoding.encode(status).prettyText + "\n"
            } else {
                text = StatusText.render(status, now: now)
            }
            // The version, state and pool names are the server's words: on a terminal they are shown, not obeyed.
            print(Terminal.standardOutput ? text.terminalSafe : text, terminator: "")
            if !status.server.healthy {
                throw Failure.report(PrefectError.serverError(status: 200, route: "GET /health", detail: "the server reports itself unhealthy"))
            }
        }
    }
}
