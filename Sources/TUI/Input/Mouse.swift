package import FoundationEssentials

/// A mouse press, as the backend reports it: the left button or the wheel, at a cell.
package struct Mouse: Sendable, Equatable {
    package enum Button: Sendable, Equatable { case left, wheelUp, wheelDown }
    package var button: Button
    package var x: Int
    package var y: Int

    package init(_ button: Button, x: Int, y: Int) {
        self.button = button
        self.x = x
        self.y = y
    }
}

extension DashboardState {
    /// Two presses of the same row closer than this are a double click, which opens it.
    static let doubleClick: TimeInterval = 0.4
    /// Rows the wheel moves by a notch.
    static let wheelRows = 3

    /// A click on a tab shows it, on a list row selects it (twice quickly: opens it, as Enter); the wheel moves the
    /// selection or scrolls the log or detail. What is where is what ``Renderer/render(_:now:)`` draws for this state.
    mutating func click(_ mouse: Mouse, at now: Date) -> [Effect] {
        // A prompt, a confirmation, a pick or a form waits for its keys.
        if prompt != nil || confirmation != nil || choice != nil || form != nil || picker != nil { return [] }
        switch mouse.button {
        case .wheelUp, .wheelDown:
            var effects: [Effect] = []
            for _ in 0..<Self.wheelRows { effects += reduceCommand(mouse.button == .wheelUp ? .up : .down) }
            return effects
        case .left:
            if mouse.y == 1, let target = Renderer.tab(at: mouse.x) {
                lastClick = nil
                return target == view.tab ? [] : reduceCommand(.show(target))
            }
            guard let index = Renderer.render(self, now: now).listRows[mouse.y] else { return [] }
            let double = lastClick.map { $0.view == view && $0.row == index && now.timeIntervalSince($0.at) < Self.doubleClick } ?? false
            selection[view] = index
            lastClick = double ? nil : (view, index, now)
            return double ? reduceCommand(.open) : []
        }
    }
}
