import JSONValue

/// What a request's method answers: its result, and for a tool call its structured content already written.
///
/// A tool result carries its structured content twice, as the object and as the text content (the same JSON, for
/// clients that read only text). The text is written once; the response embeds those bytes as the object instead of
/// writing the tree a second time.
struct MethodResult: Sendable {
    /// The result; for a tool call without its `structuredContent` member, which ``structuredText`` holds.
    var value: JSONValue
    /// `structuredContent` as compact JSON with sorted keys, when the result has it.
    var structuredText: [UInt8]?

    init(_ value: JSONValue, structuredText: [UInt8]? = nil) {
        self.value = value
        self.structuredText = structuredText
    }
}
