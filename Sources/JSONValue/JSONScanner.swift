/// Reads JSON text member by member, for the few large answers whose shape is known and whose members are mostly
/// wanted as plain strings (event pages): what the reader wants is read straight from the bytes, what it does not is
/// skipped without being built, and no tree is made except where it asks for one (``value()``).
///
/// ```swift
/// let total = try JSONScanner.scan(bytes) { scanner in
///     var total = 0
///     try scanner.members { scanner, name in
///         if name == "total" { total = try scanner.int() } else { try scanner.skip() }
///     }
///     return total
/// }
/// ```
///
/// A value of another kind than the one asked for throws ``JSONValue/ParseError`` naming what was expected; a caller
/// that wants `DecodingError`'s coding paths decodes the same bytes the `Decodable` way after such an error.
public struct JSONScanner {
    var parser: JSONValue.Parser

    /// Runs `body` on the scanner of `bytes`; the text must hold exactly one value, which `body` reads or skips.
    public static func scan<T>(_ bytes: some Collection<UInt8>, _ body: (inout JSONScanner) throws -> T) throws -> T {
        func run(_ buffer: UnsafeBufferPointer<UInt8>) throws -> T {
            var scanner = JSONScanner(parser: JSONValue.Parser(bytes: buffer))
            scanner.parser.skipSpace()
            let result = try body(&scanner)
            scanner.parser.skipSpace()
            guard scanner.parser.index == buffer.count else { throw scanner.parser.error("unexpected text after the value") }
            return result
        }
        if let result = try bytes.withContiguousStorageIfAvailable(run) { return result }
        return try Array(bytes).withUnsafeBufferPointer(run)
    }

    /// A member's name as it is in the text: compared without making a `String` unless it holds an escape.
    public struct Name {
        let raw: UnsafeBufferPointer<UInt8>
        let decoded: String?

        public static func == (name: Name, text: StaticString) -> Bool {
            if let decoded = name.decoded { return decoded == text.description }
            guard name.raw.count == text.utf8CodeUnitCount else { return false }
            return name.raw.elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        public static func == (name: Name, text: String) -> Bool {
            if let decoded = name.decoded { return decoded == text }
            return name.raw.elementsEqual(text.utf8)
        }

        /// The name as a string.
        public var string: String { decoded ?? String(decoding: raw, as: UTF8.self) }
    }

    private var next: UInt8? {
        parser.index < parser.bytes.count ? parser.bytes[parser.index] : nil
    }

    /// The byte offset of the next value (or of what follows the last one read): for editing the text in place.
    public var offset: Int { parser.index }

    /// Whether the next value is an object.
    public var atObject: Bool { next == UInt8(ascii: "{") }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONValue.ParseError) {
        guard next == byte else { throw parser.error("expected \(what)") }
        parser.index += 1
        parser.skipSpace()
    }

    /// Reads an object: `body` is called with each member's name and must read or skip its value.
    public mutating func members(_ body: (inout JSONScanner, Name) throws -> Void) throws {
        try separated(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), "an object") { scanner in
            guard scanner.next == UInt8(ascii: "\"") else { throw scanner.parser.error("expected a member name") }
            let name = try scanner.name()
            scanner.parser.skipSpace()
            try scanner.expect(UInt8(ascii: ":"), "':'")
            try body(&scanner, name)
        }
    }

    /// Reads an array: `body` is called for each element and must read or skip it.
    public mutating func elements(_ body: (inout JSONScanner) throws -> Void) throws {
        try separated(open: UInt8(ascii: "["), close: UInt8(ascii: "]"), "an array", body)
    }

    /// `open`, then the items `item` reads, separated by commas, then `close`.
    private mutating func separated(open: UInt8, close: UInt8, _ what: String, _ item: (inout JSONScanner) throws -> Void) throws {
        try expect(open, what)
        if next == close {
            parser.index += 1
            return
        }
        while true {
            try item(&self)
            parser.skipSpace()
            if next == UInt8(ascii: ",") {
                parser.index += 1
                parser.skipSpace()
                continue
            }
            try expect(close, "',' or '\(Character(Unicode.Scalar(close)))'")
            return
        }
    }

    private mutating func name() throws(JSONValue.ParseError) -> Name {
        let start = parser.index + 1
        var end = start
        while end < parser.bytes.count, parser.bytes[end] != UInt8(ascii: "\""), parser.bytes[end] != UInt8(ascii: "\\"), parser.bytes[end] >= 0x20 {
            end += 1
        }
        if end < parser.bytes.count, parser.bytes[end] == UInt8(ascii: "\""), parser.bytes[start..<end].allSatisfy({ $0 < 0x80 }) {
            parser.index = end + 1
            return Name(raw: UnsafeBufferPointer(rebasing: parser.bytes[start..<end]), decoded: nil)
        }
        return Name(raw: UnsafeBufferPointer(start: nil, count: 0), decoded: try parser.string())
    }

    /// Consumes a `null` and says whether there was one.
    public mutating func null() throws(JSONValue.ParseError) -> Bool {
        guard next == UInt8(ascii: "n") else { return false }
        _ = try parser.literal("null", .null)
        return true
    }

    /// A string, its escapes decoded.
    public mutating func string() throws(JSONValue.ParseError) -> String {
        guard next == UInt8(ascii: "\"") else { throw parser.error("expected a string") }
        return try parser.string()
    }

    /// A string, or nil for `null`.
    public mutating func optionalString() throws(JSONValue.ParseError) -> String? {
        try null() ? nil : try string()
    }

    /// A whole number.
    public mutating func int() throws(JSONValue.ParseError) -> Int {
        let start = parser.index
        guard case .int(let value) = try parser.value(depth: 0) else { throw JSONValue.ParseError(offset: start, reason: "expected a whole number") }
        return value
    }

    /// Any value, as a tree.
    public mutating func value() throws(JSONValue.ParseError) -> JSONValue {
        try parser.value(depth: 0)
    }

    /// Moves past any value without building it.
    public mutating func skip() throws(JSONValue.ParseError) {
        try parser.skipValue(depth: 0)
    }
}
