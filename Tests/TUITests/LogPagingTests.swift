import Core
import Foundation
import Testing

@testable import TUI

/// The log view reaches the whole log: scrolling up past the first loaded line reads the page before it, `g` reads
/// page after page until the first line, and the indicator says how much is loaded.
@Suite("Log view: older pages on demand")
struct LogPagingTests {
    static func lines(_ range: Range<Int>) -> [LogLine] {
        range.map { LogLine(id: "\($0)", timestamp: Date(timeIntervalSince1970: Double($0)), level: 20, levelName: "INFO", message: "line \($0)") }
    }

    /// The log of run-0 open, its newest 1,000 of 2,500 lines loaded.
    static func opened() -> (DashboardState, String) {
        var state = DashboardState()
        state.overview = Samples.overview(runs: 1)
        state.size = (80, 24)
        _ = state.reduce(.key(.character("l")))
        let run = Samples.run(0).id
        _ = state.reduce(.log(.started(runID: run, lines: lines(1500..<2500), olderRemain: true)))
        return (state, run)
    }

    @Test("PageUp near the first loaded line asks for the page before it once; it arrives above, the view stays put")
    func pageUp() {
        var (state, run) = Self.opened()
        #expect(LogsPanel.loaded(state.logs) == "1000 lines + older (↑ loads)")
        var asked: [Effect] = []
        for _ in 0..<60 { asked += state.reduce(.key(.pageUp)) }
        #expect(asked == [.loadOlderLogs(runID: run, offset: 1000)], "one request while one is on its way")
        #expect(LogsPanel.loaded(state.logs) == "1000 lines + older (loading…)")
        let shownBefore = state.logs.visible(height: state.logHeight).first?.message
        _ = state.reduce(.log(.older(runID: run, lines: Self.lines(400..<1600), more: true)))  // overlaps by 100
        #expect(state.logs.lines.count == 2100, "lines read twice are shown once")
        #expect(state.logs.visible(height: state.logHeight).first?.message == shownBefore)
        let next = state.reduce(.key(.pageUp))
        #expect(next == [], "the view is a page from the first loaded line: nothing to read yet")
        var more: [Effect] = []
        for _ in 0..<100 { more += state.reduce(.key(.pageUp)) }
        #expect(more == [.loadOlderLogs(runID: run, offset: 2100)])
        _ = state.reduce(.log(.older(runID: run, lines: Self.lines(0..<400), more: false)))
        for _ in 0..<100 { _ = state.reduce(.key(.pageUp)) }
        #expect(state.logs.visible(height: 1).first?.message == "line 0")
        #expect(LogsPanel.loaded(state.logs) == "all 2500 lines")
    }

    @Test("g reads page after page and shows the log's first line; answers for another run are dropped")
    func top() {
        var (state, run) = Self.opened()
        let first = state.reduce(.key(.character("g")))
        #expect(first == [.loadOlderLogs(runID: run, offset: 1000)])
        _ = state.reduce(.log(.older(runID: "another-run", lines: Self.lines(0..<5), more: false)))
        #expect(state.logs.lines.count == 1000 && state.logs.loadingOlder)
        let second = state.reduce(.log(.older(runID: run, lines: Self.lines(500..<1500), more: true)))
        #expect(second == [.loadOlderLogs(runID: run, offset: 2000)] && state.logs.top == 0)
        let done = state.reduce(.log(.older(runID: run, lines: Self.lines(0..<500), more: false)))
        #expect(done == [] && state.logs.top == 0 && state.logs.visible(height: 1).first?.message == "line 0")
        #expect(state.reduce(.key(.character("g"))) == [], "nothing older remains")
    }

    @Test("A page that fails says why and can be asked for again; a full buffer stops reading older lines")
    func failureAndCapacity() {
        var (state, run) = Self.opened()
        _ = state.reduce(.key(.character("g")))
        _ = state.reduce(.log(.olderFailed(runID: run, reason: "no answer within 10 s")))
        #expect(LogsPanel.loaded(state.logs) == "1000 lines + older (not loaded: no answer within 10 s)")
        #expect(state.reduce(.key(.character("g"))) == [.loadOlderLogs(runID: run, offset: 1000)])

        var buffer = LogBuffer(capacity: 10)
        buffer.append(Self.lines(20..<26), viewHeight: 3)
        buffer.prepend(Self.lines(10..<20), viewHeight: 3)
        #expect(buffer.lines.map(\.message) == (16..<26).map { "line \($0)" }, "the newest of the older lines fill the room left")
        buffer.olderRemain = true
        #expect(buffer.isFull && LogsPanel.loaded(buffer) == "10 lines + older (buffer full)")
    }
}
