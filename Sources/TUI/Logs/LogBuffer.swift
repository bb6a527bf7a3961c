package import Core

/// The lines of the log view: a bounded buffer with a dropped-lines count, a minimum level, a filter that hides
/// non-matching lines, a search that only highlights, and the follow rule.
///
/// Follow rule: while following, the view stays at the bottom as lines arrive; any upward scroll turns follow off,
/// and then new lines never move the view; going to the bottom (`G`) or `f` turns it back on.
package struct LogBuffer: Sendable {
    package let capacity: Int
    package private(set) var lines: [LogLine] = []
    /// Lines dropped from the front to stay within `capacity`.
    package private(set) var dropped = 0
    package private(set) var minimumLevel = 0
    /// Case-insensitive text a line must contain to be shown; nil shows all.
    package private(set) var filter: String?
    /// Case-insensitive text highlighted in the shown lines; `n`/`N` move between the lines holding it.
    package private(set) var search: String?
    /// Rows of `shown` that contain the search text, kept up to date as lines come and go (a frame reads its count,
    /// so it must not be recomputed per frame).
    package private(set) var matches: [Int] = []
    package private(set) var follow = true
    /// Indices into `lines` of the lines shown (level and filter applied), in order.
    package private(set) var shown: [Int] = []
    /// Index into `shown` of the top row of the view.
    package private(set) var top = 0
    /// Ids of the log entries received, whichever end they came from: a line read twice is shown once, and their
    /// count is how far from the newest end the next older page starts.
    package private(set) var entryIDs: Set<String> = []
    /// Whether the server holds lines older than the first one here.
    package var olderRemain = false
    /// How new lines arrive: pushed by Prefect's log stream, or read (fast) by polling; nil until the follow says.
    package var source: FeedMode?
    /// A page of older lines has been asked for and has not come yet.
    package var loadingOlder = false
    /// Why the last page of older lines did not come.
    package var olderFailure: String?
    /// `g` was pressed while older lines remained: each page that comes goes to the first line, and the next is
    /// asked for, until the log's first line is shown.
    package var wantsFirstLine = false

    /// The buffer is at its capacity: older lines are no longer loaded (new ones still come, dropping the oldest).
    package var isFull: Bool { lines.count >= capacity }

    package init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// Adds lines at the end; drops the oldest beyond the capacity. Lines received before are left out.
    package mutating func append(_ new: [LogLine], viewHeight: Int) {
        let rows = rows(of: new)
        guard !rows.isEmpty else { return }
        let firstNew = lines.count
        lines += rows
        for index in firstNew..<lines.count where isShown(lines[index]) {
            if isMatch(lines[index]) { matches.append(shown.count) }
            shown.append(index)
        }
        if lines.count > capacity {
            let excess = lines.count - capacity
            lines.removeFirst(excess)
            dropped += excess
            let before = shown.count
            shown = shown.compactMap { $0 >= excess ? $0 - excess : nil }
            let removed = before - shown.count
            top = max(0, top - removed)
            matches = matches.compactMap { $0 >= removed ? $0 - removed : nil }
            currentMatch = currentMatch.flatMap { $0 >= removed ? $0 - removed : nil }
        }
        if follow { top = bottomTop(viewHeight) }
    }

    /// Adds lines older than the first one here at the front, as many as the capacity leaves room for (the newest
    /// of them); the view stays on the line it showed unless it follows the bottom.
    package mutating func prepend(_ older: [LogLine], viewHeight: Int) {
        let rows = rows(of: older).suffix(max(0, capacity - lines.count))
        guard !rows.isEmpty else { return }
        lines.insert(contentsOf: rows, at: 0)
        let added = rows.indices.filter { isShown(rows[$0]) }.map { $0 - rows.startIndex }
        shown = added + shown.map { $0 + rows.count }
        top += added.count
        let current = currentMatch
        if search != nil { setSearch(search) }
        currentMatch = current.map { $0 + added.count }
        if follow { top = bottomTop(viewHeight) }
    }

    /// The rows of new lines not received before: a multi-line message (a traceback) becomes one row per line, the
    /// continuation rows with an empty `levelName`, drawn indented under the first.
    private mutating func rows(of new: [LogLine]) -> [LogLine] {
        var rows: [LogLine] = []
        for line in new where entryIDs.insert(line.id).inserted {
            let parts = line.message.split(separator: "\n", omittingEmptySubsequences: false)
            guard parts.count > 1 else {
                rows.append(line)
                continue
            }
            for (index, part) in parts.enumerated() {
                var row = line
                row.message = String(part)
                if index > 0 {
                    row.id = "\(line.id)+\(index)"
                    row.levelName = ""
                }
                rows.append(row)
            }
        }
        return rows
    }

    /// Moves the view by `delta` rows (negative is up); moving up turns follow off, reaching the bottom turns it on.
    package mutating func scroll(by delta: Int, viewHeight: Int) {
        let bottom = bottomTop(viewHeight)
        if delta < 0 {
            follow = false
            top = max(0, min(top, bottom) + delta)
        } else {
            top = min(bottom, top + delta)
            if top == bottom { follow = true }
        }
    }

    package mutating func toTop() {
        follow = false
        top = 0
    }

    /// Goes to the newest line and follows again.
    package mutating func toBottom(viewHeight: Int) {
        follow = true
        top = bottomTop(viewHeight)
    }

    package mutating func setMinimumLevel(_ level: Int, viewHeight: Int) {
        minimumLevel = level
        rebuild(viewHeight: viewHeight)
    }

    package mutating func setFilter(_ text: String?, viewHeight: Int) {
        filter = text.flatMap { $0.isEmpty ? nil : $0 }
        rebuild(viewHeight: viewHeight)
    }

    /// Sets (or with nil or empty text, clears) the search; no line is current until `n`/`N`.
    package mutating func setSearch(_ text: String?) {
        search = text.flatMap { $0.isEmpty ? nil : $0 }
        currentMatch = nil
        matches = shown.indices.filter { isMatch(lines[shown[$0]]) }
    }

    /// The row of `shown` the last `n`/`N` went to.
    package private(set) var currentMatch: Int?

    /// Goes to the next (or previous) line holding the search text, wrapping around, and scrolls it into view;
    /// follow turns off. Returns false when there is no match.
    @discardableResult
    package mutating func jumpToMatch(forward: Bool, viewHeight: Int) -> Bool {
        let rows = matches
        guard !rows.isEmpty else { return false }
        let from = currentMatch ?? (forward ? top - 1 : top + max(1, viewHeight))
        let target = forward ? (rows.first { $0 > from } ?? rows[0]) : (rows.last { $0 < from } ?? rows[rows.count - 1])
        currentMatch = target
        follow = false
        if target < top || target >= top + max(1, viewHeight) { top = min(target, bottomTop(viewHeight)) }
        return true
    }

    /// The lines in view, top first.
    package func visible(height: Int) -> ArraySlice<LogLine> {
        let start = min(top, shown.count)
        return shown[start..<min(shown.count, start + max(0, height))].map { lines[$0] }[...]
    }

    private func isShown(_ line: LogLine) -> Bool {
        line.level >= minimumLevel
            && (filter.map { line.message.localizedStandardContains($0) || (line.taskRunName?.localizedStandardContains($0) ?? false) } ?? true)
    }

    private func isMatch(_ line: LogLine) -> Bool {
        guard let search else { return false }
        return line.message.localizedStandardContains(search)
    }

    private func bottomTop(_ viewHeight: Int) -> Int {
        max(0, shown.count - max(1, viewHeight))
    }

    private mutating func rebuild(viewHeight: Int) {
        shown = lines.indices.filter { isShown(lines[$0]) }
        setSearch(search)
        top = follow ? bottomTop(viewHeight) : min(top, bottomTop(viewHeight))
    }
}

extension StringProtocol {
    /// Case-insensitive containment without Foundation.
    fileprivate func localizedStandardContains(_ other: some StringProtocol) -> Bool {
        lowercased().contains(other.lowercased())
    }
}
