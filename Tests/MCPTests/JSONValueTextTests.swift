import Foundation
import JSONValue
import Testing

@Suite("JSONValue: its own JSON writer matches JSONEncoder byte for byte, and decoding keeps every kind")
struct JSONValueTextTests {
    static let sample: JSONValue = [
        "text": "quote \" backslash \\ slash / newline \n tab \t cr \r bs \u{8} ff \u{C} ctl \u{1}\u{1F} del \u{7F} é 😀 \u{2028}",
        "numbers": [0, -7, 9_007_199_254_740_993, .double(1.0), .double(0.1), .double(-0.0), .double(1e20), .double(1.5e-7), .double(123456789.125), .double(2.5e16)],
        "B": true, "_": false, "a": .null, "aa": [:], "é": [], "nested": ["z": ["y": [["x": 1]]]],
    ]

    @Test("Same bytes as JSONEncoder with sorted keys and unescaped slashes")
    func matchesEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(Self.sample), as: UTF8.self)
        #expect(Self.sample.jsonText == expected)
    }

    @Test("jsonByteCount is the length of jsonBytes, escapes and non-ASCII included, without writing them")
    func byteCount() {
        let values: [JSONValue] = [Self.sample, .null, true, false, -12345, .double(0.1), "", [], [:], ["a": [1, "\u{0}"]]]
        for value in values { #expect(value.jsonByteCount == value.jsonBytes.count, "\(value.jsonText)") }
    }

    @Test("Decoding gives back the same value (strings, objects, arrays, bools, ints, doubles, null)")
    func roundTrip() throws {
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(Self.sample.jsonBytes))
        for key in ["text", "B", "_", "a", "aa", "é", "nested"] { #expect(decoded[key] == Self.sample[key], "\(key)") }
        // JSON has one number type: an integral double reads back as an int of the same value.
        let numbers = (0..<10).map { decoded["numbers"]?[$0]?.doubleValue }
        #expect(numbers == (0..<10).map { Self.sample["numbers"]?[$0]?.doubleValue })
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data("[true,1,1.5,\"1\",null,{}]".utf8)) == [true, 1, .double(1.5), "1", .null, [:]])
    }
}

@Suite("JSONValue's parser reads what JSONDecoder reads, and refuses what it refuses")
struct JSONValueParseTests {
    @Test("Same values as JSONDecoder, escapes and surrogate pairs included")
    func sameAsDecoder() throws {
        let texts = [
            JSONValueTextTests.sample.jsonText,
            #"  {"a" : [1, -2.5e3, 0.0, true, false, null, "\u00e9\ud83d\ude00\n\/"], "b": {}} "#,
            "[]", "\"x\"", "-0", "12345678901234567890",
        ]
        for text in texts {
            let parsed = try JSONValue(parsing: Array(text.utf8))
            let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            #expect(parsed.jsonText == decoded.jsonText, "\(text)")
        }
    }

    @Test("A member name given twice keeps its last value; objects of any size keep every member")
    func members() throws {
        #expect(try JSONValue(parsing: Array(#"{"a":1,"b":2,"a":3}"#.utf8)) == ["a": 3, "b": 2])
        let wide = JSONValue.object(Dictionary(uniqueKeysWithValues: (0..<100).map { ("k\($0)", JSONValue.int($0)) }))
        #expect(try JSONValue(parsing: wide.jsonBytes) == wide)
    }

    @Test("Malformed text is an error naming the byte", arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "\"a", "1 2", "[\"\u{1}\"]", "nan"])
    func refuses(text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: Array(text.utf8)) }
    }
}
