import Core
import Foundation
import JSONValue
import Testing

@Suite("Untrusted text on a terminal: controls are shown, never obeyed")
struct TerminalTextTests {
    @Test(
        "Escape sequences, C0 and C1 controls become visible text",
        arguments: [
            ("\u{1B}]0;PWNED\u{07}", "^[]0;PWNED^G"),  // window title
            ("\u{1B}]52;c;cHduZWQ=\u{07}", "^[]52;c;cHduZWQ=^G"),  // clipboard write
            ("\u{1B}[?1049h\u{1B}[?1000h\u{1B}[2J\u{1B}[6n", "^[[?1049h^[[?1000h^[[2J^[[6n"),  // alternate screen, mouse, clear, cursor report
            ("a\u{9B}31mb", "a<U+009B>31mb"),  // the one-byte CSI
            ("\u{00}\u{7F}", "^@^?"),
            ("fake\rreal", "fake^Mreal"),  // a bare carriage return would overwrite the line
        ])
    func neutralised(raw: String, shown: String) {
        #expect(raw.terminalSafe == shown)
        #expect(!raw.terminalSafe.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
    }

    @Test("Newlines, tabs and printable text are kept as they are; CRLF becomes a newline")
    func kept() {
        let traceback = "Traceback (most recent call last):\n\tFile \"flow.py\", line 3\nValueError: ü 🚀"
        #expect(traceback.terminalSafe == traceback)
        #expect("one\r\ntwo\r\n".terminalSafe == "one\ntwo\n")
        #expect("".terminalSafe == "")
    }

    @Test("Error messages quote at most 200 characters of a value")
    func echoed() {
        let huge = String(repeating: "x", count: 14 << 20)
        #expect(huge.echoed.count < 240)
        #expect(huge.echoed.hasSuffix("[cut: \((14 << 20) - 200) more characters]"))
        #expect("15m".echoed == "15m")
    }

    @Test("An over-long time is refused before it is parsed")
    func longTimes() {
        #expect(TimeReference.parse(String(repeating: "1", count: 14 << 20) + "m", now: Date()) == nil)
        #expect(TimeWindow(String(repeating: "1", count: 200) + "m") == nil)
        #expect(TimeReference.parse("  15m  ", now: Date(timeIntervalSince1970: 1000)) == Date(timeIntervalSince1970: 100))
    }

    @Test("A URL is shown without its credentials, and UI links never carry them")
    func urlCredentials() throws {
        let url = try #require(URL(string: "http://bob:hunter2@prefect.test:4200/api"))
        #expect(url.displayString == "http://***@prefect.test:4200/api")
        #expect(URL(string: "http://token@prefect.test/api")?.displayString == "http://***@prefect.test/api")
        #expect(URL(string: "https://prefect.test/api")?.displayString == "https://prefect.test/api")
        #expect(UILinks.uiBase(forAPI: url).absoluteString == "http://prefect.test:4200")
        #expect(!UILinks.flowRun("1", ui: UILinks.uiBase(forAPI: url)).contains("hunter2"))
    }
}
