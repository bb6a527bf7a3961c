import Core

/// One log line as `logs` prints it: `2026-11-25T09:22:59.123Z ERROR    [load-0] message`, continuation lines of a
/// multi-line message indented by four spaces.
enum LogText {
    static func line(_ line: LogLine, timestamps: Bool = true) -> String {
        var text = ""
        if timestamps {
            let stamp = PrefectDate.format(line.timestamp)  // …:59.123456Z
            text += stamp.count == 27 ? String(stamp.prefix(23)) + "Z " : stamp + " "
        }
        text += line.levelName.paddedColumn(8)
        if let task = line.taskRunName { text += "[\(task)] " }
        // A traceback is one record of many lines: its continuation lines are indented, so every line that starts
        // in column 0 starts a record.
        return text + line.message.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : "    " + $0.element }.joined(separator: "\n")
    }
}
