/// A JSON parser straight to ``JSONValue``, without a `Decoder`: for turning freshly encoded output into a value
/// (every tool result does that), where `JSONDecoder` would try each kind in turn.
extension JSONValue {
    public struct ParseError: Error, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    /// Parses one JSON text (RFC 8259): whole numbers that fit become `.int`, as with JSONDecoder.
    public init(parsing bytes: some Collection<UInt8>) throws(ParseError) {
        let parsed = bytes.withContiguousStorageIfAvailable(Self.parse) ?? Array(bytes).withUnsafeBufferPointer(Self.parse)
        self = try parsed.get()
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, ParseError> {
        Result { () throws(ParseError) -> JSONValue in
            var parser = Parser(bytes: bytes)
            parser.skipSpace()
            let value = try parser.value(depth: 0)
            parser.skipSpace()
            guard parser.index == bytes.count else { throw parser.error("unexpected text after the value") }
            return value
        }
    }

    /// Reads straight from the caller's bytes (no copy, no bounds check beyond its own), and collects every
    /// object's members on two stacks shared by the whole parse, so an object costs its dictionary and nothing more.
    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// The names and values of the members of the objects being read, innermost last.
        var names: [String] = []
        var values: [JSONValue] = []

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            names.reserveCapacity(64)
            values.reserveCapacity(64)
        }

        func error(_ reason: String) -> ParseError { ParseError(offset: index, reason: reason) }

        /// Moves past one value without building it; only its structure is checked (strings are not decoded).
        mutating func skipValue(depth: Int) throws(ParseError) {
            guard depth < 512 else { throw error("nested too deeply") }
            guard index < bytes.count else { throw error("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = bytes[index] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                index += 1
                skipSpace()
                if index < bytes.count, bytes[index] == close { index += 1; return }
                while true {
                    skipSpace()
                    if close == UInt8(ascii: "}") {
                        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name") }
                        try skipString()
                        skipSpace()
                        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                        index += 1
                        skipSpace()
                    }
                    try skipValue(depth: depth + 1)
                    skipSpace()
                    guard index < bytes.count else { throw error("unexpected end") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == close else { throw error("expected ',' or a closing bracket") }
                    index += 1
                    return
                }
            case UInt8(ascii: "\""): try skipString()
            default: _ = try value(depth: depth)  // a number or a literal: nothing to allocate
            }
        }

        /// Moves past a string, its escapes included.
        mutating func skipString() throws(ParseError) {
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return
                case UInt8(ascii: "\\"): index += 2
                case ..<0x20: throw error("a control character in a string")
                default: index += 1
                }
            }
            throw error("unterminated string")
        }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        mutating func literal(_ text: String, _ value: JSONValue) throws(ParseError) -> JSONValue {
            let expected = text.utf8
            guard bytes.count - index >= expected.count, bytes[index..<(index + expected.count)].elementsEqual(expected) else {
                throw error("expected a value")
            }
            index += expected.count
            return value
        }

        mutating func value(depth: Int) throws(ParseError) -> JSONValue {
            guard depth < 512 else { throw error("nested too deeply") }
            guard index < bytes.count else { throw error("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object([:]) }
                // Members are collected first so the dictionary is made at its final size: growing it member by member
                // hashed every key again at each doubling.
                let first = names.count
                while true {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name") }
                    let name = try string()
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    index += 1
                    skipSpace()
                    let member = try value(depth: depth + 1)
                    // Pushed together, after the value: a nested object then starts at the same height on both.
                    names.append(name)
                    values.append(member)
                    skipSpace()
                    guard index < bytes.count else { throw error("unexpected end in an object") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
                    index += 1
                    var members = [String: JSONValue](minimumCapacity: names.count - first)
                    for member in first..<names.count { members[names[member]] = values[member] }  // a repeated name: the last wins
                    names.removeSubrange(first...)
                    values.removeSubrange(first...)
                    return .object(members)
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [JSONValue] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw error("unexpected end in an array") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
                    index += 1
                    return .array(items)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: return try number()
            }
        }

        /// A number as RFC 8259 writes it: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
        mutating func number() throws(ParseError) -> JSONValue {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: "0") {
                index += 1
                guard !skipDigits() else { throw ParseError(offset: start, reason: "a number may not have a leading zero") }
            } else {
                guard skipDigits() else { throw error(index > start ? "expected a digit after '-'" : "expected a value") }
            }
            var integral = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                integral = false
                guard skipDigits() else { throw error("expected a digit after the decimal point") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                integral = false
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard skipDigits() else { throw error("expected a digit in the exponent") }
            }
            // Up to 18 digits always fit an Int: summed here, without making a string.
            let negative = bytes[start] == UInt8(ascii: "-")
            let digits = (negative ? start + 1 : start)..<index
            if integral, digits.count <= 18 {
                var value = 0
                for digit in digits { value = value &* 10 &+ Int(bytes[digit] &- UInt8(ascii: "0")) }
                return .int(negative ? -value : value)
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if integral, let value = Int(text) { return .int(value) }
            guard let value = Double(text), value.isFinite else { throw ParseError(offset: start, reason: "a number too large for a double") }
            // As JSONDecoder reads them: a whole number written with a fraction or exponent is an int too.
            if value == value.rounded(), abs(value) < 9.2e18 { return .int(Int(value)) }
            return .double(value)
        }

        /// Moves past a run of digits; false when there is none.
        mutating func skipDigits() -> Bool {
            let first = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index > first
        }

        /// A string: its escapes decoded, and refused when it holds a raw control character, invalid UTF-8 or an
        /// escaped surrogate without its other half (none of which any Unicode text can be).
        mutating func string() throws(ParseError) -> String {
            index += 1  // the opening quote
            // Most strings hold no escape: made straight from the bytes between the quotes.
            let start = index
            // Every raw byte ORed in: below 0x80 when all are ASCII, which is valid UTF-8 without checking.
            var seen: UInt8 = 0
            scan: while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return try text(UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]), ascii: seen < 0x80, at: start)
                case UInt8(ascii: "\\"), ..<0x20: break scan
                default:
                    seen |= byte
                    index += 1
                }
            }
            var out = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""): return try text(out, ascii: seen < 0x80, at: start)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { throw error("unexpected end in an escape") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                                throw error("a high surrogate without its low half")
                            }
                            index += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw error("a high surrogate without its low half") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        // Only a surrogate is not a scalar, and a high one has been paired above.
                        guard let scalar = Unicode.Scalar(code) else { throw error("a low surrogate without its high half") }
                        UTF8.encode(scalar) { out.append($0) }
                    default: throw error("unknown escape")
                    }
                case ..<0x20: throw error("a control character in a string")
                default:
                    seen |= byte
                    out.append(byte)
                }
            }
            throw error("unterminated string")
        }

        /// The string of a string's bytes, checked as UTF-8 unless they are all ASCII.
        /// - Parameter start: where the string's text begins, for the error.
        func text(_ utf8: some Collection<UInt8>, ascii: Bool, at start: Int) throws(ParseError) -> String {
            if ascii { return String(decoding: utf8, as: UTF8.self) }
            guard let text = String(validating: utf8, as: UTF8.self) else {
                throw ParseError(offset: start, reason: "a string that is not valid UTF-8")
            }
            return text
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard bytes.count - index >= 4 else { throw error("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                index += 1
                let digit: UInt32 =
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
                    default: throw error("bad hex digit in \\u escape")
                    }
                value = value * 16 + digit
            }
            return value
        }
    }
}
