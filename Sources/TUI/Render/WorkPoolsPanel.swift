import Core
import FoundationEssentials

/// The Work pools view: each pool's health, with workers and queues counted.
enum WorkPoolsPanel {
    static func draw(_ state: DashboardState, rows: Range<Int>, now: Date, into screen: inout Screen) {
        Table.drawList(
            state, view: .workPools, noun: "Work pools", all: state.workPools, shown: state.shownWorkPools,
            header: ["POOL", "TYPE", "STATUS", "WORKERS", "HEARTBEAT", "QUEUES", "LATE", "ACTIVE/LIMIT"], widths: [22, 12, 11, 9, 11, 8, 6, 0],
            rows: rows, into: &screen
        ) { pool in
            let health = pool.health
            let heartbeat = health.lastHeartbeat.map { $0.age(at: now) } ?? "never"
            return (
                [
                    health.name, health.type ?? "?", health.displayStatus, "\(health.onlineWorkers)/\(health.workers)",
                    heartbeat, String(pool.queues.count), String(health.lateRuns),
                    "\(health.activeRuns)/\(health.concurrencyLimit.map(String.init) ?? "∞")",
                ],
                health.isPaused || health.onlineWorkers == 0 ? Style.warning : .plain
            )
        }
    }
}
