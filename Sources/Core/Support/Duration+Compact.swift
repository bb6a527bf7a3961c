package import FoundationEssentials

extension Duration {
    /// `45s`, `12m`, `3h 5m`, `2d 4h`: the two largest units, for ages and lateness.
    package var compactDescription: String {
        let total = Int(components.seconds)
        if total < 0 { return "-" + Duration.seconds(-total).compactDescription }
        let days = total / 86_400
        let hours = total % 86_400 / 3600
        let minutes = total % 3600 / 60
        let seconds = total % 60
        if days > 0 { return hours > 0 ? "\(days)d \(hours)h" : "\(days)d" }
        if hours > 0 { return minutes > 0 ? "\(hours)h \(minutes)m" : "\(hours)h" }
        if minutes > 0 { return seconds > 0 ? "\(minutes)m \(seconds)s" : "\(minutes)m" }
        return "\(seconds)s"
    }
}

extension Duration {
    /// An age as every face says it: `12s ago`, `3h 5m ago`; `in 5m` for a negative one (a time still to come, or a
    /// clock ahead of this machine's).
    package var ago: String {
        let seconds = Int((Double(components.seconds) + Double(components.attoseconds) / 1e18).rounded())
        return seconds < 0 ? "in \(Duration.seconds(-seconds).compactDescription)" : "\(Duration.seconds(seconds).compactDescription) ago"
    }
}

extension Date {
    /// How long ago this was at `now`: `12s ago`, `in 5m` (see ``Duration/ago``).
    package func age(at now: Date) -> String {
        Duration.seconds(now.timeIntervalSince(self)).ago
    }
}
