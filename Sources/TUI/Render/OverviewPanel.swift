import Core
import FoundationEssentials

/// The home view: run counts by state and their history in a chart, work pools, late runs with their causes, recent runs.
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
        // The lines are shared out so that every table keeps rows at the smallest size: the history a sixth (three
        // rows at least, and its axis), the pools a fifth of what is left, the late runs half of the rest, the recent
        // runs the remainder.
        y = HistoryChart.draw(
            counts, history: data.status.history, window: state.window.label, colors: state.colors, y: y, height: max(3, rows.count / 6),
            into: &screen)
        y += 1
        let pools = data.status.workPools
        y = Table.draw(
            title: "Work pools (\(pools.count))",
            columns: [
                Column("POOL", 18), Column("STATUS", 10, fixed: true), Column("WORKERS", 9, fixed: true), .age("HEARTBEAT"),
                Column("LATE", 6, fixed: true), Column("ACTIVE/LIMIT", 13, fixed: true),
            ],
            count: pools.count, height: max(2, (rows.upperBound - y - 8) / 5), y: y, selected: nil, into: &screen
        ) { index in
            let pool = pools[index]
            let heartbeat = pool.lastHeartbeat.map { $0.age(at: now) } ?? "never"
            return (
                [
                    pool.name, pool.displayStatus, "\(pool.onlineWorkers)/\(pool.workers)", heartbeat,
                    String(pool.lateRuns), "\(pool.activeRuns)/\(pool.concurrencyLimit.map(String.init) ?? "∞")",
                ],
                pool.isPaused || pool.onlineWorkers == 0 ? Style.warning : .plain
            )
        }

        // One selection moves through the late runs, then the recent ones (DashboardState.overviewRuns).
        let selected = state.view == .overview ? (state.selection[.overview] ?? 0) : nil
        let late = data.lateRuns.runs
        y = Table.draw(
            title: "Late and stuck runs (\(data.lateRuns.lateCount) late)",
            columns: [Column("RUN", 22), Column("DEPLOYMENT", 22), .age("EXPECTED"), Column("LATE BY", 9, fixed: true), Column("CAUSE", 0)],
            count: late.count, height: max(2, (rows.upperBound - y - 5) / 2), y: y, selected: selected.flatMap { $0 < late.count ? $0 : nil },
            clickable: 0, into: &screen
        ) { index in
            let run = late[index].run
            let lateBy = run.lateBySeconds.map { Duration.seconds($0).compactDescription } ?? (run.stateName ?? "")
            return (
                [run.name, slug(run), run.expectedStartTime.map { $0.age(at: now) } ?? "", lateBy, late[index].causes.first?.message ?? ""], .warning
            )
        }

        let recent = data.recentRuns
        _ = Table.draw(
            title: "Recent runs",
            columns: [Column("RUN", 22), Column("DEPLOYMENT", 22), Column("STATE", 12), .age("STARTED"), Column("DURATION", 0)],
            count: recent.count, height: max(0, rows.upperBound - y - 2), y: y,
            selected: selected.flatMap { $0 >= late.count ? $0 - late.count : nil }, clickable: late.count, into: &screen
        ) { index in
            let row = recent[index]
            return ([row.name, slug(row), row.stateName ?? "", started(row, now: now), duration(row)], stateStyle(row.stateType, row.stateName))
        }
    }

    /// When the run started, as an age; `not yet` for one that has not (its expected start is not a start).
    static func started(_ row: FlowRunRow, now: Date) -> String {
        row.startTime.map { $0.age(at: now) } ?? "not yet"
    }

    static func duration(_ row: FlowRunRow) -> String {
        row.durationSeconds.map { Duration.seconds($0).compactDescription } ?? ""
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
