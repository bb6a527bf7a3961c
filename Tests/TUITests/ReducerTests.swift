import Core
import Foundation
import Testing
@testable import TUI


@Suite("Dashboard reducer: keys become state changes and effects, never waits")
struct ReducerTests {
    static func loaded(runs: Int) -> DashboardState {
        var state = DashboardState()
        state.overview = Samples.overview(runs: runs)
        return state
    }

    @Test("Views by number, Tab and Esc (back through where you came from); q quits")
    func navigation() {
        var state = DashboardState()
        _ = state.reduce(.key(.character("2")))
        #expect(state.view == .logs)
        _ = state.reduce(.key(.tab))
        #expect(state.view == .overview)
        _ = state.reduce(.key(.character("?")))
        #expect(state.view == .help)
        _ = state.reduce(.key(.escape))
        #expect(state.view == .overview)
        _ = state.reduce(.key(.escape))
        #expect(state.view == .logs)
        let quit = state.reduce(.key(.character("q")))
        #expect(quit == [.quit] && state.shouldQuit)
    }

    @Test("Selection stays in the list; Enter on a run opens its log and starts following it")
    func selection() {
        var state = Self.loaded(runs: 3)
        for _ in 0..<5 { _ = state.reduce(.key(.down)) }
        #expect(state.selection[.overview] == 2)
        _ = state.reduce(.key(.character("k")))
        #expect(state.selectedRun?.name == "run-1")
        let opened = state.reduce(.key(.enter))
        #expect(opened == [.followLogs(runID: Samples.run(1).id)])
        #expect(state.view == .logs && state.logRun?.name == "run-1")
        var empty = DashboardState()
        let nothing = empty.reduce(.key(.enter))
        #expect(nothing == [], "nothing selected, nothing opened")
    }

    @Test("In the log view: scrolling up stops following, f resumes; / filters and s searches through a prompt")
    func logView() {
        var state = Self.loaded(runs: 1)
        _ = state.reduce(.key(.enter))
        let lines = (0..<100).map { LogLine(id: "\($0)", timestamp: Date(timeIntervalSince1970: Double($0)), level: $0 == 50 ? 40 : 20, levelName: "INFO", message: $0 == 50 ? "Traceback here" : "line \($0)") }
        _ = state.reduce(.logLines(lines))
        #expect(state.logs.follow)
        _ = state.reduce(.key(.up))
        #expect(!state.logs.follow)
        _ = state.reduce(.key(.character("f")))
        #expect(state.logs.follow)
        for key: Key in [.character("s"), .character("t"), .character("r"), .character("a"), .backspace, .character("a"), .enter] {
            _ = state.reduce(.key(key))
        }
        #expect(state.prompt == nil && state.logs.search == "tra" && state.logs.currentMatch == 50 && !state.logs.follow)
        for key: Key in [.character("/"), .character("1"), .character("7"), .enter] { _ = state.reduce(.key(key)) }
        #expect(state.logs.filter == "17" && state.logs.shown.count == 1)
        _ = state.reduce(.key(.character("/")))
        let typed = state.reduce(.key(.character("q")))
        #expect(typed == [] && !state.shouldQuit, "q is text while the prompt is open")
        _ = state.reduce(.key(.escape))
        #expect(state.prompt == nil && state.logs.filter == "17", "Esc cancels the prompt and keeps the filter")
        _ = state.reduce(.key(.character("L")))
        #expect(state.logs.minimumLevel == 20)
    }

    @Test("A failed refresh keeps the data and backs off; a success reconnects; c cycles the window and refreshes")
    func connection() {
        var state = Self.loaded(runs: 2)
        let now = Date()
        _ = state.reduce(.refreshFailed(reason: "connection refused", unauthorized: false, at: now))
        #expect(state.overview != nil)
        guard case .disconnected(_, 1, _) = state.connection else { Issue.record("\(state.connection)"); return }
        _ = state.reduce(.overviewLoaded(state.overview!, at: now))
        #expect(state.connection == .connected(since: now))
        let cycled = state.reduce(.key(.character("c")))
        #expect(cycled == [.refresh] && state.window.label == "7d")
    }
}
