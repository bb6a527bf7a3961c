import Core
import Logging

/// A log handler that neutralises control characters in messages and metadata before the wrapped handler writes
/// them: diagnostics quote server answers and names, and stderr is usually a terminal or a log file read in one.
struct TerminalSafeLogHandler: LogHandler {
    var wrapped: any LogHandler

    var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: event.message.description.terminalSafe)
        event.metadata = event.metadata?.mapValues { .string($0.description.terminalSafe) }
        wrapped.log(event: event)
    }
}
