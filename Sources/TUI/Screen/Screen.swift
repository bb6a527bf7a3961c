/// One terminal cell: a grapheme and its style. A wide grapheme's right half is an empty string.
package struct Cell: Sendable, Hashable {
    package var text: String
    package var style: Style

    package init(_ text: String = " ", style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// The frame a view renders into: a grid of cells, independent of any terminal (the seam between the pure
/// renderer and the ncurses backend, and what golden tests compare).
package struct Screen: Sendable, Equatable {
    package let width: Int
    package let height: Int
    package private(set) var cells: [Cell]
    /// The list rows a click selects: screen row → index in the shown view's list (its selection).
    package var listRows: [Int: Int] = [:]

    package init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    package subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes `text` from column `x` of row `y`, clipped to `maxWidth` columns and the screen; returns the columns
    /// used. Text that does not fit ends with `…`, so nothing is cut silently; control characters show as `?`.
    @discardableResult
    package mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        guard limit > x else { return 0 }
        var column = x
        var last: (column: Int, columns: Int)?
        for character in text {
            let printable = character.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F } ? character : "?"
            let columns = TerminalWidth.columns(of: printable)
            if columns == 0 { continue }
            if column + columns > limit {
                // The ellipsis takes the next free column, or the place of the last grapheme when none is left.
                if column == limit, let last {
                    column = last.column
                    if last.columns == 2 { set(x: column + 1, y: y, Cell(" ", style: style)) }
                }
                set(x: column, y: y, Cell("…", style: style))
                return column + 1 - x
            }
            set(x: column, y: y, Cell(String(printable), style: style))
            if columns == 2 { set(x: column + 1, y: y, Cell("", style: style)) }
            last = (column, columns)
            column += columns
        }
        return column - x
    }

    private mutating func set(x: Int, y: Int, _ cell: Cell) {
        if x >= 0, x < width { cells[y * width + x] = cell }
    }

    /// Sets the style of `count` cells from column `x` of row `y`, keeping their text.
    package mutating func restyle(x: Int, y: Int, count: Int, _ style: Style) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + count) { cells[y * width + column].style = style }
    }

    /// Sets `count` cells of row `y` from column `x` to `cell`, whose text must take one column (a bar of a chart).
    package mutating func repeatCell(_ cell: Cell, x: Int, y: Int, count: Int) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<max(max(0, x), min(width, x + count)) { cells[y * width + column] = cell }
    }

    /// Fills row `y` from column `x` to the end with blanks of `style`.
    package mutating func fill(y: Int, from x: Int = 0, style: Style) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<width { cells[y * width + column] = Cell(" ", style: style) }
    }

    /// The plain text of each row, trailing blanks removed: what golden tests compare.
    package func lines() -> [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width { line += self[x, y].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// One character per cell naming its style (`legend`), for golden style maps; wide right halves repeat the left.
    package func styleMap(_ legend: (Style) -> Character) -> [String] {
        (0..<height).map { y in String((0..<width).map { x in legend(self[x, y].style) }) }
    }
}
