import Core

/// The Deployments view: every deployment with its status, schedules and pool.
enum DeploymentsPanel {
    static func draw(_ state: DashboardState, rows: Range<Int>, into screen: inout Screen) {
        Table.drawList(
            state, view: .deployments, noun: "Deployments", all: state.deployments, more: state.moreDeployments, shown: state.shownDeployments,
            columns: [
                Column("DEPLOYMENT", 36), Column("STATUS", 10, fixed: true), Column("SCHEDULES", 28), Column("POOL / QUEUE", 28), Column("TAGS", 0),
            ],
            rows: rows, into: &screen
        ) { row in
            let active = row.schedules.filter(\.active)
            let schedules = active.isEmpty ? (row.schedules.isEmpty ? "none" : "all inactive") : active.map(\.schedule).joined(separator: "; ")
            let status = row.paused ? "PAUSED" : row.status ?? "?"
            return (
                [row.slug, status, schedules, "\(row.workPoolName ?? "-") / \(row.workQueueName ?? "default")", row.tags.joined(separator: ",")],
                row.paused || row.status == "NOT_READY" ? Style.warning : .plain
            )
        }
    }
}
