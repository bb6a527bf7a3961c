import Foundation
import Testing

@testable import Core
@testable import TUI

/// The selection follows the object, not the row number: a refresh that adds or moves rows keeps the highlight
/// (and what Enter opens) on the run, deployment or pool the person picked.
@Suite("Selection across refreshes")
struct SelectionTests {
    static func overview(late: [FlowRunRow] = [], recent: [FlowRunRow]) -> OverviewData {
        var data = Samples.overview(runs: 0)
        data.recentRuns = recent
        data.lateRuns = LateRunsReport(runs: late.map { .init(run: $0, causes: []) }, lateCount: late.count, summary: [:], checkedAt: Samples.now)
        return data
    }

    static func refreshed(_ state: inout DashboardState, _ answer: Loaded) {
        _ = state.reduce(.loaded(answer, at: Samples.now))
    }

    @Test("Overview: a run arriving at the top keeps the highlight on the picked run, and Enter opens that one")
    func overviewInsert() {
        var state = DashboardState()
        Self.refreshed(&state, .overview(Self.overview(recent: (0..<5).map { Samples.run($0) })))
        _ = state.reduce(.key(.down))
        _ = state.reduce(.key(.down))
        #expect(state.selectedRun?.name == "run-2")
        Self.refreshed(&state, .overview(Self.overview(recent: [Samples.run(10), Samples.run(11)] + (0..<5).map { Samples.run($0) })))
        #expect(state.selection[.overview] == 4 && state.selectedRun?.name == "run-2")
        _ = state.reduce(.key(.enter))
        #expect(state.view == .runDetail && state.detailRun?.name == "run-2")
    }

    @Test("When the picked run is gone, the selection keeps its row number, within the list")
    func overviewGone() {
        var state = DashboardState()
        Self.refreshed(&state, .overview(Self.overview(recent: (0..<5).map { Samples.run($0) })))
        for _ in 0..<3 { _ = state.reduce(.key(.down)) }
        Self.refreshed(&state, .overview(Self.overview(recent: [0, 1, 2, 4].map { Samples.run($0) })))
        #expect(state.selection[.overview] == 3 && state.selectedRun?.name == "run-4")
        Self.refreshed(&state, .overview(Self.overview(recent: [0, 1].map { Samples.run($0) })))
        #expect(state.selection[.overview] == 1 && state.selectedRun?.name == "run-1")
    }

    @Test("Late panel: the selection moves through the late runs, then the recent ones; Enter opens a late run's detail")
    func latePanel() {
        var state = DashboardState()
        let late = [Samples.run(90, state: "SCHEDULED", name: "Late"), Samples.run(91, state: "SCHEDULED", name: "Late")]
        // run-90 is late and recent at once: the two rows stay two rows.
        Self.refreshed(&state, .overview(Self.overview(late: late, recent: [late[0], Samples.run(1)])))
        #expect(state.selectedRun?.name == "run-90")
        _ = state.reduce(.key(.down))
        _ = state.reduce(.key(.down))
        #expect(state.selection[.overview] == 2 && state.selectedRun?.name == "run-90", "the recent row of the late run")
        Self.refreshed(
            &state, .overview(Self.overview(late: [Samples.run(92, state: "SCHEDULED", name: "Late")] + late, recent: [late[0], Samples.run(1)])))
        #expect(state.selection[.overview] == 3, "still the recent row, below one more late run")
        _ = state.reduce(.key(.character("g")))
        _ = state.reduce(.key(.down))
        #expect(state.selectedRun?.name == "run-90")
        let opened = state.reduce(.key(.enter))
        #expect(opened == [.refresh] && state.view == .runDetail && state.query == .runDetail(id: late[0].id))
        _ = state.reduce(.loaded(.runDetail(Samples.runDetail(for: late[0])), at: Samples.now))
        #expect(state.runDetail?.diagnosis.run.id == late[0].id)
    }

    @Test("Runs: the selection follows the run across refreshes of the same search, and starts at the top of a new one")
    func runs() throws {
        var state = DashboardState()
        _ = state.reduce(.key(.character("2")))
        Self.refreshed(&state, .runs(state.runSearch, (0..<4).map { Samples.run($0) }))
        _ = state.reduce(.key(.down))
        Self.refreshed(&state, .runs(state.runSearch, [Samples.run(7)] + (0..<4).map { Samples.run($0) }))
        #expect(state.selectedRun?.name == "run-1")
        for key: Key in [.character("/"), .character("r"), .enter] { _ = state.reduce(.key(key)) }
        Self.refreshed(&state, .runs(state.runSearch, [Samples.run(8)] + (0..<4).map { Samples.run($0) }))
        #expect(state.selection[.runs] == 0 && state.selectedRun?.name == "run-8")
    }

    @Test("Deployments and Work pools: a row added above keeps the selection on the same deployment or pool")
    func otherLists() {
        var state = DashboardState()
        _ = state.reduce(.key(.character("3")))
        Self.refreshed(&state, .deployments(Array(Samples.deployments.dropFirst())))
        _ = state.reduce(.key(.down))
        #expect(state.shownDeployments[state.selection[.deployments] ?? 0].slug == "nightly-report/main")
        Self.refreshed(&state, .deployments(Samples.deployments))
        _ = state.reduce(.key(.enter))
        #expect(state.detailDeployment?.slug == "nightly-report/main")

        _ = state.reduce(.key(.character("4")))
        Self.refreshed(&state, .workPools([Samples.workPools[1]]))
        var renamed = Samples.workPools[0]
        renamed.health.name = "another-pool"
        Self.refreshed(&state, .workPools([renamed] + Samples.workPools))
        _ = state.reduce(.key(.enter))
        #expect(state.detailWorkPool?.health.name == "empty-pool")
    }
}
