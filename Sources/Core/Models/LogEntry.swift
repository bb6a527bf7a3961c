package import FoundationEssentials

/// One log line (`Log`).
package struct LogEntry: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    /// The logger's name, e.g. `prefect.flow_runs`.
    package var name: String?
    package var level: Int
    package var message: String
    package var timestamp: Date
    package var flowRunID: String?
    package var taskRunID: String?

    package init(id: String, name: String? = nil, level: Int, message: String, timestamp: Date, flowRunID: String? = nil, taskRunID: String? = nil) {
        self.id = id
        self.name = name
        self.level = level
        self.message = message
        self.timestamp = timestamp
        self.flowRunID = flowRunID
        self.taskRunID = taskRunID
    }

    enum CodingKeys: String, CodingKey {
        case id, name, level, message, timestamp
        case flowRunID = "flow_run_id"
        case taskRunID = "task_run_id"
    }

    package var levelName: String { LogLevel(number: level).name }
}

/// Python logging levels, as Prefect stores them.
package struct LogLevel: Hashable, Sendable, Comparable {
    package var number: Int

    package init(number: Int) { self.number = number }

    package static let debug = LogLevel(number: 10)
    package static let info = LogLevel(number: 20)
    package static let warning = LogLevel(number: 30)
    package static let error = LogLevel(number: 40)
    package static let critical = LogLevel(number: 50)

    /// Accepts `debug`, `INFO`, `warn`, … or a number.
    package init?(name: String) {
        switch name.uppercased() {
        case "DEBUG": self = .debug
        case "INFO": self = .info
        case "WARN", "WARNING": self = .warning
        case "ERROR": self = .error
        case "CRITICAL", "FATAL": self = .critical
        default:
            guard let number = Int(name), number >= 0 else { return nil }
            self.number = number
        }
    }

    package var name: String {
        switch number {
        case 50...: "CRITICAL"
        case 40..<50: "ERROR"
        case 30..<40: "WARNING"
        case 20..<30: "INFO"
        case 10..<20: "DEBUG"
        default: "NOTSET"
        }
    }

    package static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.number < rhs.number }
}
