import Core
import FoundationEssentials

/// The Runs view: the newest runs matching the search, newest first, never future ones.
enum RunsPanel {
    static func draw(_ state: DashboardState, rows: Range<Int>, now: Date, into screen: inout Screen) {
        var y = rows.lowerBound
        if let error = state.runSearchError {
            screen.put("Filter not applied: \(error)", x: 1, y: y, style: .error, maxWidth: screen.width - 2)
            y += 1
        }
        guard let loaded = state.runs else {
            screen.put("Loading runs…", x: 1, y: y + 1, style: .dim)
            return
        }
        let searching = loaded.search != state.runSearch ? " (updating…)" : ""
        let filter = state.runSearchText.isEmpty ? "/ to filter" : "filter: \(state.runSearchText)"
        let limit = loaded.rows.count == DashboardState.runsShown ? "newest \(DashboardState.runsShown)" : "\(loaded.rows.count)"
        _ = Table.draw(
            title: "Runs · \(limit) · newest first · \(filter)\(searching)",
            columns: [
                Column("RUN", 22), Column("FLOW/DEPLOYMENT", 26), Column("STATE", 12), .age("STARTED"), Column("DURATION", 9, fixed: true),
                Column("POOL", 0),
            ],
            count: loaded.rows.count, height: max(0, rows.upperBound - y - 2), y: y, selected: state.selection[.runs] ?? 0, clickable: 0,
            into: &screen
        ) { index in
            let row = loaded.rows[index]
            return (
                [
                    row.name, OverviewPanel.slug(row), row.stateName ?? "", OverviewPanel.started(row, now: now), OverviewPanel.duration(row),
                    row.workPoolName ?? "",
                ],
                OverviewPanel.stateStyle(row.stateType, row.stateName)
            )
        }
    }
}
