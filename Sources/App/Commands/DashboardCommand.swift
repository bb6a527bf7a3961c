import ArgumentParser
import Core
import FoundationEssentials
import Logging
import TUI

#if canImport(Glibc)
    import Glibc
#endif

/// `prefect-mcp` / `prefect-mcp dashboard`: the full-screen dashboard.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the full-screen dashboard (the default command).",
        discussion: """
            Five views, on keys 1-5 or Tab: Overview (flow-run counts by state, work pools with workers and \
            heartbeats, late runs with their causes, recent runs); Runs (filter with /, e.g. `state:failed flow:etl \
            nightly`; Enter opens a run's history, parameters, tasks and diagnosis); Deployments; Work pools; and \
            the live log of a run (l). It polls every --refresh seconds and never blocks the keyboard on the \
            network; when the server is unreachable it says so, keeps the last data (marked stale) and reconnects by \
            itself (r retries at once). Press ? for every key; q quits.

            It needs a terminal; in scripts use `prefect-mcp status` and `prefect-mcp logs RUN`.

            \(Failure.exitCodesHelp)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: ArgumentHelp("Seconds between refreshes (0.5–300).", valueName: "seconds"))
    var refresh: Double = 2

    func validate() throws {
        guard (0.5...300).contains(refresh) else { throw ValidationError("--refresh must be between 0.5 and 300 seconds, not \(refresh).") }
    }

    func run() async throws {
        let settings = try connection.requiredSettings()
        guard isatty(0) == 1, isatty(1) == 1 else {
            StandardError.write("error: the dashboard needs a terminal; in scripts and pipes use `prefect-mcp status` and `prefect-mcp logs RUN`.\n")
            throw ExitCode(1)
        }
        // Nothing may write to the terminal while curses owns it.
        LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        let client = PrefectClient(settings: settings, userAgent: PrefectMCPCommand.userAgent)
        let session = DashboardSession(client: client, settings: settings, interval: refresh)
        let signals = TerminationSignals { number in session.interrupt(exitCode: 128 + number) }
        let code = await session.run()
        signals.cancel()
        await client.shutdown()
        if code != 0 { throw ExitCode(code) }
    }
}
