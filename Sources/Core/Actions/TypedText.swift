package import JSONValue

/// A value typed as text (`--param batch_size=7`, a field of the dashboard's run form), read as its JSON Schema
/// says: for a property that takes only strings the text is the value, as typed (`customer=007` stays "007");
/// otherwise it is read as JSON when it is JSON (`7`, `true`, `{"region": "eu"}`, `null`) and kept as a string when
/// it is not, so the schema check names what is wrong ("expected integer") instead of a parse error.
package enum TypedText {
    package static func value(_ text: String, schema: JSONValue?) -> JSONValue {
        if takesOnlyStrings(schema) { return .string(text) }
        return (try? JSONValue(parsing: Array(text.utf8))) ?? .string(text)
    }

    /// `key=value` split at the first `=`; nil when there is none or the key is empty.
    package static func assignment(_ text: String) -> (key: String, value: String)? {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return nil }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    static func takesOnlyStrings(_ schema: JSONValue?) -> Bool {
        guard let schema else { return false }
        if let type = schema["type"]?.stringValue { return type == "string" }
        if let values = schema["enum"]?.arrayValue { return !values.isEmpty && values.allSatisfy { $0.stringValue != nil } }
        return false
    }
}
