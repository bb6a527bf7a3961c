extension LogLine {
    /// `2026-11-25T09:22:59.123Z`, to the millisecond; `09:22:59.123` with `timeOfDayOnly` (the dashboard, which
    /// shows the day elsewhere).
    package func timestampText(timeOfDayOnly: Bool = false) -> String {
        let stamp = PrefectDate.format(timestamp)  // 2026-11-25T09:22:59.123456Z
        guard stamp.count == 27 else { return stamp }
        return timeOfDayOnly ? String(stamp.dropFirst(11).prefix(12)) : String(stamp.prefix(23)) + "Z"
    }

    /// The level in its column: `ERROR    ` (eight characters and at least one space).
    package var levelColumn: String { levelName.paddedColumn(8) }

    /// `[task run name] `, or nothing for a line of the flow run itself.
    package var taskTag: String { taskRunName.map { "[\($0)] " } ?? "" }

    /// The line as `logs` prints it: `2026-11-25T09:22:59.123Z ERROR    [load-0] message`. A traceback is one record
    /// of many lines: its continuation lines are indented by four spaces, so every line that starts in column 0
    /// starts a record.
    package func text(timestamps: Bool = true) -> String {
        let head = (timestamps ? timestampText() + " " : "") + levelColumn + taskTag
        return head
            + message.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : "    " + $0.element }.joined(separator: "\n")
    }
}
