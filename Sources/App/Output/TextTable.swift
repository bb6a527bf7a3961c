/// A plain-text table with a header row; numbers right-aligned.
struct TextTable {
    enum Alignment { case left, right }

    struct Column {
        var title: String
        var alignment: Alignment = .left
    }

    var columns: [Column]
    var rows: [[String]] = []
    /// Spaces before each line.
    var indent = 2

    /// The table as lines, trailing spaces trimmed.
    func render() -> [String] {
        var widths = columns.map(\.title.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = String(repeating: " ", count: indent)
            for (index, column) in columns.enumerated() {
                let cell = index < cells.count ? cells[index] : ""
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                text += column.alignment == .left ? cell + padding : padding + cell
                if index < columns.count - 1 { text += "  " }
            }
            while text.last == " " { text.removeLast() }
            return text
        }
        return [line(columns.map(\.title))] + rows.map(line)
    }
}
