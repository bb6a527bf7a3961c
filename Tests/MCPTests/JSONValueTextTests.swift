import Foundation
import JSONValue
import Testing

@Suite("JSONValue: its own JSON writer matches JSONEncoder byte for byte, and decoding keeps every kind")
struct JSONValueTextTests {
    static let sample: JSONValue = [
        "text": "quote \" backslash \\ slash / newline \n tab \t cr \r bs \u{8} ff \u{C} ctl \u{1}\u{1F} del \u{7F} é 😀 \u{2028}",
        "numbers": [
            0, -7, 9_007_199_254_740_993, .double(1.0), .double(0.1), .double(-0.0), .double(1e20), .double(1.5e-7), .double(123456789.125),
            .double(2.5e16),
        ],
        "B": true, "_": false, "a": .null, "aa": [:], "é": [], "nested": ["z": ["y": [["x": 1]]]],
    ]

    @Test("Same bytes as JSONEncoder with sorted keys and unescaped slashes")
    func matchesEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(Self.sample), as: UTF8.self)
        #expect(Self.sample.jsonText == expected)
    }

    @Test("Every escaped character at every place of a string, across the eight-byte words the writer tests at once")
    func escapesAtEveryOffset() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for filler in ["a", "é", "\u{7F}", "€"] {
            for special in ["\"", "\\", "\n", "\u{0}", "\u{1F}", " ", "/", "!", "#", "[", "]", "\u{80}"] {
                for offset in 0..<19 {
                    let text = String(repeating: filler, count: offset) + special + String(repeating: filler, count: 18 - offset)
                    let value = JSONValue.string(text)
                    #expect(value.jsonText == String(decoding: try encoder.encode(text), as: UTF8.self), "\(offset) \(special.debugDescription)")
                    #expect(value.jsonByteCount == value.jsonBytes.count)
                }
            }
        }
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

    @Test(
        "Malformed text is an error naming the byte", arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "\"a", "1 2", "[\"\u{1}\"]", "nan"])
    func refuses(text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: Array(text.utf8)) }
    }

    @Test(
        "Numbers in RFC 8259's grammar: whole ones that fit an Int are ints (a fraction or exponent included), others doubles",
        arguments: [
            ("0", 0), ("-0", 0), ("7", 7), ("-12", -12), ("0.0e-0", 0), ("1E+2", 100), ("1e2", 100), ("2.50E-1", .double(0.25)),
            ("-0.5", .double(-0.5)), ("10.25", .double(10.25)), ("1.5e-7", .double(1.5e-7)), ("0e5", 0),
            ("9223372036854775807", .int(.max)), ("-9223372036854775808", .int(.min)),
            ("9223372036854775808", .double(9_223_372_036_854_775_808.0)), ("12345678901234567890", .double(12_345_678_901_234_567_890.0)),
            ("[0,-1,0.5]", [0, -1, .double(0.5)]), ("{\"a\":10}", ["a": 10]),
        ] as [(String, JSONValue)])
    func numbers(text: String, value: JSONValue) throws {
        #expect(try JSONValue(parsing: Array(text.utf8)) == value)
    }

    @Test(
        "Numbers outside RFC 8259's grammar are refused, saying what is wrong",
        arguments: [
            ("01", "a number may not have a leading zero"), ("-01", "a number may not have a leading zero"),
            ("00", "a number may not have a leading zero"), ("[1,007]", "a number may not have a leading zero"),
            ("+1", "expected a value"), (".5", "expected a value"), ("-", "expected a digit after '-'"), ("-.5", "expected a digit after '-'"),
            ("1.", "expected a digit after the decimal point"), ("1.e5", "expected a digit after the decimal point"),
            ("1e", "expected a digit in the exponent"), ("1e+", "expected a digit in the exponent"), ("1E-x", "expected a digit in the exponent"),
            ("1e999", "a number too large for a double"), ("--1", "expected a digit after '-'"), ("0x10", "unexpected text after the value"),
            ("1.5.3", "unexpected text after the value"), ("Infinity", "expected a value"), ("-Infinity", "expected a digit after '-'"),
        ])
    func badNumbers(text: String, reason: String) {
        let error = #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: Array(text.utf8)) }
        #expect(error?.reason == reason)
    }

    @Test(
        "Strings keep any Unicode: non-ASCII raw or escaped, surrogate pairs as one scalar, U+FFFD and DEL as given",
        arguments: [
            ("\"é😀 \u{7F}\"", "é😀 \u{7F}"), (#""\ud83d\ude00""#, "😀"), (#""\uD83D\uDE00 \u00e9""#, "😀 é"), (#""\u0000\u001f""#, "\u{0}\u{1F}"),
            ("\"\\uFFFD\u{FFFD}\"", "\u{FFFD}\u{FFFD}"), (#""line\nwith é and 😀""#, "line\nwith é and 😀"),
            ("\"\\uffff\u{10FFFF}\"", "\u{FFFF}\u{10FFFF}"),
        ])
    func strings(text: String, value: String) throws {
        #expect(try JSONValue(parsing: Array(text.utf8)) == .string(value))
        #expect(try JSONValue(parsing: Array("{\(text):1}".utf8)) == [value: 1], "as a member name")
    }

    @Test(
        "Strings that are not Unicode text are refused, not repaired with U+FFFD: raw controls, invalid UTF-8, lone surrogates",
        arguments: [
            (Array("\"\u{0}\"".utf8), "a control character in a string"), (Array("\"a\u{1F}\"".utf8), "a control character in a string"),
            (Array("\"\t\"".utf8), "a control character in a string"), (Array("\"é\n\"".utf8), "a control character in a string"),
            ([0x22, 0xFF, 0x22], "a string that is not valid UTF-8"), ([0x22, 0x61, 0xC3, 0x28, 0x22], "a string that is not valid UTF-8"),
            ([0x22, 0xC0, 0xAF, 0x22], "a string that is not valid UTF-8"), ([0x22, 0xE2, 0x82, 0x22], "a string that is not valid UTF-8"),
            ([0x22, 0xED, 0xA0, 0x80, 0x22], "a string that is not valid UTF-8"),
            ([0x22, 0x5C, 0x6E, 0x80, 0x22], "a string that is not valid UTF-8"),
            ([0x7B, 0x22, 0xFE, 0x22, 0x3A, 0x31, 0x7D], "a string that is not valid UTF-8"),
            (Array(#""\ud800""#.utf8), "a high surrogate without its low half"), (Array(#""\uD83Dx""#.utf8), "a high surrogate without its low half"),
            (Array(#""\ud83d\u0041""#.utf8), "a high surrogate without its low half"),
            (Array(#""\ud83d\ud83d""#.utf8), "a high surrogate without its low half"),
            (Array(#""\udc00""#.utf8), "a low surrogate without its high half"),
            (Array(#""\ude00\ud83d""#.utf8), "a low surrogate without its high half"),
        ] as [([UInt8], String)])
    func badStrings(bytes: [UInt8], reason: String) {
        let error = #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: bytes) }
        #expect(error?.reason == reason)
    }
}
