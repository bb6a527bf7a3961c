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
}
