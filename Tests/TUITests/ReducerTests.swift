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
        for (key, view) in zip("123456", [View.overview, .runs, .deployments, .workPools, .logs, .events]) {
            _ = state.reduce(.key(.character(key)))
            #expect(state.view == view)
        }
        _ = state.reduce(.key(.tab))
        #expect(state.view == .overview)
        _ = state.reduce(.key(.backTab))
        #expect(state.view == .events)
        _ = state.reduce(.key(.tab))
        _ = state.reduce(.key(.character("?")))
        #expect(state.view == .help)
        _ = state.reduce(.key(.escape))
        #expect(state.view == .overview)
        _ = state.reduce(.key(.escape))
        #expect(state.view == .events)
        let quit = state.reduce(.key(.character("q")))
        #expect(quit == [.quit] && state.shouldQuit)
    }

    @Test("Selection stays in the list; l on a run opens its log and starts following it")
    func selection() {
        var state = Self.loaded(runs: 3)
        for _ in 0..<5 { _ = state.reduce(.key(.down)) }
        #expect(state.selection[.overview] == 2)
        _ = state.reduce(.key(.character("k")))
        #expect(state.selectedRun?.name == "run-1")
        let opened = state.reduce(.key(.character("l")))
        #expect(opened == [.followLogs(runID: Samples.run(1).id)])
        #expect(state.view == .logs && state.logRun?.name == "run-1")
        var empty = DashboardState()
        let nothing = empty.reduce(.key(.character("l")))
        #expect(nothing == [], "nothing selected, nothing opened")
        let noDetail = empty.reduce(.key(.enter))
        #expect(noDetail == [] && empty.view == .overview)
    }

    @Test("Enter opens run detail and loads it at once; its answer fills the view; l there opens the log; Esc goes back")
    func runDetail() {
        var state = Self.loaded(runs: 3)
        _ = state.reduce(.key(.down))
        let opened = state.reduce(.key(.enter))
        #expect(state.view == .runDetail && state.detailRun?.name == "run-1")
        #expect(opened == [.refresh] && state.query == .runDetail(id: Samples.run(1).id))
        _ = state.reduce(.loaded(.runDetail(Samples.runDetail(for: Samples.run(2))), at: Date()))
        #expect(state.runDetail == nil, "an answer for another run is dropped")
        _ = state.reduce(.loaded(.runDetail(Samples.runDetail(for: Samples.run(1))), at: Date()))
        #expect(state.runDetail?.diagnosis.run.name == "run-1")
        state.size = (80, 10)
        for _ in 0..<200 { _ = state.reduce(.key(.down)) }
        let lines = state.detailLines(of: .runDetail).count
        #expect(state.selection[.runDetail] == lines - state.detailHeight, "scrolling stops at the last page")
        let logs = state.reduce(.key(.character("l")))
        #expect(logs.contains(.followLogs(runID: Samples.run(1).id)) && state.view == .logs)
        var overview = state.overview!
        overview.recentRuns[1] = Samples.run(1, state: "FAILED", name: "Failed")
        state.runDetail = nil
        _ = state.reduce(.loaded(.overview(overview), at: Date()))
        #expect(state.logRun?.stateName == "Failed", "the log header follows the run's state")
        _ = state.reduce(.key(.escape))
        _ = state.reduce(.key(.escape))
        #expect(state.view == .overview)
    }

    @Test("Runs: / searches on the server (the query changes and refreshes); a bad search says why and keeps the last good one")
    func runSearch() throws {
        var state = Self.loaded(runs: 3)
        _ = state.reduce(.key(.character("2")))
        #expect(state.query == .runs(RunSearch()))
        _ = state.reduce(.key(.character("/")))
        for character in "state:failed etl" { _ = state.reduce(.key(.character(character))) }
        let applied = state.reduce(.key(.enter))
        let expected = try RunSearch(parsing: "state:failed etl")
        #expect(applied == [.refresh] && state.query == .runs(expected) && state.runSearchError == nil)
        _ = state.reduce(.key(.character("/")))
        for _ in 0..<20 { _ = state.reduce(.key(.backspace)) }
        for character in "colour:red" { _ = state.reduce(.key(.character(character))) }
        let refused = state.reduce(.key(.enter))
        #expect(refused == [] && state.runSearchText == "state:failed etl")
        #expect(state.runSearchError?.contains("unknown filter key 'colour:'") == true)
        _ = state.reduce(.loaded(.runs(state.runSearch, [Samples.run(5, state: "FAILED", name: "Failed")]), at: Date()))
        #expect(state.selectedRun?.name == "run-5")
    }

    @Test("Deployments and Work pools: / filters the rows by text; Enter opens the detail of the selected one")
    func listFilters() {
        var state = DashboardState()
        _ = state.reduce(.key(.character("3")))
        _ = state.reduce(.loaded(.deployments(Samples.deployments), at: Date()))
        for key: Key in [.character("/"), .character("P"), .character("A"), .character("U"), .character("S"), .enter] { _ = state.reduce(.key(key)) }
        #expect(state.shownDeployments.map(\.slug) == ["etl-daily/paused"])
        _ = state.reduce(.key(.enter))
        #expect(state.view == .deploymentDetail && state.detailDeployment?.slug == "etl-daily/paused")
        _ = state.reduce(.key(.character("4")))
        _ = state.reduce(.loaded(.workPools(Samples.workPools), at: Date()))
        _ = state.reduce(.key(.down))
        _ = state.reduce(.key(.enter))
        #expect(state.view == .workPoolDetail && state.detailWorkPool?.health.name == "empty-pool")
        #expect(state.query == .workPools)
    }

    @Test("In the log view: scrolling up stops following, f resumes; / filters and s searches through a prompt")
    func logView() {
        var state = Self.loaded(runs: 1)
        _ = state.reduce(.key(.character("l")))
        let lines = (0..<100).map {
            LogLine(
                id: "\($0)", timestamp: Date(timeIntervalSince1970: Double($0)), level: $0 == 50 ? 40 : 20, levelName: "INFO",
                message: $0 == 50 ? "Traceback here" : "line \($0)")
        }
        _ = state.reduce(.log(.appended(runID: Samples.run(0).id, lines: lines)))
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
        let retry = state.reduce(.key(.character("r")))
        #expect(retry == [.refresh] && state.connection.nextRefresh(after: now, interval: 2) <= now, "r retries now, not after the backoff")
        _ = state.reduce(.loaded(.overview(state.overview!), at: now))
        #expect(state.connection == .connected(since: now))
        let cycled = state.reduce(.key(.character("c")))
        #expect(cycled == [.refresh] && state.window.label == "7d")
    }
}
