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
            Six views, on keys 1-6 or Tab (or a click): Overview (flow-run counts by state and their history as a \
            chart, c cycles the window, work pools with workers and heartbeats, late runs with their causes, recent \
            runs); Runs (filter with /, e.g. `state:failed flow:etl \
            nightly`; Enter opens a run's history, parameters, tasks and diagnosis); Deployments; Work pools; the \
            live log of a run (l); and Events, Prefect's event feed (Enter opens what an event is about).

            It learns what changed from Prefect's events, pushed over Prefect's websocket where the server streams \
            them (the header says `● live`), else read every few seconds (`● polling`), and re-reads only then, plus \
            in full every --refresh seconds so counts stay exact. It never blocks the keyboard on the network; when \
            the server is unreachable it says so, keeps the last data (marked stale) and reconnects by itself (r \
            retries at once). P switches to another profile of Prefect's profiles.toml (its own URL and credentials, \
            not PREFECT_API_* variables) without restarting. A click selects a row or a tab, a double click opens, \
            the wheel scrolls (--no-mouse leaves the mouse to the terminal). Press ? for every key; q quits.

            An optional config file sets the refresh, the theme, the mouse and the keys (flags win): \
            $XDG_CONFIG_HOME/prefect-mcp/config.toml, else ~/.config/prefect-mcp/config.toml, e.g.
              [dashboard]
              refresh = 30
              theme = "light"
              [dashboard.keys]
              quit = "Q"
              refresh = ["r", "Ctrl-R"]
            The commands [dashboard.keys] names: \(KeyMap.commandNames.map(\.name).joined(separator: ", ")). A key is one \
            character, Ctrl-X, or \(Key.names.map(\.name).joined(separator: ", ")). A key or value it does not know is an error naming its line. NO_COLOR=1 turns colours off.

            With --allow-writes (or PREFECT_MCP_ALLOW_WRITES=true) it can change Prefect, each change asked y/N \
            first: C cancels the selected run, R retries a finished one; on a deployment R opens a form of its \
            parameters (typed and checked as you type, defaults filled in, tags and a start time) and then the new \
            run's log; p pauses or resumes a deployment, a work pool or one of its queues. Without it, none of \
            these keys exists. The writes of a session are listed on stderr when the dashboard closes.

            It needs a terminal; in scripts use `prefect-mcp status` and `prefect-mcp logs RUN` (and `run`, \
            `cancel`).

            \(Failure.exitCodesHelp)
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var writeOptions: WriteOptions
    @OptionGroup var logging: LoggingOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Append diagnostics at --log-level to this file (the terminal belongs to the dashboard); `--log-level trace` lists every request to Prefect.",
            valueName: "path"))
    var logFile: String?

    @OptionGroup var look: DashboardLookOptions

    func run() async throws {
        let settings = try connection.requiredSettings()
        let writes = try writeOptions.permission()
        var options: DashboardOptions
        do {
            options = try look.resolved()
            options.profiles = ProfileSwitch(environment: ProcessInfo.processInfo.environment, timeout: connection.timeout)
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitCode(2)
        }
        guard isatty(0) == 1, isatty(1) == 1 else {
            StandardError.write("error: the dashboard needs a terminal; in scripts and pipes use `prefect-mcp status` and `prefect-mcp logs RUN`.\n")
            throw ExitCode(1)
        }
        // Nothing may write to the terminal while curses owns it: the writes' log lines wait for the end.
        let writeLog = WriteLog()
        let file: FileLogStream?
        do {
            file = try logFile.map { try FileLogStream(path: $0) }
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitCode(2)
        }
        let level = logging.level
        LoggingSystem.bootstrap { label in
            if label == "prefect-mcp.actions" { return writeLog.handler(label: label) }
            return file?.handler(label: label, level: level) ?? SwiftLogNoOpLogHandler()
        }
        let session = DashboardSession(settings: settings, options: options, writes: writes) { settings in
            PrefectClient(settings: settings, userAgent: PrefectMCPCommand.userAgent)
        }
        let signals = TerminationSignals { number in session.interrupt(exitCode: 128 + number) }
        let code = await session.run()
        signals.cancel()
        writeLog.flush()
        if code != 0 { throw ExitCode(code) }
    }
}
