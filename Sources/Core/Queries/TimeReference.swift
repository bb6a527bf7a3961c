package import FoundationEssentials

/// A point in time as people write it: ISO 8601 (`2026-11-25T12:00:00Z`), `now`, or how long ago (`15m`, `24h`,
/// `7d`; a leading `-` is allowed).
package enum TimeReference {
    /// The date, or nil when the text is neither form.
    package static func parse(_ text: String, now: Date) -> Date? {
        guard text.utf8.count <= maximumLength else { return nil }  // before any parsing: a 14 MiB "time" is no time
        let value = text.trimmed
        if value.lowercased() == "now" { return now }
        if let date = PrefectDate.parse(value) { return date }
        let relative = value.hasPrefix("-") ? String(value.dropFirst()) : value
        if let window = TimeWindow(relative) { return now.addingTimeInterval(-Double(window.seconds)) }
        return nil
    }

    /// The longest text that is looked at: an ISO 8601 date-time with nanoseconds and an offset fits many times over.
    package static let maximumLength = 100

    package static let expectedFormat = "an ISO 8601 date-time (2026-11-25T12:00:00Z), `now`, or a time ago such as 15m, 24h or 7d"
}
