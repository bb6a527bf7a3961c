import Core
package import FoundationEssentials

/// Draws the dashboard: a pure function of the state, the size in it and the time, so every screen can be a golden
/// test.
package enum Renderer {
    package static let minimumSize = (width: 60, height: 16)

    package static func render(_ state: DashboardState, now: Date) -> Screen {
        var screen = Screen(width: state.size.width, height: state.size.height)
        guard state.size.width >= minimumSize.width, state.size.height >= minimumSize.height else {
            let message = "Terminal too small: need \(minimumSize.width)×\(minimumSize.height), have \(state.size.width)×\(state.size.height)"
            screen.put(message, x: 0, y: state.size.height / 2, style: .warning)
            return screen
        }
        header(state, now: now, into: &screen)
        tabs(state, into: &screen)
        let body = 2..<(screen.height - 1)
        switch state.view {
        case .overview: OverviewPanel.draw(state, rows: body, now: now, into: &screen)
        case .runs: RunsPanel.draw(state, rows: body, now: now, into: &screen)
        case .deployments: DeploymentsPanel.draw(state, rows: body, into: &screen)
        case .workPools: WorkPoolsPanel.draw(state, rows: body, now: now, into: &screen)
        case .runDetail, .deploymentDetail, .workPoolDetail: DetailPanel.draw(state, now: now, rows: body, into: &screen)
        case .logs: LogsPanel.draw(state, rows: body, into: &screen)
        case .events: EventsPanel.draw(state, rows: body, now: now, into: &screen)
        case .help: help(state, rows: body, into: &screen)
        }
        if let form = state.form {
            for y in body { screen.fill(y: y, style: .plain) }
            WritePanels.form(form, rows: body, into: &screen)
        }
        if let choice = state.choice { WritePanels.choice(choice, rows: body, into: &screen) }
        if let picker = state.picker {
            WritePanels.pickList(
                title: "Switch profile (j/k, Enter; Esc closes)", labels: picker.entries.map { picker.label($0, current: state.profileInUse) },
                selected: picker.selected, rows: body, into: &screen)
        }
        statusBar(state, into: &screen)
        return screen
    }

    private static func header(_ state: DashboardState, now: Date, into screen: inout Screen) {
        screen.fill(y: 0, style: .selected)
        let server = state.overview?.status.server
        var left = " prefect-mcp │ \(server?.apiURL ?? state.serverURL)"
        if let version = server?.version { left += " │ Prefect \(version)" }
        if let profile = state.profileInUse { left += " │ profile \(profile)" }
        if server?.kind == "cloud", let workspace = server?.workspaceID { left += " │ workspace \(workspace.prefix(8))" }
        let (right, style) = connectionText(state, now: now)
        let rightWidth = TerminalWidth.columns(of: right)
        let leftWidth = screen.put(left, x: 0, y: 0, style: .selected, maxWidth: max(0, screen.width - rightWidth - 2))
        let x = max(leftWidth + 1, screen.width - rightWidth - 1)
        screen.put(right, x: x, y: 0, style: style, maxWidth: screen.width - x)
    }

    static func connectionText(_ state: DashboardState, now: Date) -> (String, Style) {
        let inverted = { (color: Color) in Style(foreground: color, reverse: true) }
        switch state.connection {
        case .connecting:
            return ("○ connecting…", .selected)
        case .connected:
            let age = state.lastRefresh.map { Duration.seconds(max(0, now.timeIntervalSince($0))).compactDescription } ?? "-"
            if let started = state.refreshStarted, now.timeIntervalSince(started) > DashboardState.overdueAfter {
                // A frozen server answers nothing, and an ever older "live" would claim otherwise.
                return ("◌ waiting for Prefect… · data \(age) old", inverted(.yellow))
            }
            // Pushed events keep the data current; read ones (or a timer, before the feed reports) are as old as the read.
            if state.feedMode == .live { return ("● live", inverted(.green)) }
            return ("● polling · \(age) ago", inverted(.green))
        case .disconnected(_, let attempt, let retryAt):  // the reason is shown under the header, where it has room
            let wait = Duration.seconds(max(0, retryAt.timeIntervalSince(now)).rounded(.up)).compactDescription
            return ("● disconnected — retrying in \(wait) (#\(attempt))", inverted(.red))
        case .unauthorized:
            return ("● unauthorized", inverted(.red))
        }
    }

    /// ` 1 Overview `: the label of each tab, in order along row 1.
    static func tabLabel(_ index: Int) -> String { " \(index + 1) \(View.numbered[index].rawValue) " }

    /// The tab drawn at column `x` of row 1.
    static func tab(at x: Int) -> View? {
        var start = 0
        for index in View.numbered.indices {
            let end = start + tabLabel(index).count
            if (start..<end).contains(x) { return View.numbered[index] }
            start = end
        }
        return nil
    }

    private static func tabs(_ state: DashboardState, into screen: inout Screen) {
        var x = 0
        for (index, view) in View.numbered.enumerated() {
            x += screen.put(tabLabel(index), x: x, y: 1, style: view == state.view.tab ? .selected : .dim)
        }
        switch state.connection {
        case .disconnected(let reason, _, _):
            screen.put("  \(state.overview == nil ? "" : "stale data · ")\(reason)", x: x, y: 1, style: .warning, maxWidth: screen.width - x)
        case .unauthorized(let message, _):
            screen.put("  \(message)", x: x, y: 1, style: .error, maxWidth: screen.width - x)
        default:
            break
        }
    }

    private static func statusBar(_ state: DashboardState, into screen: inout Screen) {
        let y = screen.height - 1
        if let prompt = state.prompt {
            let label = prompt.purpose == .filter ? "filter /" : "search "
            screen.put("\(label)\(prompt.text)█  (Enter apply · Esc cancel)", x: 0, y: y, style: .accent)
            return
        }
        if WritePanels.statusBar(state, y: y, into: &screen) { return }
        screen.put(state.keyMap.hints(in: state.view, writes: state.writes), x: 0, y: y, style: .dim)
    }

    private static func help(_ state: DashboardState, rows: Range<Int>, into screen: inout Screen) {
        let view = state.backStack.last ?? .overview
        screen.put("Keys in \(view.rawValue) (Esc to go back)", x: 1, y: rows.lowerBound, style: .bold)
        let y = rows.lowerBound + 2
        let bindings = state.keyMap.bindings(in: view, writes: state.writes)
        let columns = screen.width >= 110 ? 2 : 1
        let perColumn = (bindings.count + columns - 1) / columns
        let columnWidth = screen.width / columns
        for (index, binding) in bindings.enumerated() {
            let column = index / perColumn
            let row = y + index % perColumn
            guard row < rows.upperBound else { continue }
            let keys = binding.keys.map(\.label).joined(separator: " ")
            let x = 1 + column * columnWidth
            screen.put(keys, x: x, y: row, style: .accent, maxWidth: 14)
            screen.put(binding.help, x: x + 15, y: row, maxWidth: columnWidth - 16)
        }
    }
}
