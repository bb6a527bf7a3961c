#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// Follows the logs of one flow run by polling, without gaps or repeats.
///
/// Prefect's `timestamp.after_` is inclusive and several lines can share a timestamp, so the tail keeps the last
/// timestamp seen and the ids seen at it, asks for `after_ = last` in ascending order, and drops ids it has
/// already seen. A full page means more is waiting: ``hasMore`` says to poll again at once.
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

    package init(flowRunID: String, minimumLevel: LogLevel? = nil, taskRunID: String? = nil, since: Date? = nil, pageSize: Int = PageLimit.maximum) {
        self.flowRunID = flowRunID
        self.minimumLevel = minimumLevel
        self.taskRunID = taskRunID
        self.lastTimestamp = since
        self.pageSize = pageSize
    }

    /// The body of the next poll.
    package func nextQuery() -> LogsQuery {
        LogsQuery(logs: filter(after: lastTimestamp), sort: .timestampAscending, limit: pageSize, offset: nil)
    }

    /// The body that asks for the newest `count` lines (newest first; reverse them for display).
    package func newestQuery(count: Int) -> LogsQuery {
        LogsQuery(logs: filter(after: nil), sort: .timestampDescending, limit: count, offset: nil)
    }

    /// Takes a page in ascending order and returns the lines not delivered before.
    package mutating func accept(_ page: [LogEntry]) -> [LogEntry] {
        hasMore = page.count >= pageSize
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
        // A full page of one timestamp would ask for the same page forever: step past it.
        if hasMore, fresh.isEmpty, let last = lastTimestamp {
            lastTimestamp = last.addingTimeInterval(0.000_001)
            idsAtLastTimestamp = []
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
