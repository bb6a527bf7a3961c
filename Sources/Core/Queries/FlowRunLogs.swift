package import FoundationEssentials
import JSONValue

/// A log line as a reader wants it: level name and the task run's name joined in.
package struct LogLine: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    package var id: String
    package var timestamp: Date
    package var level: Int
    package var levelName: String
    package var message: String
    package var logger: String?
    package var taskRunID: String?
    package var taskRunName: String?

    package init(
        id: String, timestamp: Date, level: Int, levelName: String, message: String, logger: String? = nil, taskRunID: String? = nil,
        taskRunName: String? = nil
    ) {
        self.id = id
        self.timestamp = timestamp
        self.level = level
        self.levelName = levelName
        self.message = message
        self.logger = logger
        self.taskRunID = taskRunID
        self.taskRunName = taskRunName
    }

    enum CodingKeys: String, CodingKey {
        case id, timestamp, level, message, logger
        case levelName = "level_name"
        case taskRunID = "task_run_id"
        case taskRunName = "task_run_name"
    }
}

/// One page of a run's logs.
package struct FlowRunLogPage: Sendable {
    package var run: FlowRun
    /// The lines in the order they were read: newest first from the end, oldest first from the start (a budget that
    /// cuts the page keeps the lines read first).
    package var linesAsRead: [LogLine]
    /// Whether the page was read from the newest line backwards.
    package var readFromEnd: Bool
    /// More lines lie beyond this page in the direction it was read.
    package var truncated: Bool

    /// Oldest first, whichever end the page was read from.
    package var lines: [LogLine] { readFromEnd ? linesAsRead.reversed() : linesAsRead }
}

extension PrefectClient {
    /// A page of one run's logs. `newest` reads from the end (the traceback of a failed run is there, however many
    /// lines precede it); `offset` counts lines from the end read from. Unknown runs are an error, not an empty page.
    package func flowRunLogs(
        flowRunID: String, minimumLevel: LogLevel? = nil, taskRunID: String? = nil, newest: Bool, limit: Int, offset: Int
    ) async throws -> FlowRunLogPage {
        let tail = LogTail(flowRunID: flowRunID, minimumLevel: minimumLevel, taskRunID: taskRunID)
        var query = newest ? tail.newestQuery(count: limit) : tail.nextQuery()
        query.limit = nil
        let base = query
        async let run = send(PrefectAPI.flowRun(id: flowRunID))
        async let page = self.page(limit: limit, offset: offset) { size, offset in
            var paged = base
            paged.limit = size
            paged.offset = offset
            return try await self.send(PrefectAPI.logs(paged))
        }
        let entries = try await page
        let taskNames = try await taskRunNames(ids: entries.items.compactMap(\.taskRunID))
        let lines = entries.items.map { LogLine($0, taskRunName: $0.taskRunID.flatMap { taskNames[$0] }) }
        return FlowRunLogPage(run: try await run, linesAsRead: lines, readFromEnd: newest, truncated: entries.truncated)
    }
}
