import Core
import JSONValue
import Testing

@Suite("String helpers: clipping counts characters, not bytes")
struct StringTextTests {
    @Test("A text within the limit is kept whole, even when its UTF-8 bytes are over it")
    func keepsShortText() {
        #expect("abc".clipped(to: 3) == "abc")
        #expect("ééé".clipped(to: 3) == "ééé")  // 6 bytes, 3 characters
        #expect("👩‍👩‍👧".clipped(to: 1) == "👩‍👩‍👧")  // one character of 18 bytes
        #expect(!"ééé".isLonger(than: 3))
        #expect("ééé".isLonger(than: 2))
    }

    @Test("A longer text is cut to the limit and says how many characters were cut")
    func clipsLongText() {
        #expect("abcdef".clipped(to: 4) == "abcd … [cut: 2 more characters]")
        #expect("éééé".clipped(to: 1) == "é … [cut: 3 more characters]")
    }
}
