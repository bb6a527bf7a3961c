#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Core

/// The Work pools view: each pool's health, with workers and queues counted.
enum WorkPoolsPanel {
    static func draw(_ state: DashboardState, rows: Range<Int>, now: Date, into screen: inout Screen) {
        guard let all = state.workPools else {
            screen.put("Loading work pools…", x: 1, y: rows.lowerBound + 1, style: .dim)
            return
        }
        let shown = state.shownWorkPools
        let filter = state.listFilters[.workPools].map { " · filter: \($0) (\(shown.count) of \(all.count))" } ?? " · / to filter"
        let visible = max(0, rows.count - 2)
        let selected = state.selection[.workPools] ?? 0
        let first = Table.firstRow(selected: selected, visible: visible)
        _ = Table.draw(
            title: "Work pools (\(all.count))\(filter)", header: ["POOL", "TYPE", "STATUS", "WORKERS", "HEARTBEAT", "QUEUES", "LATE", "ACTIVE/LIMIT"],
            widths: [22, 12, 11, 9, 11, 8, 6, 0],
            rows: shown.dropFirst(first).prefix(visible).map { pool in
                let health = pool.health
                let heartbeat = health.lastHeartbeat.map { Duration.seconds(max(0, now.timeIntervalSince($0))).compactDescription + " ago" } ?? "never"
                return ([health.name, health.type ?? "?", health.isPaused ? "PAUSED" : health.status ?? "?", "\(health.onlineWorkers)/\(health.workers)",
                         heartbeat, String(pool.queues.count), String(health.lateRuns), "\(health.activeRuns)/\(health.concurrencyLimit.map(String.init) ?? "∞")"],
                        health.isPaused || health.onlineWorkers == 0 ? Style.warning : .plain)
            }, y: rows.lowerBound, selected: shown.isEmpty ? nil : selected - first, into: &screen)
    }
}
