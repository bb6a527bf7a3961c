import Core
import FoundationEssentials
import Logging
import Synchronization

/// The dashboard's write log: while curses owns the terminal nothing may be printed, so each write's log line is kept
/// and written to stderr, neutralised, once the dashboard has closed.
final class WriteLog: Sendable {
    private let lines = Mutex<[String]>([])

    func handler(label: String) -> any LogHandler {
        Handler(log: self, label: label)
    }

    func flush() {
        let kept = lines.withLock { $0 }
        guard !kept.isEmpty else { return }
        StandardError.write("prefect-mcp dashboard: \(kept.count) write\(kept.count == 1 ? "" : "s") this session\n")
        for line in kept { StandardError.write("  \(line.terminalSafe)\n") }
    }

    private struct Handler: LogHandler {
        let log: WriteLog
        let label: String
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .notice

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt
        ) {
            let time = Date().formatted(.iso8601)
            log.lines.withLock { $0.append("\(time) \(message)") }
        }
    }
}
