import ArgumentParser
import Core
import FoundationEssentials
import JSONValue

/// `prefect-mcp logs RUN`: a run's log as plain text, optionally followed.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a flow run's logs as plain text; --follow keeps printing new lines.",
        discussion: """
            RUN is a flow run id or its exact name. Without --since, the newest --lines lines are printed (oldest \
            first); with --since, every line from then on. --follow then prints new lines as they come, without \
            gaps or repeats: live from Prefect's log stream when the server streams logs, else by reading the log \
            four times a second. It stops by itself once the run has finished and its last lines are printed \
            (Ctrl-C stops it earlier); on a terminal, or with --log-level info, stderr says which way it follows. Each line: time (UTC), level, [task run] and message.

            Log lines are written by flows, so they can hold anything, terminal escape sequences included. On a \
            terminal, control characters are shown instead of obeyed: ESC as ^[, other controls as ^G, ^M and so \
            on, C1 controls as <U+009B>. Piped or redirected, lines are written exactly as logged, unless \
            --sanitize is given.

            Examples:
              prefect-mcp logs failed-long-log
              prefect-mcp logs 0b6c3c3e-1f2a-4d5b-9c8d-7e6f5a4b3c2d --follow --level warning
              prefect-mcp logs nightly-run --since 10m | grep -i timeout

            \(Failure.exitCodesHelp) A run that does not exist exits 1.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LoggingOptions

    @Argument(help: ArgumentHelp("The flow run: its id, or its exact name.", valueName: "run"))
    var run: String

    @Flag(name: [.short, .long], help: "Keep printing new lines until the run finishes.")
    var follow = false

    @Option(name: .long, help: ArgumentHelp("Minimum level: debug, info, warning, error or critical.", valueName: "level"))
    var level: String?

    @Option(name: .long, help: ArgumentHelp("Print lines from this time on: ISO 8601 or a time ago (10m, 2h, 1d).", valueName: "time"))
    var since: String?

    @Option(name: [.short, .long], help: ArgumentHelp("How many of the newest lines to print first (1–10000).", valueName: "n"))
    var lines = 200

    @Flag(name: .long, help: "Leave out the timestamps.")
    var noTimestamps = false

    @Flag(name: .long, help: "Show control characters as ^[, ^G, <U+009B> even when not writing to a terminal (on a terminal they always are).")
    var sanitize = false

    func validate() throws {
        if let level, LogLevel(name: level) == nil {
            throw ValidationError("--level '\(level.echoed)' is not a level: use debug, info, warning, error or critical.")
        }
        if let since, TimeReference.parse(since, now: Date()) == nil {
            throw ValidationError("--since '\(since.echoed)' is not a time: use \(TimeReference.expectedFormat).")
        }
        guard (1...10_000).contains(lines) else { throw ValidationError("--lines must be between 1 and 10000, not \(lines).") }
    }

    func run() async throws {
        logging.bootstrap()
        let settings = try connection.requiredSettings()
        let client = PrefectClient(settings: settings, userAgent: PrefectMCPCommand.userAgent)
        let outcome: (any Error)?
        do {
            try await print(using: client)
            outcome = nil
        } catch {
            outcome = error
        }
        await client.shutdown()
        if let outcome {
            if outcome is CancellationError { return }
            throw Failure.report(outcome)
        }
    }

    private func print(using client: PrefectClient) async throws {
        let flowRun = try await client.flowRun(idOrName: run)
        var follower = LogFollower(
            flowRunID: flowRun.id, minimumLevel: level.flatMap { LogLevel(name: $0) },
            since: since.flatMap { TimeReference.parse($0, now: Date()) }, runFinished: flowRun.stateType?.isFinal == true)
        let printer = LogPrinter(timestamps: !noTimestamps, sanitize: sanitize)
        printer.write(try await follower.start(client: client, newest: lines))
        if follow { try await printer.follow(follower, client: client, announce: logging.isVerbose || Terminal.standardError) }
    }
}
