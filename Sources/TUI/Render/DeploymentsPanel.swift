import Core

/// The Deployments view: every deployment with its status, schedules and pool.
enum DeploymentsPanel {
    static func draw(_ state: DashboardState, rows: Range<Int>, into screen: inout Screen) {
        guard let all = state.deployments else {
            screen.put("Loading deployments…", x: 1, y: rows.lowerBound + 1, style: .dim)
            return
        }
        let shown = state.shownDeployments
        let filter = state.listFilters[.deployments].map { " · filter: \($0) (\(shown.count) of \(all.count))" } ?? " · / to filter"
        let visible = max(0, rows.count - 2)
        let selected = state.selection[.deployments] ?? 0
        let first = Table.firstRow(selected: selected, visible: visible)
        _ = Table.draw(
            title: "Deployments (\(all.count))\(filter)", header: ["DEPLOYMENT", "STATUS", "SCHEDULES", "POOL / QUEUE", "TAGS"],
            widths: [36, 10, 28, 28, 0],
            rows: shown.dropFirst(first).prefix(visible).map { row in
                let active = row.schedules.filter(\.active)
                let schedules = active.isEmpty ? (row.schedules.isEmpty ? "none" : "all inactive") : active.map(\.schedule).joined(separator: "; ")
                let status = row.paused ? "PAUSED" : row.status ?? "?"
                return ([row.slug, status, schedules, "\(row.workPoolName ?? "-") / \(row.workQueueName ?? "default")", row.tags.joined(separator: ",")],
                        row.paused || row.status == "NOT_READY" ? Style.warning : .plain)
            }, y: rows.lowerBound, selected: shown.isEmpty ? nil : selected - first, into: &screen)
    }
}
