package import FoundationEssentials

/// Follows one run's log for the terminal faces (`prefect-mcp logs --follow`, the dashboard's log view): first the
/// newest lines (or every line since a time), then what arrives, with task-run names joined and remembered.
///
/// ```swift
/// var follower = LogFollower(flowRunID: run.id, minimumLevel: .info)
/// for line in try await follower.start(client: client, newest: 200) { print(line.message) }
/// while true { for line in try await follower.poll(client: client) { print(line.message) }; try await Task.sleep(for: .seconds(1)) }
/// ```
package struct LogFollower: Sendable {
    package internal(set) var tail: LogTail
    private var since: Date?
    private var taskNames: [String: String] = [:]

    /// Whether the run has finished, as far as this follower knows.
    package internal(set) var runFinished: Bool
    /// Polls in a row that brought nothing.
    private var quietPolls = 0
    /// Whether the run has lines older than those ``start(client:newest:)`` returned (known when it read the newest
    /// lines; lines before `since` are not looked for).
    package private(set) var olderRemain = false

    /// - Parameter runFinished: whether the run was already in a final state (else it is asked when lines stop).
    package init(flowRunID: String, minimumLevel: LogLevel? = nil, since: Date? = nil, runFinished: Bool = false) {
        self.tail = LogTail(flowRunID: flowRunID, minimumLevel: minimumLevel, since: since)
        self.since = since
        self.runFinished = runFinished
    }

    /// Whether following can stop, given what the last poll brought: once the run has finished and its last lines
    /// are in. A finished run may still flush lines for a moment, so it stops after two quiet polls in a row; while
    /// the run looks unfinished, its state is read at every third quiet poll (one request, not one a second).
    /// `logs --follow` and the dashboard's log view both stop by this rule.
    package mutating func isDone(after fresh: [LogLine], client: PrefectClient) async throws -> Bool {
        quietPolls = fresh.isEmpty ? quietPolls + 1 : 0
        if runFinished { return quietPolls >= 2 }
        if quietPolls > 0, quietPolls % 3 == 0 {
            runFinished = try await client.send(PrefectAPI.flowRun(id: tail.flowRunID)).stateType?.isFinal == true
            if runFinished { quietPolls = 0 }
        }
        return false
    }

    /// The lines to show first, oldest first: every line since `since` when one was given (up to `newest`),
    /// else the newest `newest` lines, read page by page (`newest` is not limited to one page of 200).
    package mutating func start(client: PrefectClient, newest: Int) async throws -> [LogLine] {
        if since != nil {
            var lines: [LogLine] = []
            repeat {
                lines += try await poll(client: client)
            } while tail.hasMore && lines.count < newest
            return lines
        }
        let base = tail.newestQuery(count: newest)
        let page = try await client.page(limit: newest, offset: 0) { size, offset in
            var query = base
            query.limit = size
            query.offset = offset
            return try await client.send(PrefectAPI.logs(query))
        }
        olderRemain = page.truncated
        // Lines written while the pages are read push older ones to later offsets, so a line can come twice.
        var seen = Set<String>()
        let newestFirst = page.items.filter { seen.insert($0.id).inserted }
        return try await named(tail.accept(newestFirst.reversed()), client: client)
    }

    /// The lines written since the last call, oldest first; pages until nothing more is waiting, or about 5 000
    /// lines at most: the rest then comes with the next call, none skipped.
    package mutating func poll(client: PrefectClient) async throws -> [LogLine] {
        var entries: [LogEntry] = []
        repeat {
            entries += tail.accept(try await client.send(PrefectAPI.logs(tail.nextQuery())))
        } while tail.hasMore && entries.count < 5000
        return try await named(entries, client: client)
    }

    /// Lines of `entries`, with the names of their task runs (read once each).
    mutating func named(_ entries: [LogEntry], client: PrefectClient) async throws -> [LogLine] {
        let unknown = Set(entries.compactMap(\.taskRunID)).subtracting(taskNames.keys)
        taskNames.merge(try await client.taskRunNames(ids: unknown)) { _, new in new }
        return entries.map { LogLine($0, taskRunName: $0.taskRunID.flatMap { taskNames[$0] }) }
    }
}

extension LogLine {
    package init(_ entry: LogEntry, taskRunName: String?) {
        self.init(
            id: entry.id, timestamp: entry.timestamp, level: entry.level, levelName: entry.levelName, message: entry.message,
            logger: entry.name, taskRunID: entry.taskRunID, taskRunName: taskRunName)
    }
}
