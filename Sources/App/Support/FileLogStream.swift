import Core
import FoundationEssentials
import JSONValue
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Log lines appended to a file: the dashboard's diagnostics, which cannot go to stderr while curses owns the
/// terminal. Each line is written whole (one `write` under a lock), so concurrent loggers never interleave.
final class FileLogStream: TextOutputStream, Sendable {
    private let descriptor: Int32
    private let lock = Mutex(())

    /// Opens `path` for appending (created 0600: a trace log holds request bodies); nil with the reason when it
    /// cannot be.
    init(path: String) throws(FileLogError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileLogError(path: path, reason: String(cString: strerror(errno))) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    func write(_ string: String) {
        lock.withLock { _ in
            var bytes = Array(string.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// A handler writing to this file at `level`, control characters neutralised as on stderr.
    func handler(label: String, level: Logger.Level) -> any LogHandler {
        TerminalSafeLogHandler(wrapped: FileLogHandler(label: label, file: self, logLevel: level))
    }
}

/// One line per message, as swift-log's stream handler writes them: time, level, label, message, metadata.
struct FileLogHandler: LogHandler {
    let label: String
    let file: FileLogStream
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        file.write("\(PrefectDate.format(Date())) \(event.level) \(label): \(event.message)\(fields)\n")
    }
}

struct FileLogError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot open the log file '\(path.clipped(to: 200))': \(reason)" }
}
