import JSONValue
import Testing

@testable import Core

/// Text typed for a parameter or job variable, read as its schema says.
@Suite("Typed text: --param values and form fields")
struct TypedTextTests {
    @Test("A property that takes only text keeps the text as typed; any other reads JSON, or keeps the text to be refused")
    func values() {
        let string: JSONValue = ["type": "string"]
        let choice: JSONValue = ["enum": ["full", "incremental"]]
        let integer: JSONValue = ["type": "integer"]
        let optional: JSONValue = ["anyOf": [["type": "integer"], ["type": "null"]]]
        #expect(TypedText.value("007", schema: string) == "007")
        #expect(TypedText.value("true", schema: choice) == "true")
        #expect(TypedText.value("12", schema: integer) == 12)
        #expect(TypedText.value("null", schema: optional) == .null)
        #expect(TypedText.value("many", schema: integer) == "many")
        #expect(TypedText.value(#"{"region": "eu"}"#, schema: nil) == ["region": "eu"])
        #expect(TypedText.value("[1, 2", schema: ["type": "array"]) == "[1, 2")
    }

    @Test("NAME=VALUE splits at the first =, and needs a name")
    func assignments() {
        #expect(TypedText.assignment("filter=a=b").map { [$0.key, $0.value] } == ["filter", "a=b"])
        #expect(TypedText.assignment("empty=").map { [$0.key, $0.value] } == ["empty", ""])
        #expect(TypedText.assignment("=x") == nil && TypedText.assignment("novalue") == nil)
    }
}
