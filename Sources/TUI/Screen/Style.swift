/// A terminal colour: the terminal's default, or one of the eight basic colours every colour terminal has.
package enum Color: Int, Sendable, Hashable, CaseIterable {
    case `default` = -1
    case black = 0, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell is drawn.
package struct Style: Sendable, Hashable {
    package var foreground: Color = .default
    package var background: Color = .default
    package var bold = false
    package var dim = false
    package var reverse = false
    package var underline = false

    package init(
        foreground: Color = .default, background: Color = .default, bold: Bool = false, dim: Bool = false, reverse: Bool = false,
        underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    package static let plain = Style()
    package static let bold = Style(bold: true)
    package static let dim = Style(dim: true)
    package static let selected = Style(reverse: true)
    package static let error = Style(foreground: .red, bold: true)
    package static let warning = Style(foreground: .yellow)
    package static let ok = Style(foreground: .green)
    package static let accent = Style(foreground: .cyan)
    package static let match = Style(foreground: .black, background: .yellow)
}

/// The colours for the terminal's background: `dark` (the default) draws the styles as they are; `light` trades the
/// colours that fade on a white background (yellow, cyan, white) for darker ones.
package enum Theme: String, Sendable, CaseIterable {
    case dark, light

    /// The colour a style's `color` is drawn in.
    package func draw(_ color: Color) -> Color {
        switch (self, color) {
        case (.light, .yellow): .magenta
        case (.light, .cyan): .blue
        case (.light, .white): .black
        default: color
        }
    }
}
