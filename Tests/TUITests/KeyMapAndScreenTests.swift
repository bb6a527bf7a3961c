import Testing

@testable import TUI

@Suite("Key map and screen")
struct KeyMapAndScreenTests {
    init() {
        #expect(TerminalWidth.ensureUTF8Locale(), "a UTF-8 locale (C.UTF-8) is needed")
    }

    @Test("No key means two things in one view")
    func unambiguous() {
        for view in View.allCases {
            var seen: [Key: Command] = [:]
            for binding in KeyMap.standard.bindings(in: view) {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(key.label) is bound twice in \(view)")
                    seen[key] = binding.command
                }
            }
        }
    }

    @Test("Keys dispatch per view; help and hints come from the same bindings")
    func dispatch() {
        #expect(KeyMap.standard.command(for: .character("j"), in: .runs) == .down)
        #expect(KeyMap.standard.command(for: .down, in: .logs) == .down)
        #expect(KeyMap.standard.command(for: .character("f"), in: .logs) == .toggleFollow)
        #expect(KeyMap.standard.command(for: .character("f"), in: .overview) == nil, "follow means nothing outside the log view")
        #expect(KeyMap.standard.command(for: .character("1"), in: .logs) == .show(.overview))
        #expect(KeyMap.standard.command(for: .control("r"), in: .overview) == .refresh)
        let help = KeyMap.standard.bindings(in: .logs).map(\.help)
        #expect(help.contains("follow new lines on or off") && !help.contains("count window: 1h, 24h, 7d"))
        #expect(KeyMap.standard.hints(in: .logs).contains("f follow"))
        #expect(KeyMap.standard.hints(in: .overview) == "Enter open · l logs · c window · ? help · q quit")
    }

    @Test("Text that does not fit ends with …; wide characters take two cells and are never split")
    func put() {
        var screen = Screen(width: 6, height: 3)
        #expect(screen.put("ab世界", x: 0, y: 0) == 6, "text that fits exactly is not cut")
        #expect(screen.lines()[0] == "ab世界")
        #expect(screen[3, 0].text == "" && screen[2, 0].text == "世")
        #expect(screen.put("ab世界cd", x: 0, y: 1) == 5, "界 gives its place to the ellipsis")
        #expect(screen.lines()[1] == "ab世…")
        #expect(screen.put("xy世", x: 3, y: 2) == 3, "世 would need columns 5 and 6")
        #expect(screen.lines()[2] == "   xy…")
        screen.put("\u{1B}[31m", x: 0, y: 2, style: .error, maxWidth: 2)
        #expect(screen.lines()[2].hasPrefix("?…"), "control characters never reach the terminal")
        #expect(screen.styleMap { $0 == .error ? "E" : "." }[2] == "EE....")
    }
}
