import Foundation
import TestSupport
import Testing

@testable import Core

@Suite("Log tail: inclusive timestamps, no gaps, no repeats")
struct LogTailTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_608_000)

    static func line(_ id: String, _ offset: Double) -> LogEntry {
        LogEntry(id: id, level: 20, message: id, timestamp: t0.addingTimeInterval(offset), flowRunID: "run")
    }

    /// A fake server: every line, answered the way /logs/filter does (after_ inclusive, ascending, offset, limited).
    static func page(_ all: [LogEntry], _ query: LogsQuery) -> [LogEntry] {
        let after = query.logs?.timestamp?.after
        let matching = all.filter { after == nil || $0.timestamp >= after! }.sorted { $0.timestamp < $1.timestamp }
        return Array(matching.dropFirst(query.offset ?? 0).prefix(query.limit ?? 200))
    }

    /// Polls until nothing new comes, at most `polls` times.
    static func drain(_ tail: inout LogTail, _ lines: [LogEntry], polls: Int = 50) -> [String] {
        var delivered: [String] = []
        for _ in 0..<polls {
            let fresh = tail.accept(page(lines, tail.nextQuery()))
            delivered += fresh.map(\.id)
            if fresh.isEmpty && !tail.hasMore { break }
        }
        return delivered
    }

    @Test("Lines sharing a timestamp across polls are delivered once each")
    func sharedTimestamps() {
        var tail = LogTail(flowRunID: "run", pageSize: 2)
        var lines = [Self.line("a", 0), Self.line("b", 1), Self.line("c", 1)]
        var delivered: [String] = []
        for _ in 0..<5 { delivered += tail.accept(Self.page(lines, tail.nextQuery())).map(\.id) }
        #expect(delivered == ["a", "b", "c"])
        lines += [Self.line("d", 1), Self.line("e", 2)]
        for _ in 0..<5 { delivered += tail.accept(Self.page(lines, tail.nextQuery())).map(\.id) }
        #expect(delivered == ["a", "b", "c", "d", "e"])
    }

    @Test("More lines at one timestamp than a page holds are all delivered, in order, once")
    func manyAtOneTimestamp() {
        for pageSize in [1, 2, 3, 150] {
            var tail = LogTail(flowRunID: "run", pageSize: pageSize)
            let lines = (0..<7).map { Self.line("s\($0)", 0) } + [Self.line("t", 1)]
            #expect(Self.drain(&tail, lines) == lines.map(\.id), "page size \(pageSize)")
        }
    }

    @Test("Past the server's maximum page, lines at one timestamp are skipped by offset, none lost")
    func beyondMaximumPage() {
        var tail = LogTail(flowRunID: "run", pageSize: 150)
        let lines = (0..<450).map { Self.line(String(format: "s%03d", $0), 0) } + [Self.line("t", 1)]
        #expect(Self.drain(&tail, lines) == lines.map(\.id))
    }

    @Test("hasMore is set by a full page")
    func hasMore() {
        var tail = LogTail(flowRunID: "run", pageSize: 2)
        _ = tail.accept([Self.line("a", 0), Self.line("b", 1)])
        #expect(tail.hasMore)
        // Next poll asks for 3 (b comes back), and 2 lines are not a full page.
        _ = tail.accept([Self.line("b", 1), Self.line("c", 2)])
        #expect(!tail.hasMore)
    }

    @Test("Following after the newest N continues after them")
    func markDelivered() {
        var tail = LogTail(flowRunID: "run")
        tail.markDelivered([Self.line("b", 1), Self.line("a", 0)])
        let lines = [Self.line("a", 0), Self.line("b", 1), Self.line("c", 1), Self.line("d", 2)]
        #expect(tail.accept(Self.page(lines, tail.nextQuery())).map(\.id) == ["c", "d"])
    }

    @Test("Queries carry the run, level and task filters; newest asks descending")
    func queries() throws {
        let tail = LogTail(flowRunID: "run", minimumLevel: .warning, taskRunID: "task", pageSize: 100)
        #expect(
            try jsonText(tail.nextQuery())
                == #"{"limit":100,"logs":{"flow_run_id":{"any_":["run"]},"level":{"ge_":30},"task_run_id":{"any_":["task"]}},"sort":"TIMESTAMP_ASC"}"#
        )
        #expect(
            try jsonText(tail.newestQuery(count: 50))
                == #"{"limit":50,"logs":{"flow_run_id":{"any_":["run"]},"level":{"ge_":30},"task_run_id":{"any_":["task"]}},"sort":"TIMESTAMP_DESC"}"#
        )
    }
}
