import Core
import FoundationEssentials

/// A detail view: its lines from ``DetailText``, scrolled to the view's selection.
enum DetailPanel {
    static func draw(_ state: DashboardState, now: Date, rows: Range<Int>, into screen: inout Screen) {
        let lines: [DetailLine]
        switch state.view {
        case .runDetail:
            guard let detail = state.runDetail else {
                screen.put("Loading \(state.detailRun?.name ?? "the run")…", x: 1, y: rows.lowerBound + 1, style: .dim)
                return
            }
            lines = DetailText.run(detail, now: now)
        case .deploymentDetail:
            guard let row = state.detailDeployment else { return gone("deployment", rows, &screen) }
            lines = DetailText.deployment(row)
        default:
            guard let pool = state.detailWorkPool else { return gone("work pool", rows, &screen) }
            lines = DetailText.workPool(pool)
        }
        let first = min(state.selection[state.view] ?? 0, max(0, lines.count - rows.count))
        for (offset, line) in lines.dropFirst(first).prefix(rows.count).enumerated() {
            screen.put(line.text, x: 1, y: rows.lowerBound + offset, style: line.style, maxWidth: screen.width - 2)
        }
        if first + rows.count < lines.count {
            let more = "↓ \(lines.count - first - rows.count) more"
            screen.put(more, x: screen.width - more.count - 1, y: rows.upperBound - 1, style: .dim)
        }
    }

    private static func gone(_ kind: String, _ rows: Range<Int>, _ screen: inout Screen) {
        screen.put("This \(kind) is no longer on the server (Esc to go back).", x: 1, y: rows.lowerBound + 1, style: .warning)
    }
}
