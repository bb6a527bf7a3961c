/// What the writes draw: the run form in the body, the pool/queue pick over it, the y/N question and the outcome in
/// the status bar.
enum WritePanels {
    /// The run form: one row per field (label, value, what it takes), the field's problem under it.
    static func form(_ form: RunForm, rows: Range<Int>, into screen: inout Screen) {
        var y = rows.lowerBound
        screen.put("Run \(form.slug)", x: 1, y: y, style: .bold)
        y += 2
        let labelWidth = min(24, (form.fields.map { TerminalWidth.columns(of: $0.label) }.max() ?? 8) + 2)
        // The value takes two fifths of what the label leaves, the hint or problem the rest.
        let valueWidth = max(12, min(48, (screen.width - labelWidth - 8) * 2 / 5))
        for (index, field) in form.fields.enumerated() {
            guard y < rows.upperBound - 2 else {
                screen.put("… \(form.fields.count - index) more fields (↓)", x: 3, y: y, style: .dim)
                break
            }
            let focused = index == form.focus
            screen.put(focused ? "›" : " ", x: 1, y: y, style: .accent)
            screen.put(field.label, x: 3, y: y, style: focused ? .bold : .plain, maxWidth: labelWidth)
            let x = 3 + labelWidth
            screen.fill(y: y, from: x, style: .plain)
            let shown = focused ? field.text + "█" : field.text
            let used = screen.put(shown, x: x, y: y, style: focused ? Style(underline: true) : .plain, maxWidth: valueWidth)
            if used < valueWidth { screen.restyle(x: x + used, y: y, count: valueWidth - used, focused ? Style(underline: true) : .dim) }
            screen.put(field.error.map { "✗ \($0)" } ?? field.kindHint, x: x + valueWidth + 2, y: y, style: field.error == nil ? .dim : .error)
            y += 1
        }
        // The message, else the focused field's problem in full (beside the field it may be cut).
        if let message = form.message ?? form.fields[form.focus].error.map({ "\(form.fields[form.focus].label): \($0)" }) {
            screen.put(message, x: 1, y: min(y + 1, rows.upperBound - 1), style: form.submitting ? .accent : .error)
        }
    }

    static let formHints = "Tab/↓ next · ↑ previous · Space/←→ cycle a choice · Ctrl-U clear · Enter run · Esc cancel"

    /// The pick among writes, as a box over the body.
    static func choice(_ choice: Choice, rows: Range<Int>, into screen: inout Screen) {
        pickList(title: choice.title, labels: choice.options.map(\.label), selected: choice.selected, rows: rows, into: &screen)
    }

    /// A framed list over the view, one line selected (the pick among writes, the profile picker).
    static func pickList(title: String, labels: [String], selected: Int, rows: Range<Int>, into screen: inout Screen) {
        let width = min(screen.width - 4, max(TerminalWidth.columns(of: title), labels.map { TerminalWidth.columns(of: $0) }.max() ?? 0) + 6)
        let x = max(1, (screen.width - width) / 2)
        let top = rows.lowerBound + 1
        let shown = min(labels.count, max(1, rows.count - 4))
        let first = min(max(0, selected - shown + 1), labels.count - shown)
        for y in top..<(top + shown + 3) {
            screen.put(String(repeating: " ", count: width), x: x, y: y, style: .plain)
        }
        screen.put("┌" + String(repeating: "─", count: width - 2) + "┐", x: x, y: top, style: .accent)
        screen.put(" \(title) ", x: x + 2, y: top, style: .bold, maxWidth: width - 4)
        for (offset, label) in labels[first..<(first + shown)].enumerated() {
            let y = top + 1 + offset
            screen.put("│", x: x, y: y, style: .accent)
            screen.put("│", x: x + width - 1, y: y, style: .accent)
            let isSelected = first + offset == selected
            if isSelected { screen.put(String(repeating: " ", count: width - 2), x: x + 1, y: y, style: .selected) }
            screen.put(" \(label)", x: x + 1, y: y, style: isSelected ? .selected : .plain, maxWidth: width - 2)
        }
        screen.put("└" + String(repeating: "─", count: width - 2) + "┘", x: x, y: top + shown + 1, style: .accent)
    }

    /// The status bar while a write is asked, or after one: true when it drew.
    static func statusBar(_ state: DashboardState, y: Int, into screen: inout Screen) -> Bool {
        if let request = state.confirmation {
            screen.fill(y: y, style: Style(foreground: .yellow, reverse: true))
            screen.put(" \(request.question)  y yes · n no", x: 0, y: y, style: Style(foreground: .yellow, reverse: true))
            return true
        }
        if state.form != nil {
            screen.put(formHints, x: 0, y: y, style: .dim)
            return true
        }
        if let notice = state.notice {
            screen.put(notice.text, x: 0, y: y, style: notice.isError ? .error : .ok)
            return true
        }
        return false
    }
}
