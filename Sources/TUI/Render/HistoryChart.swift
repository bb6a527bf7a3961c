import Core
import FoundationEssentials

/// The overview's run history: a legend of the window's counts by state on the left, and the window in equal
/// columns on the right, each stacked by state in Prefect's colours (completed at the bottom), with a time axis.
/// Without colours (NO_COLOR) each state has a glyph of its own, shown in the legend.
enum HistoryChart {
    /// Where the chart's columns start, right of the legend (`█ Completed     12`).
    static let chartX = 27

    /// Draws rows `y..<y + height` and the axis under them; returns the row after the axis.
    static func draw(
        _ counts: ServerStatus.FlowRunCounts, history: [ServerStatus.HistoryColumn], window: String, colors: Bool, y: Int, height: Int,
        into screen: inout Screen
    ) -> Int {
        let legendRows = counts.byState.count <= height ? counts.byState.count : height - 1
        for (row, count) in counts.byState.prefix(legendRows).enumerated() {
            let (glyph, style) = mark(count.type, count.name, colors: colors)
            screen.put(glyph, x: 3, y: y + row, style: style)
            screen.put(count.name, x: 5, y: y + row, style: OverviewPanel.stateStyle(count.type.rawValue, count.name), maxWidth: 14)
            let number = String(count.count)
            screen.put(number, x: 25 - number.count, y: y + row)
        }
        if legendRows < counts.byState.count {
            screen.put("… \(counts.byState.count - legendRows) more states", x: 3, y: y + legendRows, style: .dim, maxWidth: chartX - 4)
        }
        let width = screen.width - chartX - 1
        guard width >= 4 else { return y + height + 1 }
        let columns = Array(history.suffix(width))
        let tallest = columns.map(\.total).max() ?? 0
        guard tallest > 0 else {
            screen.put("no runs expected to start in the last \(window)", x: chartX, y: y + height / 2, style: .dim, maxWidth: width)
            return y + height + 1
        }
        let step = width / columns.count
        let barWidth = step >= 2 ? step - 1 : step  // a gap between columns where there is room
        for (index, column) in columns.enumerated() {
            let x = chartX + index * step
            var bottom = y + height - 1
            let states = stacked(column.counts)
            for (count, cells) in zip(states, Self.cells(stacked: states, total: column.total, tallest: tallest, height: height)) {
                let (glyph, style) = mark(count.type, count.name, colors: colors)
                let cell = Cell(glyph, style: style)
                for _ in 0..<cells {
                    screen.repeatCell(cell, x: x, y: bottom, count: barWidth)
                    bottom -= 1
                }
            }
        }
        axis(columns, window: window, tallest: tallest, from: chartX, to: chartX + step * columns.count, y: y + height, into: &screen)
        return y + height + 1
    }

    /// `-24h   1 column = 1h · tallest 42 runs   now`.
    private static func axis(
        _ columns: [ServerStatus.HistoryColumn], window: String, tallest: Int, from start: Int, to end: Int, y: Int, into screen: inout Screen
    ) {
        let left = "-\(window)"
        let right = "now"
        let seconds = columns.first.map { $0.end.timeIntervalSince($0.start) } ?? 0
        let middle = "column \(Duration.seconds(seconds.rounded()).compactDescription) · tallest \(tallest) run\(tallest == 1 ? "" : "s")"
        screen.put(left, x: start, y: y, style: .dim)
        screen.put(right, x: end - right.count, y: y, style: .dim)
        let room = end - start - left.count - right.count - 2
        if middle.count <= room { screen.put(middle, x: start + left.count + 1 + (room - middle.count) / 2, y: y, style: .dim) }
    }

    /// The counts in the order they stack, bottom first: finished, then running, then waiting.
    static func stacked(_ counts: [ServerStatus.StateCount]) -> [ServerStatus.StateCount] {
        counts.filter { $0.count > 0 }.sorted { (rank($0.type), $0.name) < (rank($1.type), $1.name) }
    }

    /// The cells of each of ``stacked(_:)``'s states in a column `total * height / tallest` cells high: shares by
    /// largest remainder, but every state with runs gets a cell while there are cells (a failed run among a hundred
    /// completed ones still shows), failed and crashed first.
    static func cells(_ counts: [ServerStatus.StateCount], total: Int, tallest: Int, height: Int) -> [Int] {
        cells(stacked: stacked(counts), total: total, tallest: tallest, height: height)
    }

    static func cells(stacked states: [ServerStatus.StateCount], total: Int, tallest: Int, height: Int) -> [Int] {
        guard total > 0, tallest > 0 else { return states.map { _ in 0 } }
        let high = max(1, Int((Double(total) * Double(height) / Double(tallest)).rounded()))
        var cells = states.map { _ in 0 }
        let urgent = states.indices.sorted { (urgency(states[$0].type), -states[$0].count) < (urgency(states[$1].type), -states[$1].count) }
        for index in urgent.prefix(high) { cells[index] = 1 }
        var left = high - cells.reduce(0, +)
        let shares = states.map { Double($0.count) * Double(high) / Double(total) }
        while left > 0 {
            // The state furthest below its share gets the next cell.
            guard let index = states.indices.max(by: { shares[$0] - Double(cells[$0]) < shares[$1] - Double(cells[$1]) }) else { break }
            cells[index] += 1
            left -= 1
        }
        return cells
    }

    private static let ranks: [StateType: Int] = Dictionary(
        uniqueKeysWithValues: [StateType.completed, .failed, .crashed, .cancelled, .cancelling, .paused, .running, .pending, .scheduled]
            .enumerated().map { ($1, $0) })

    private static func rank(_ type: StateType) -> Int { ranks[type] ?? ranks.count }

    private static func urgency(_ type: StateType) -> Int {
        type == .failed || type == .crashed ? 0 : 1
    }

    /// The glyph and style a state is drawn with: Prefect's colours (crashed is orange there; magenta here, the
    /// nearest of the eight), or without colours a glyph each.
    static func mark(_ type: StateType, _ name: String, colors: Bool) -> (String, Style) {
        if !colors {
            let glyph: String =
                switch type {
                case .completed: "█"
                case .failed: "X"
                case .crashed: "!"
                case .cancelled, .cancelling: "/"
                case .paused: "="
                case .running: "▒"
                case .pending: "░"
                case .scheduled: name == "Late" ? "L" : "·"
                default: "?"
                }
            return (glyph, .plain)
        }
        let color: Color =
            switch type {
            case .completed: .green
            case .failed: .red
            case .crashed: .magenta
            case .running: .blue
            case .pending: .cyan
            case .scheduled: .yellow
            default: .white  // cancelled, cancelling, paused: grey
            }
        return ("█", Style(foreground: color, dim: color == .white))
    }
}
