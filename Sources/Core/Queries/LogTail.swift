package import FoundationEssentials

/// Follows the logs of one flow run by polling, without gaps or repeats.
///
/// Prefect's `timestamp.after_` is inclusive and several lines can share a timestamp, so the tail keeps the last
/// timestamp seen and the ids seen at it, asks for `after_ = last` in ascending order, and drops ids it has
/// already seen. The lines seen at `last` come back first, so the page is made that much larger; only when they
/// alone would fill the server's maximum page does it skip them with `offset`. A full page means more is waiting:
/// ``hasMore`` says to poll again at once.
///
/// ```swift
/// var tail = LogTail(flowRunID: id, minimumLevel: .info)
/// while true {
///     let page = try await client.send(PrefectAPI.logs(tail.nextQuery()))
///     for line in tail.accept(page) { print(line.message) }
///     if !tail.hasMore { try await Task.sleep(for: .seconds(1)) }
/// }
/// ```
package struct LogTail: Sendable {
    package var flowRunID: String
    package var minimumLevel: LogLevel?
    package var taskRunID: String?
    /// The newest timestamp delivered so far; nil before the first line.
    package private(set) var lastTimestamp: Date?
    /// Ids delivered at ``lastTimestamp``.
    private var idsAtLastTimestamp: Set<String> = []
    package private(set) var hasMore = false
    /// Lines per poll.
    package var pageSize: Int

    /// - Parameter pageSize: new lines asked for per poll, at most 199 so the repeated lines fit beside them.
    package init(flowRunID: String, minimumLevel: LogLevel? = nil, taskRunID: String? = nil, since: Date? = nil, pageSize: Int = 150) {
        self.flowRunID = flowRunID
        self.minimumLevel = minimumLevel
        self.taskRunID = taskRunID
        self.lastTimestamp = since
        self.pageSize = PageLimit.clamp(pageSize, maximum: PageLimit.maximum - 1)
    }

    /// The body of the next poll.
    package func nextQuery() -> LogsQuery {
        let (limit, offset) = window
        return LogsQuery(logs: filter(after: lastTimestamp), sort: .timestampAscending, limit: limit, offset: offset)
    }

    /// Page size and offset of the next poll: room for the lines at `last` that will come back again.
    private var window: (limit: Int, offset: Int?) {
        let repeated = idsAtLastTimestamp.count
        if repeated + pageSize <= PageLimit.maximum { return (repeated + pageSize, nil) }
        return (pageSize, repeated)
    }

    /// The body that asks for the newest `count` lines (newest first; reverse them for display).
    package func newestQuery(count: Int) -> LogsQuery {
        LogsQuery(logs: filter(after: nil), sort: .timestampDescending, limit: count, offset: nil)
    }

    /// Takes a page in ascending order and returns the lines not delivered before.
    package mutating func accept(_ page: [LogEntry]) -> [LogEntry] {
        hasMore = page.count >= window.limit
        var fresh: [LogEntry] = []
        for line in page {
            if let last = lastTimestamp {
                if line.timestamp < last { continue }
                if line.timestamp == last, idsAtLastTimestamp.contains(line.id) { continue }
            }
            fresh.append(line)
            if line.timestamp != lastTimestamp {
                lastTimestamp = line.timestamp
                idsAtLastTimestamp = []
            }
            idsAtLastTimestamp.insert(line.id)
        }
        return fresh
    }

    /// Seeds the tail with lines already shown (e.g. the newest N), so following continues after them.
    package mutating func markDelivered(_ lines: [LogEntry]) {
        for line in lines.sorted(by: { $0.timestamp < $1.timestamp }) {
            if line.timestamp != lastTimestamp {
                if let last = lastTimestamp, line.timestamp < last { continue }
                lastTimestamp = line.timestamp
                idsAtLastTimestamp = []
            }
            idsAtLastTimestamp.insert(line.id)
        }
    }

    private func filter(after: Date?) -> LogFilter {
        LogFilter(
            level: minimumLevel.map { LogFilter.LevelRange(ge: $0.number) },
            timestamp: after.map { TimeRange(after: $0) },
            flowRunID: AnyOf(any: [flowRunID]),
            taskRunID: taskRunID.map { LogFilter.NullableTaskRun(any: [$0]) }
        )
    }
}
