/// A column of a ``Table``: its title and width in columns (a zero width takes the rest of the row). A `fixed`
/// column keeps its width on a narrow screen, so a time never loses its unit (`25m 52s ago`); the others give up
/// columns first, and their text then ends with `…`.
struct Column {
    var title: String
    var width: Int
    var fixed = false

    init(_ title: String, _ width: Int, fixed: Bool = false) {
        self.title = title
        self.width = width
        self.fixed = fixed
    }

    /// Wide enough for any age (`100d 23h ago`) and its gap.
    static func age(_ title: String) -> Column { Column(title, 13, fixed: true) }
}

/// A titled table with a dim header row and an optional selected row.
enum Table {
    /// The narrowest a column gets by shrinking, and the least the rest-of-the-row column is given (more for a
    /// longer title).
    static let minimumWidth = 8

    /// The width of each column in `available` columns: the widest shrinkable column gives up a column at a time
    /// until the row fits; the rest-of-the-row column gets what is left.
    static func widths(_ columns: [Column], available: Int) -> [Int] {
        var widths = columns.map(\.width)
        // A column never gets narrower than its title.
        let least = columns.map { max(minimumWidth, TerminalWidth.columns(of: $0.title) + 1) }
        let rest = columns.indices.first { columns[$0].width == 0 }.map { least[$0] } ?? 0
        var excess = widths.reduce(0, +) + rest - available
        while excess > 0 {
            let shrinkable = columns.indices.filter { !columns[$0].fixed && widths[$0] > least[$0] }
            guard let widest = shrinkable.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
            excess -= 1
        }
        let used = widths.reduce(0, +)
        return zip(columns, widths).map { column, width in column.width == 0 ? max(0, available - used) : width }
    }

    /// A titled table drawn from row `y` with at most `height` lines under its header. When the rows do not fit, the
    /// last line says how many are hidden (`… 12 more rows`) and the shown ones scroll to keep `selected` (an index
    /// into all `count` rows) in view; give it two lines at least so the selection can be seen. `row(i)` is asked
    /// only for the rows shown. With `clickable`, the rows are recorded for clicks (``Screen/listRows``) as that
    /// index into the view's list plus their own. Returns the row after the table and a blank line.
    static func draw(
        title: String, columns: [Column], count: Int, height: Int, y start: Int, selected: Int?, clickable: Int? = nil,
        into screen: inout Screen, row: (Int) -> ([String], Style)
    ) -> Int {
        var y = start
        screen.put(title, x: 1, y: y, style: .bold, maxWidth: screen.width - 2)
        y += 1
        let widths = widths(columns, available: screen.width - 2)
        func put(_ cells: [String], style: Style, at y: Int) {
            var x = 1
            for (index, cell) in cells.enumerated() where index < widths.count {
                screen.put(cell, x: x, y: y, style: style, maxWidth: widths[index] - 1)
                x += widths[index]
            }
        }
        put(columns.map(\.title), style: .dim, at: y)
        y += 1
        guard count > 0 else {
            screen.put("none", x: 1, y: y, style: .dim)
            return y + 2
        }
        guard height > 0 else { return y + 1 }
        let visible = count <= height ? count : height - 1
        let first = visible == 0 ? 0 : min(firstRow(selected: selected, visible: visible), count - visible)
        for index in first..<(first + visible) {
            let (cells, style) = row(index)
            if let clickable { screen.listRows[y] = clickable + index }
            if index == selected {
                screen.fill(y: y, style: .selected)
                put(cells, style: .selected, at: y)
            } else {
                put(cells, style: style, at: y)
            }
            y += 1
        }
        if let hidden = hiddenRows(above: first, below: count - first - visible) {
            screen.put(hidden, x: 1, y: y, style: .dim, maxWidth: screen.width - 2)
            y += 1
        }
        return y + 1
    }

    /// `… 12 more rows`, `… 3 more rows (9 above)`, `… 12 rows above`; nil when every row is shown.
    static func hiddenRows(above: Int, below: Int) -> String? {
        let noun = { (count: Int) in count == 1 ? "row" : "rows" }
        switch (above, below) {
        case (0, 0): return nil
        case (0, _): return "… \(below) more \(noun(below))"
        case (_, 0): return "… \(above) \(noun(above)) above"
        default: return "… \(below) more \(noun(below)) (\(above) above)"
        }
    }

    /// The first row to show so that `selected` stays visible in `visible` rows.
    static func firstRow(selected: Int?, visible: Int) -> Int {
        max(0, (selected ?? 0) - visible + 1)
    }

    /// A list view: "Loading…" until its rows come, then a table of the rows its `/` filter keeps, scrolled to the
    /// selection, titled with the counts ("500 of more than 500" when `more` says the server holds more than `all`).
    static func drawList<Row>(
        _ state: DashboardState, view: View, noun: String, all: [Row]?, more: Bool = false, shown: [Row], columns: [Column],
        rows: Range<Int>, into screen: inout Screen, row: (Row) -> ([String], Style)
    ) {
        guard let all else {
            screen.put("Loading \(noun.lowercased())…", x: 1, y: rows.lowerBound + 1, style: .dim)
            return
        }
        let filter = state.listFilters[view].map { " · filter: \($0) (\(shown.count) of \(all.count))" } ?? " · / to filter"
        let count = more ? "\(all.count) of more than \(all.count)" : "\(all.count)"
        _ = draw(
            title: "\(noun) (\(count))\(filter)", columns: columns, count: shown.count, height: max(0, rows.count - 2), y: rows.lowerBound,
            selected: state.selection[view] ?? 0, clickable: 0, into: &screen
        ) { row(shown[$0]) }
    }
}
