import Foundation
import Testing

@testable import MCP

@Suite("Line splitting")
struct LineSplitterTests {
    @Test("Lines split on newlines across chunks; CR and blank lines dropped; a last unterminated line counts")
    func split() {
        var splitter = LineSplitter(maximumLineBytes: 100)
        var events = splitter.feed(Array("{\"a\":1}\r\n{\"b\"".utf8))
        events += splitter.feed(Array(":2}\n\n   \n{\"c\":3}".utf8))
        events += splitter.finish()
        #expect(events == [.line(Data("{\"a\":1}".utf8)), .line(Data("{\"b\":2}".utf8)), .line(Data("{\"c\":3}".utf8)), .end])
    }

    @Test("An over-long line is reported once with its size and never buffered; the next line is fine")
    func oversized() {
        var splitter = LineSplitter(maximumLineBytes: 10)
        var events = splitter.feed(Array(repeating: UInt8(ascii: "x"), count: 8))
        events += splitter.feed(Array(repeating: UInt8(ascii: "x"), count: 8))
        events += splitter.feed(Array(repeating: UInt8(ascii: "x"), count: 1000))
        events += splitter.feed(Array("\nok\n".utf8))
        #expect(events == [.oversized(byteCount: 1016), .line(Data("ok".utf8))])
    }
}
