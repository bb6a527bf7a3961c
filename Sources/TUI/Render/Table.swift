/// A titled table with a dim header row and an optional selected row.
enum Table {
    /// A titled table; a zero width means the rest of the row. Returns the row after it.
    static func draw(
        title: String, header: [String], widths: [Int], rows: [([String], Style)], y start: Int, selected: Int?, into screen: inout Screen
    ) -> Int {
        var y = start
        screen.put(title, x: 1, y: y, style: .bold)
        y += 1
        func put(_ cells: [String], style: Style, at y: Int) {
            var x = 1
            for (index, cell) in cells.enumerated() {
                let width = widths[index] == 0 ? screen.width - x - 1 : widths[index]
                screen.put(cell, x: x, y: y, style: style, maxWidth: width - 1)
                x += width
            }
        }
        put(header, style: .dim, at: y)
        y += 1
        for (index, row) in rows.enumerated() {
            if index == selected {
                screen.fill(y: y, style: .selected)
                put(row.0, style: .selected, at: y)
            } else {
                put(row.0, style: row.1, at: y)
            }
            y += 1
        }
        if rows.isEmpty {
            screen.put("none", x: 1, y: y, style: .dim)
            y += 1
        }
        return y + 1
    }

    /// The first row to show so that `selected` stays visible in `visible` rows.
    static func firstRow(selected: Int?, visible: Int) -> Int {
        max(0, (selected ?? 0) - visible + 1)
    }

    /// A list view: "Loading…" until its rows come, then a table of the rows its `/` filter keeps, scrolled to the
    /// selection, titled with the counts ("500 of more than 500" when `more` says the server holds more than `all`).
    static func drawList<Row>(
        _ state: DashboardState, view: View, noun: String, all: [Row]?, more: Bool = false, shown: [Row], header: [String], widths: [Int],
        rows: Range<Int>, into screen: inout Screen, row: (Row) -> ([String], Style)
    ) {
        guard let all else {
            screen.put("Loading \(noun.lowercased())…", x: 1, y: rows.lowerBound + 1, style: .dim)
            return
        }
        let filter = state.listFilters[view].map { " · filter: \($0) (\(shown.count) of \(all.count))" } ?? " · / to filter"
        let visible = max(0, rows.count - 2)
        let selected = state.selection[view] ?? 0
        let first = firstRow(selected: selected, visible: visible)
        let count = more ? "\(all.count) of more than \(all.count)" : "\(all.count)"
        _ = draw(
            title: "\(noun) (\(count))\(filter)", header: header, widths: widths, rows: shown.dropFirst(first).prefix(visible).map(row),
            y: rows.lowerBound, selected: shown.isEmpty ? nil : selected - first, into: &screen)
    }
}
