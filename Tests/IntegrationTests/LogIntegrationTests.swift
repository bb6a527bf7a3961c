import Foundation
import TestSupport
import Testing

@testable import Core

@Suite("Logs of a long failed run")
struct LogIntegrationTests {
    @Test("The newest line is the traceback, however long the log")
    func newest() async throws {
        let seed = try TestServers.seed()
        let log = seed.runs.failedLongLog
        try await Live.withClient { client, _ in
            let tail = LogTail(flowRunID: log.id)
            let newest = try await client.send(PrefectAPI.logs(tail.newestQuery(count: 5)))
            #expect(newest.count == 5)
            #expect(newest.first?.message.contains(log.lastLineContains) == true)
            #expect(newest.first?.level == LogLevel.error.number)
            let errors = try await client.send(PrefectAPI.logs(LogTail(flowRunID: log.id, minimumLevel: .error).newestQuery(count: 50)))
            #expect(!errors.isEmpty && errors.allSatisfy { $0.level >= 40 })
        }
    }

    @Test("Tailing from the start delivers every line once, in order, in pages")
    func tailAll() async throws {
        let seed = try TestServers.seed()
        let log = seed.runs.failedLongLog
        try await Live.withClient { client, _ in
            var tail = LogTail(flowRunID: log.id, pageSize: 50)
            var lines: [LogEntry] = []
            for _ in 0..<100 {
                let fresh = tail.accept(try await client.send(PrefectAPI.logs(tail.nextQuery())))
                lines += fresh
                if fresh.isEmpty && !tail.hasMore { break }
            }
            #expect(lines.count == log.logLines)
            #expect(Set(lines.map(\.id)).count == lines.count)
            #expect(lines.map(\.timestamp) == lines.map(\.timestamp).sorted())
            #expect(lines.last?.message.contains(log.lastLineContains) == true)
        }
    }
}
