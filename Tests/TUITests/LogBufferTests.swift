import Core
import Foundation
import Testing

@testable import TUI

@Suite("Log buffer: cap, follow rule, level, filter, search")
struct LogBufferTests {
    static func lines(_ range: Range<Int>, level: Int = 20, text: (Int) -> String = { "line \($0)" }) -> [LogLine] {
        range.map {
            LogLine(
                id: "\($0)", timestamp: Date(timeIntervalSince1970: Double($0)), level: level, levelName: level >= 40 ? "ERROR" : "INFO",
                message: text($0))
        }
    }

    @Test("Beyond the capacity the oldest lines go and are counted")
    func cap() {
        var buffer = LogBuffer(capacity: 100)
        buffer.append(Self.lines(0..<80), viewHeight: 10)
        buffer.append(Self.lines(80..<130), viewHeight: 10)
        #expect(buffer.lines.count == 100 && buffer.dropped == 30)
        #expect(buffer.lines.first?.message == "line 30")
        #expect(buffer.visible(height: 10).map(\.message) == (120..<130).map { "line \($0)" })
    }

    @Test("Following keeps the newest in view; scrolling up stops it and new lines do not move the view; G resumes")
    func follow() {
        var buffer = LogBuffer()
        buffer.append(Self.lines(0..<50), viewHeight: 10)
        #expect(buffer.follow && buffer.top == 40)
        buffer.scroll(by: -5, viewHeight: 10)
        #expect(!buffer.follow && buffer.top == 35)
        buffer.append(Self.lines(50..<60), viewHeight: 10)
        #expect(buffer.top == 35, "new lines never move the view while follow is off")
        buffer.scroll(by: 100, viewHeight: 10)
        #expect(buffer.follow && buffer.top == 50, "reaching the bottom follows again")
        buffer.toTop()
        #expect(!buffer.follow && buffer.top == 0)
        buffer.toBottom(viewHeight: 10)
        buffer.append(Self.lines(60..<61), viewHeight: 10)
        #expect(buffer.follow && buffer.visible(height: 10).last?.message == "line 60")
    }

    @Test("Level and filter hide lines; search only highlights and n/N wrap around")
    func filtering() {
        var buffer = LogBuffer()
        buffer.append(Self.lines(0..<10) + Self.lines(10..<12, level: 40, text: { "Traceback \($0)" }), viewHeight: 5)
        buffer.setMinimumLevel(40, viewHeight: 5)
        #expect(buffer.visible(height: 5).map(\.message) == ["Traceback 10", "Traceback 11"])
        buffer.setMinimumLevel(0, viewHeight: 5)
        buffer.setFilter("line 1", viewHeight: 5)
        #expect(buffer.visible(height: 5).map(\.message) == ["line 1"])
        buffer.setFilter(nil, viewHeight: 5)
        #expect(buffer.shown.count == 12)
        buffer.setSearch("TRACEBACK")
        #expect(buffer.matches == [10, 11])
        buffer.toTop()
        var visited: [Int?] = []
        for forward in [true, true, true, false] {
            let found = buffer.jumpToMatch(forward: forward, viewHeight: 5)
            #expect(found)
            visited.append(buffer.currentMatch)
            #expect((buffer.top..<buffer.top + 5).contains(buffer.currentMatch!), "the match is scrolled into view")
        }
        #expect(visited == [10, 11, 10, 11], "n wraps to the first match, N back to the last")
        #expect(buffer.top == 7 && !buffer.follow, "the view stays full: the matches are near the end")
        buffer.setSearch("absent")
        let found = buffer.jumpToMatch(forward: true, viewHeight: 5)
        #expect(!found)
    }

    @Test("Search matches stay exact as lines arrive, old ones are dropped and the filter changes")
    func matchesFollowTheBuffer() {
        var buffer = LogBuffer(capacity: 20)
        buffer.setSearch("HIT")
        func expected() -> [Int] { buffer.shown.indices.filter { buffer.lines[buffer.shown[$0]].message.hasPrefix("hit") } }
        for batch in 0..<10 {
            buffer.append(Self.lines((batch * 7)..<(batch * 7 + 7), text: { $0 % 3 == 0 ? "hit \($0)" : "miss \($0)" }), viewHeight: 5)
            #expect(buffer.matches == expected())
        }
        #expect(buffer.dropped == 50 && !buffer.matches.isEmpty)
        buffer.setFilter("1", viewHeight: 5)
        #expect(buffer.matches == expected())
        buffer.setSearch(nil)
        #expect(buffer.matches.isEmpty)
    }
}
