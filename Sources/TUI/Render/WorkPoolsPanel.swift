import Core
import FoundationEssentials

/// The Work pools view: each pool's health, with workers and queues counted.
enum WorkPoolsPanel {
    static func draw(_ state: DashboardState, rows: Range<Int>, now: Date, into screen: inout Screen) {
        Table.drawList(
            state, view: .workPools, noun: "Work pools", all: state.workPools, shown: state.shownWorkPools,
            columns: [
                Column("POOL", 22), Column("TYPE", 10), Column("STATUS", 11, fixed: true), Column("WORKERS", 8, fixed: true), .age("HEARTBEAT"),
                Column("QUEUES", 7, fixed: true), Column("LATE", 5, fixed: true), Column("ACTIVE/LIMIT", 0),
            ],
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
