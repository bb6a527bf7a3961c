import Core

/// The log view: an indicator line, then the lines, with level colours and search matches highlighted.
enum LogsPanel {
    static func draw(_ state: DashboardState, rows: Range<Int>, into screen: inout Screen) {
        let logs = state.logs
        guard let run = state.logRun else {
            screen.put("No run selected: pick one in Overview or Runs and press l or Enter.", x: 1, y: rows.lowerBound + 1, style: .dim)
            return
        }
        let on = { (flag: Bool) in flag ? "●" : "○" }
        let level = logs.minimumLevel == 0 ? "ALL" : LogLevel(number: logs.minimumLevel).name
        // What is loaded and what hides lines first: on a narrow screen the toggles are what the `…` cuts.
        var indicator = "\(run.name) (\(run.stateName ?? "?")) · \(loaded(logs))"
        switch logs.source {
        case .live: indicator += " · streamed"
        case .polling: indicator += " · polled"
        case nil: break
        }
        if let filter = logs.filter { indicator += " · Filter /\(filter)/ (\(logs.shown.count))" }
        if let search = logs.search { indicator += " · Search '\(search)' (\(logs.matches.count))" }
        indicator += " · Level ≥\(level) · Follow \(on(logs.follow)) Wrap \(on(state.wrap)) Time \(on(state.timestamps))"
        screen.put(indicator, x: 1, y: rows.lowerBound, style: .bold, maxWidth: screen.width - 2)
        var y = rows.lowerBound + 1
        let height = rows.upperBound - y
        if logs.shown.isEmpty {
            screen.put(logs.lines.isEmpty ? "No log lines yet; new ones appear within a second." : "No line matches.", x: 1, y: y, style: .dim)
            return
        }
        for line in logs.visible(height: height) {
            guard y < rows.upperBound else { break }
            if line.levelName.isEmpty {  // a continuation row of a multi-line message
                let indent = 1 + (state.timestamps ? 13 : 0) + 9
                highlight(line.message, search: logs.search, x: indent, y: y, style: line.level >= 40 ? .error : .plain, into: &screen)
                y += 1
                continue
            }
            var x = 1
            if state.timestamps { x += screen.put(line.timestampText(timeOfDayOnly: true) + " ", x: x, y: y, style: .dim) }
            x += screen.put(line.levelColumn, x: x, y: y, style: levelStyle(line.level))
            x += screen.put(line.taskTag, x: x, y: y, style: .accent)
            let message = line.message
            if state.wrap {
                var rest = Substring(message)
                repeat {
                    let part = TerminalWidth.prefix(of: String(rest), fitting: max(1, screen.width - x - 1))
                    highlight(String(part), search: logs.search, x: x, y: y, into: &screen)
                    rest = rest.dropFirst(part.count)
                    if !rest.isEmpty { y += 1 }
                } while !rest.isEmpty && y < rows.upperBound
            } else {
                highlight(message, search: logs.search, x: x, y: y, into: &screen)
            }
            y += 1
        }
    }

    /// How much of the log is loaded: `1000 lines + older (↑ loads)`, `all 1500 lines`, `10000 of 12000 lines` (the
    /// oldest dropped past the buffer's capacity). Prefect does not count a run's lines, so "older" is all that can
    /// be said before the first line is loaded.
    static func loaded(_ logs: LogBuffer) -> String {
        let count = logs.lines.count
        if logs.loadingOlder { return "\(count) lines + older (loading…)" }
        if let failure = logs.olderFailure { return "\(count) lines + older (not loaded: \(failure))" }
        if logs.olderRemain { return logs.isFull ? "\(count) lines + older (buffer full)" : "\(count) lines + older (↑ loads)" }
        return logs.dropped > 0 ? "\(count) of \(count + logs.dropped) lines (oldest dropped)" : "all \(count) lines"
    }

    /// Writes `text`, restyling each case-insensitive occurrence of `search`.
    private static func highlight(_ text: String, search: String?, x: Int, y: Int, style: Style = .plain, into screen: inout Screen) {
        screen.put(text, x: x, y: y, style: style, maxWidth: screen.width - x - 1)
        guard let search, !search.isEmpty else { return }
        let lower = Array(text.lowercased())
        let needle = Array(search.lowercased())
        guard lower.count == text.count, needle.count <= lower.count else { return }
        var column = x
        var index = 0
        let characters = Array(text)
        while index < characters.count {
            if index + needle.count <= lower.count, Array(lower[index..<(index + needle.count)]) == needle {
                let width = TerminalWidth.columns(of: String(characters[index..<(index + needle.count)]))
                screen.restyle(x: column, y: y, count: min(width, screen.width - 1 - column), .match)
                column += width
                index += needle.count
            } else {
                column += TerminalWidth.columns(of: characters[index])
                index += 1
            }
        }
    }

    static func levelStyle(_ level: Int) -> Style {
        switch level {
        case 40...: .error
        case 30..<40: .warning
        case ..<20: .dim
        default: .plain
        }
    }
}
