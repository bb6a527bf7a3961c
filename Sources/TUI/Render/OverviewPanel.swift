import Core
import FoundationEssentials

/// The home view: run counts with a bar per state, work pools, late runs with their causes, recent runs.
enum OverviewPanel {
    static func draw(_ state: DashboardState, rows: Range<Int>, now: Date, into screen: inout Screen) {
        guard let data = state.overview else {
            let text: String =
                switch state.connection {
                case .disconnected(let reason, _, _): "Cannot reach \(state.serverURL): \(reason). Retrying; the dashboard stays up."
                case .unauthorized(let message, _):
                    "Prefect refused the credentials: \(message). Check PREFECT_API_KEY or PREFECT_API_AUTH_STRING (or the profile), then restart."
                default: "Connecting to \(state.serverURL) …"
                }
            screen.put(text, x: 1, y: rows.lowerBound + 1, style: state.connection == .connecting ? .dim : .error, maxWidth: screen.width - 2)
            return
        }
        var y = rows.lowerBound
        let counts = data.status.flowRuns
        let summary =
            "Flow runs · last \(state.window.label): \(counts.total) · late \(counts.late) · running \(counts.running) · pending "
            + "\(counts.pending) · upcoming \(counts.upcoming)"
        screen.put(summary, x: 1, y: y, style: .bold, maxWidth: screen.width - 2)
        y += 1
        let largest = max(1, counts.byState.map(\.count).max() ?? 1)
        let barWidth = max(4, min(40, screen.width - 30))
        for count in counts.byState.prefix(max(1, rows.count / 4)) {
            screen.put(count.name, x: 3, y: y, style: stateStyle(count.type.rawValue, count.name), maxWidth: 14)
            screen.put(String(count.count), x: 18 + 5 - String(count.count).count, y: y)
            let length = max(1, count.count * barWidth / largest)
            screen.put(String(repeating: "█", count: length), x: 25, y: y, style: stateStyle(count.type.rawValue, count.name))
            y += 1
        }

        y += 1
        let pools = data.status.workPools
        let poolRows = min(pools.count, max(1, (rows.upperBound - y) / 3 - 1))
        y = Table.draw(
            title: "Work pools (\(pools.count))", header: ["POOL", "STATUS", "WORKERS", "HEARTBEAT", "LATE", "ACTIVE/LIMIT"],
            widths: [18, 10, 9, 11, 6, 13],
            rows: pools.prefix(poolRows).map { pool in
                let heartbeat = pool.lastHeartbeat.map { $0.age(at: now) } ?? "never"
                return (
                    [
                        pool.name, pool.displayStatus, "\(pool.onlineWorkers)/\(pool.workers)", heartbeat,
                        String(pool.lateRuns), "\(pool.activeRuns)/\(pool.concurrencyLimit.map(String.init) ?? "∞")",
                    ],
                    pool.isPaused || pool.onlineWorkers == 0 ? Style.warning : .plain
                )
            }, y: y, selected: nil, into: &screen)

        let late = data.lateRuns.runs
        let lateRows = min(late.count, max(1, (rows.upperBound - y) / 2 - 1))
        y = Table.draw(
            title: "Late and stuck runs (\(data.lateRuns.lateCount) late)", header: ["RUN", "DEPLOYMENT", "LATE BY", "CAUSE"],
            widths: [22, 22, 9, 0],
            rows: late.prefix(lateRows).map { entry in
                let lateBy = entry.run.lateBySeconds.map { Duration.seconds($0).compactDescription } ?? (entry.run.stateName ?? "")
                return ([entry.run.name, slug(entry.run), lateBy, entry.causes.first?.message ?? ""], Style.warning)
            }, y: y, selected: nil, into: &screen)

        let recent = data.recentRuns
        let recentRows = max(0, rows.upperBound - y - 2)
        let selected = state.view == .overview ? (state.selection[.overview] ?? 0) : nil
        let first = Table.firstRow(selected: selected, visible: recentRows)
        _ = Table.draw(
            title: "Recent runs", header: ["RUN", "DEPLOYMENT", "STATE", "STARTED", "DURATION"], widths: [22, 22, 12, 12, 0],
            rows: recent.dropFirst(first).prefix(recentRows).map { row in
                let started = (row.startTime ?? row.expectedStartTime).map { $0.age(at: now) } ?? ""
                let duration = row.durationSeconds.map { Duration.seconds($0).compactDescription } ?? ""
                return ([row.name, slug(row), row.stateName ?? "", started, duration], stateStyle(row.stateType, row.stateName))
            }, y: y, selected: selected.map { $0 - first }, into: &screen)
    }

    /// The deployment's slug, or the flow's name for a run without a deployment.
    static func slug(_ row: FlowRunRow) -> String {
        row.deploymentSlug ?? row.flowName ?? ""
    }

    static func stateStyle(_ type: String?, _ name: String?) -> Style {
        if name == "Late" { return .warning }
        switch type {
        case "FAILED", "CRASHED": return .error
        case "COMPLETED": return .ok
        case "RUNNING", "PENDING": return .accent
        case "CANCELLED", "CANCELLING", "PAUSED": return .dim
        default: return .plain
        }
    }
}
