import ArgumentParser
import Core
import JSONValue
import Logging

/// `--log-level`: diagnostics go to stderr, never stdout.
struct LoggingOptions: ParsableArguments {
    @Option(
        name: .long, help: ArgumentHelp("Diagnostics written to stderr: trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: String = "warning"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
            throw ValidationError(
                "--log-level '\(logLevel.clipped(to: 200))' is not a level: use trace, debug, info, notice, warning, error or critical.")
        }
    }

    /// Whether diagnostics at info level or more detailed were asked for.
    var isVerbose: Bool { (Logger.Level(rawValue: logLevel.lowercased()) ?? .warning) <= .info }

    /// Sends every logger to stderr at the chosen level, control characters neutralised. Call once, before the first
    /// logger is made.
    /// The chosen level (validated, so never the fallback).
    var level: Logger.Level { Logger.Level(rawValue: logLevel.lowercased()) ?? .warning }

    func bootstrap() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return TerminalSafeLogHandler(wrapped: handler)
        }
    }
}
