import Core
import FoundationEssentials

/// A detail view: its rows from ``DashboardState/detailLines(of:now:)``, scrolled to the view's selection.
enum DetailPanel {
    static func draw(_ state: DashboardState, now: Date, rows: Range<Int>, into screen: inout Screen) {
        switch state.view {
        case .runDetail where state.runDetail == nil:
            screen.put("Loading \(state.detailRun?.name ?? "the run")…", x: 1, y: rows.lowerBound + 1, style: .dim, maxWidth: screen.width - 2)
            return
        case .deploymentDetail where state.detailDeployment == nil: return gone("deployment", rows, &screen)
        case .workPoolDetail where state.detailWorkPool == nil: return gone("work pool", rows, &screen)
        default: break
        }
        let lines = state.detailLines(of: state.view, now: now)
        let first = min(state.selection[state.view] ?? 0, max(0, lines.count - rows.count))
        // Before the last page, the last row says how many lines follow instead of hiding part of one.
        let shown = first + rows.count < lines.count ? rows.count - 1 : rows.count
        for (offset, line) in lines.dropFirst(first).prefix(shown).enumerated() {
            screen.put(line.text, x: 1, y: rows.lowerBound + offset, style: line.style, maxWidth: screen.width - 2)
        }
        if shown < rows.count {
            screen.put("↓ \(lines.count - first - shown) more lines (j/↓ scrolls)", x: 1, y: rows.upperBound - 1, style: .dim)
        }
    }

    private static func gone(_ kind: String, _ rows: Range<Int>, _ screen: inout Screen) {
        screen.put("This \(kind) is no longer on the server (Esc to go back).", x: 1, y: rows.lowerBound + 1, style: .warning)
    }
}
