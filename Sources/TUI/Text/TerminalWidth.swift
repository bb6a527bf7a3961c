import CNcursesShim

/// How many terminal columns text takes: 1 for `a`, 2 for `世` or `🚀`, 0 for a combining mark.
///
/// Uses the C library's `wcwidth` (through the shim), so it needs a UTF-8 locale (`setlocale(LC_CTYPE, "")` with
/// `LANG=C.UTF-8`); ``ensureUTF8Locale()`` sets one up. A grapheme is as wide as its widest scalar, so flags and
/// emoji with modifiers count once.
package enum TerminalWidth {
    /// Columns of one grapheme cluster: 0, 1 or 2. Unprintable scalars count as 1 (they are shown as `?`).
    /// A flag (two regional indicators, each 1 column to glibc) takes 2, as terminals draw it.
    package static func columns(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        if scalars.count == 2, scalars.allSatisfy({ (0x1F1E6...0x1F1FF).contains($0.value) }) { return 2 }
        var widest = 0
        for scalar in scalars {
            let width = Int(shim_wcwidth(scalar.value))
            widest = max(widest, width < 0 ? 1 : width)
        }
        return widest
    }

    /// Columns of a whole string.
    package static func columns(of text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// The longest prefix of `text` that fits in `width` columns.
    package static func prefix(of text: String, fitting width: Int) -> Substring {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let next = used + columns(of: text[index])
            if next > width { break }
            used = next
            end = text.index(after: index)
        }
        return text[..<end]
    }

    /// Makes `wcwidth` answer for UTF-8: uses the environment's locale when it is UTF-8, else `C.UTF-8`.
    /// Returns false when no UTF-8 locale exists.
    @discardableResult
    package static func ensureUTF8Locale() -> Bool {
        shim_set_utf8_ctype() != 0
    }
}
