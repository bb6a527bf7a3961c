import Core
import Foundation
import Testing

@testable import TUI

/// Nothing is cut silently: cut text ends with `…`, ages keep their unit, commands wrap, hidden rows are counted.
@Suite("Truncation")
struct TruncationTests {
    init() {
        #expect(TerminalWidth.ensureUTF8Locale(), "a UTF-8 locale (C.UTF-8) is needed")
    }

    @Test("Columns shrink widest first down to a minimum; fixed ones (ages) keep their width; the rest column gets what is left")
    func widths() {
        let columns = [Column("RUN", 22), Column("FLOW", 26), .age("STARTED"), Column("POOL", 0)]
        #expect(Table.widths(columns, available: 120) == [22, 26, 13, 59])
        #expect(Table.widths(columns, available: 60) == [19, 20, 13, 8])
        #expect(Table.widths(columns, available: 20) == [8, 8, 13, 0], "too narrow for all: the rest column is left with nothing")
    }

    @Test("A table that does not fit says how many rows are hidden, above and below the selection")
    func hiddenRows() {
        var screen = Screen(width: 40, height: 10)
        let y = Table.draw(
            title: "Runs", columns: [Column("RUN", 0)], count: 20, height: 5, y: 0, selected: 9, into: &screen
        ) { (["run-\($0)"], .plain) }
        #expect(Array(screen.lines()[2...6]) == [" run-6", " run-7", " run-8", " run-9", " … 10 more rows (6 above)"])
        #expect(y == 8)
        #expect(Table.hiddenRows(above: 0, below: 1) == "… 1 more row")
        #expect(Table.hiddenRows(above: 3, below: 0) == "… 3 rows above")
        #expect(Table.hiddenRows(above: 0, below: 0) == nil)
    }

    @Test("At 80 columns the Runs table cuts names with … and never an age's unit")
    func runsAt80() {
        var state = DashboardState()
        state.size = (80, 24)
        _ = state.reduce(.key(.character("2")))
        var row = Samples.run(1, state: "RUNNING", name: "Running")
        row.name = "a-very-long-run-name-that-does-not-fit"
        row.startTime = Samples.now.addingTimeInterval(-(25 * 60 + 52))
        row.workPoolName = "prod-pool"
        let unstarted = Samples.run(2, state: "SCHEDULED", name: "Late")
        _ = state.reduce(.loaded(.runs(state.runSearch, [row, unstarted] + (3..<40).map { Samples.run($0) }), at: Samples.now))
        let lines = Renderer.render(state, now: Samples.now).lines()
        let first = lines[4]
        #expect(first.contains("a-very-long-run-… ") && first.contains(" 25m 52s ago ") && first.hasSuffix(" prod-p…"), "\(first)")
        #expect(lines[5].contains("not yet"), "an unstarted run has no start time to show")
        #expect(lines[22] == " … 21 more rows", "\(lines)")
    }

    @Test("Commands and links to copy wrap under their text instead of being cut; other lines end with …")
    func wrap() {
        let fix = "    fix: prefect work-pool resume a-pool-with-a-long-name && prefect worker start --pool a-pool-with-a-long-name"
        let rows = DetailText.rows([DetailLine(fix, .accent, wraps: true), DetailLine(String(repeating: "x", count: 90))], width: 60)
        #expect(
            rows.map(\.text) == [
                "    fix: prefect work-pool resume a-pool-with-a-long-name &&",
                "         prefect worker start --pool a-pool-with-a-long-name",
                String(repeating: "x", count: 90),
            ])
        #expect(rows.allSatisfy { TerminalWidth.columns(of: $0.text) <= 60 || !$0.wraps })
        let url = "UI http://127.0.0.1:4200/runs/flow-run/00000000-0000-4000-8000-000000000001"
        #expect(
            DetailText.rows([DetailLine(url, wraps: true)], width: 40).map(\.text) == [
                "UI http://127.0.0.1:4200/runs/flow-run/0", "   0000000-0000-4000-8000-000000000001",
            ])
    }

    @Test("The run detail's next steps wrap at 80 columns, and scrolling counts the wrapped rows")
    func runDetailAt80() {
        var state = DashboardState()
        state.size = (80, 24)
        state.overview = Samples.overview(runs: 1)
        _ = state.reduce(.key(.enter))
        var detail = Samples.runDetail(for: Samples.run(0))
        detail.diagnosis.nextSteps = ["Retry it after the fix: prefect flow-run retry \(Samples.run(0).id) --and-a-long-option-value x"]
        _ = state.reduce(.loaded(.runDetail(detail), at: Samples.now))
        for _ in 0..<30 { _ = state.reduce(.key(.down)) }
        let text = Renderer.render(state, now: Samples.now).lines().joined(separator: "\n")
        let all = state.detailLines(of: .runDetail).map(\.text).joined(separator: "\n")
        #expect(all.contains("--and-a-long-option-value x") && all.contains("  • Retry it after the fix"), "\(all)")
        #expect(state.selection[.runDetail] == state.detailLines(of: .runDetail).count - state.detailHeight)
        #expect(text.contains("load-0"), "the last page is shown")
    }
}
