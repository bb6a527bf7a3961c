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
        let visible = max(0, rows.upperBound - y - 2)
        let selected = state.selection[.runs] ?? 0
        let first = Table.firstRow(selected: selected, visible: visible)
        _ = Table.draw(
            title: "Runs · \(limit) · newest first · \(filter)\(searching)",
            header: ["RUN", "FLOW/DEPLOYMENT", "STATE", "STARTED", "DURATION", "POOL"], widths: [22, 26, 12, 11, 9, 0],
            rows: loaded.rows.dropFirst(first).prefix(visible).map { row in
                let started = (row.startTime ?? row.expectedStartTime).map { $0.age(at: now) } ?? ""
                let duration = row.durationSeconds.map { Duration.seconds($0).compactDescription } ?? ""
                return (
                    [row.name, OverviewPanel.slug(row), row.stateName ?? "", started, duration, row.workPoolName ?? ""],
                    OverviewPanel.stateStyle(row.stateType, row.stateName)
                )
            }, y: y, selected: loaded.rows.isEmpty ? nil : selected - first, into: &screen)
    }
}
