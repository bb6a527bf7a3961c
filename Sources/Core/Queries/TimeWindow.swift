/// A look-back window such as `15m`, `24h` or `7d`.
package struct TimeWindow: Sendable, Hashable, CustomStringConvertible {
    package var seconds: Int

    package init(seconds: Int) {
        self.seconds = seconds
    }

    /// Parses `<number><unit>` with unit `s`, `m`, `h`, `d` or `w` (e.g. `90s`, `15m`, `24h`, `7d`, `2w`).
    package init?(_ text: String) {
        guard text.utf8.count <= TimeReference.maximumLength else { return nil }
        let text = text.trimmed.lowercased()
        guard let unit = text.last, let number = Int(text.dropLast()), number > 0 else { return nil }
        let scale: Int
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86_400
        case "w": scale = 604_800
        default: return nil
        }
        let (seconds, overflow) = number.multipliedReportingOverflow(by: scale)
        guard !overflow, seconds <= 366 * 86_400 else { return nil }
        self.seconds = seconds
    }

    package static let day = TimeWindow(seconds: 86_400)

    /// The window in its natural unit: `90s`, `15m`, `24h`, `7d`, `2w`.
    package var description: String {
        if seconds % 604_800 == 0, seconds >= 604_800 * 2 { return "\(seconds / 604_800)w" }
        if seconds % 86_400 == 0, seconds > 86_400 { return "\(seconds / 86_400)d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// What a parse error should say.
    package static let expectedFormat = "a number and a unit: s, m, h, d or w (e.g. 15m, 24h, 7d), at most 366 days"
}
