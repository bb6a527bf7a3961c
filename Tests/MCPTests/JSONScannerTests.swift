import JSONValue
import Testing

/// `JSONScanner`: members and elements read in order, names compared raw or decoded, values read, built or skipped,
/// and every deviation from the expected shape or from JSON an error with its offset.
@Suite("JSONScanner reads what it is asked for and skips the rest")
struct JSONScannerTests {
    static let text = #"""
         {"events": [{"id": "a", "n": 1, "skip": {"x": [1, 2.5e3, "q\"\\", true, null, {}], "y": []}, "p": {"k": ["v"]}},
                     {"id": "b\u00e9", "n": -3, "skip": "\ud83d\ude00", "p": null}],
          "t\u0065xt": "é", "total": 2, "next": null}
        """#

    struct Row: Equatable {
        var id: String
        var n: Int
        var p: JSONValue
    }

    @Test("Members by name (escaped names too), elements, strings, ints, trees, nulls; the rest skipped")
    func reads() throws {
        let (rows, text, total, next) = try JSONScanner.scan(Array(Self.text.utf8)) { scanner in
            var rows: [Row] = []
            var text = "", total = 0, next: String? = "unset"
            try scanner.members { scanner, name in
                if name == "events" {
                    try scanner.elements { scanner in
                        var row = Row(id: "", n: 0, p: .null)
                        try scanner.members { scanner, name in
                            if name == "id" {
                                row.id = try scanner.string()
                            } else if name == "n" {
                                row.n = try scanner.int()
                            } else if name == "p" {
                                row.p = try scanner.value()
                            } else {
                                try scanner.skip()
                            }
                        }
                        rows.append(row)
                    }
                } else if name == "text" {
                    #expect(name.string == "text")
                    text = try scanner.string()
                } else if name == "total" {
                    total = try scanner.int()
                } else if name == "next" {
                    next = try scanner.optionalString()
                } else {
                    Issue.record("unexpected member \(name.string)")
                    try scanner.skip()
                }
            }
            return (rows, text, total, next)
        }
        #expect(rows == [Row(id: "a", n: 1, p: ["k": ["v"]]), Row(id: "bé", n: -3, p: .null)])
        #expect(text == "é" && total == 2 && next == nil)
    }

    @Test("A value of another kind, broken JSON or text after the value: an error at its offset")
    func errors() {
        func fails(_ text: String, _ body: (inout JSONScanner) throws -> Void) -> String? {
            do {
                try JSONScanner.scan(Array(text.utf8), body)
                return nil
            } catch let error as JSONValue.ParseError {
                return error.description
            } catch {
                return "\(error)"
            }
        }
        #expect(fails(#"{"a": 1}"#) { try $0.members { scanner, _ in _ = try scanner.string() } } == "invalid JSON at byte 6: expected a string")
        #expect(fails(#"[1]"#) { try $0.members { _, _ in } } == "invalid JSON at byte 0: expected an object")
        #expect(fails(#"{"a": 1.5}"#) { try $0.members { scanner, _ in _ = try scanner.int() } } == "invalid JSON at byte 6: expected a whole number")
        #expect(fails(#"{"a": [1, }"#) { try $0.members { scanner, _ in try scanner.skip() } } != nil)
        #expect(
            fails(#"{"a": "x\#u{1}"}"#) { try $0.members { scanner, _ in try scanner.skip() } }
                == "invalid JSON at byte 8: a control character in a string")
        #expect(fails(#"{} {}"#) { try $0.members { _, _ in } } == "invalid JSON at byte 3: unexpected text after the value")
        #expect(fails(#"{"a": 1 "b": 2}"#) { try $0.members { scanner, _ in try scanner.skip() } } == "invalid JSON at byte 8: expected ',' or '}'")
        #expect(fails(#"[[[["#) { try $0.skip() } != nil)
    }
}
