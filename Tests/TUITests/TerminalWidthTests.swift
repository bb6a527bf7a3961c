import Testing

@testable import TUI

@Suite("Terminal width")
struct TerminalWidthTests {
    init() {
        #expect(TerminalWidth.ensureUTF8Locale(), "a UTF-8 locale (C.UTF-8) is needed")
    }

    @Test(
        "ASCII is one column, CJK and emoji two, combining marks add nothing",
        arguments: [
            ("a", 1), ("世", 2), ("🚀", 2), ("e\u{301}", 1), ("界a", 3), ("", 0), ("👍🏽", 2), ("🇫🇷", 2),
        ])
    func columns(text: String, expected: Int) {
        #expect(TerminalWidth.columns(of: text) == expected)
    }

    @Test("Prefixes never split a wide character")
    func prefix() {
        #expect(TerminalWidth.prefix(of: "ab世界", fitting: 3) == "ab")
        #expect(TerminalWidth.prefix(of: "ab世界", fitting: 4) == "ab世")
        #expect(TerminalWidth.prefix(of: "abc", fitting: 10) == "abc")
        #expect(TerminalWidth.prefix(of: "世", fitting: 1) == "")
    }
}
