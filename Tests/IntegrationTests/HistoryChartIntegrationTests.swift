import Foundation
import TestSupport
import Testing

@testable import Core

/// The dashboard's charts against the seeded server: the history's columns come from the one history read the
/// counts use, and add up to them; a deployment's finished runs are its completed, failed and crashed ones.
@Suite("Dashboard charts")
struct HistoryChartIntegrationTests {
    @Test("The window's columns add up to its counts, in one request", arguments: [(TimeWindow.day, 24), (TimeWindow(seconds: 3600), 30)])
    func columnsAddUp(window: TimeWindow, columns: Int) async throws {
        try await Live.withCountingClient { client, settings, transport in
            let now = Date()
            let plain = try await client.status(settings: settings, window: window, now: now)
            _ = transport.take()
            let charted = try await client.status(settings: settings, window: window, historyColumns: columns, now: now)
            let requests = transport.take()
            #expect(requests.filter { $0.hasSuffix("/flow_runs/history") }.count == 1, "\(requests)")
            #expect(plain.history.isEmpty)
            #expect(charted.history.count == columns)
            #expect(charted.flowRuns == plain.flowRuns, "the counts do not depend on the columns")
            var summed: [String: Int] = [:]
            for column in charted.history {
                #expect(abs(column.end.timeIntervalSince(column.start) - Double(window.seconds) / Double(columns)) < 0.01)
                for count in column.counts { summed[count.name, default: 0] += count.count }
            }
            let byName = Dictionary(plain.flowRuns.byState.map { ($0.name, $0.count) }, uniquingKeysWith: +)
            #expect(summed == byName)
            #expect(charted.history.first.map { abs($0.start.timeIntervalSince(now) + Double(window.seconds)) < 1 } == true)
            #expect(plain.flowRuns.total > 0, "the seed has runs in the window, so the sums are real")
        }
    }

    @Test("A deployment's finished runs: completed, failed or crashed, newest first, with durations")
    func finishedRuns() async throws {
        try await Live.withClient { client, settings in
            let deployments = try await client.deploymentRows(filter: nil, limit: 50, offset: 0, ui: settings.uiURL).items
            let prod = try #require(deployments.first { $0.slug == "etl-daily/prod" })
            let finished = try await client.finishedRuns(deploymentID: prod.id, ui: settings.uiURL)
            #expect(!finished.runs.isEmpty, "the seed has finished runs of etl-daily/prod")
            #expect(finished.runs.allSatisfy { ["COMPLETED", "FAILED", "CRASHED"].contains($0.stateType ?? "") && $0.deploymentID == prod.id })
            let expected = finished.runs.compactMap(\.expectedStartTime)
            #expect(expected == expected.sorted(by: >), "newest first")
            let rate = try #require(finished.successRate)
            #expect(rate == Double(finished.completed) / Double(finished.runs.count))
        }
    }
}
