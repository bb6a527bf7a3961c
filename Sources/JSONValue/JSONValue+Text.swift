/// JSON text straight from the value, without an `Encoder`: the same bytes `JSONEncoder` writes with
/// `[.sortedKeys, .withoutEscapingSlashes]`, several times faster (every tool result and protocol message is
/// written this way).
extension JSONValue {
    /// Compact UTF-8 JSON: keys sorted by their UTF-8 bytes, `/` unescaped, non-ASCII written as is.
    public var jsonBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(into: &out)
        return out
    }

    public var jsonText: String { String(decoding: jsonBytes, as: UTF8.self) }

    /// `jsonBytes.count`, counted without writing the text (a byte budget measures rows this way).
    public var jsonByteCount: Int {
        switch self {
        case .null: 4
        case .bool(let value): value ? 4 : 5
        case .int(let value): String(value).utf8.count
        case .double(let value): Self.number(value).utf8.count
        case .string(let value): Self.byteCount(string: value)
        case .array(let items): items.reduce(2 + max(0, items.count - 1)) { $0 + $1.jsonByteCount }
        case .object(let members): members.reduce(2 + max(0, members.count - 1)) { $0 + Self.byteCount(string: $1.key) + 1 + $1.value.jsonByteCount }
        }
    }

    /// Writes an object of `members` and one more member, `name`, whose value is JSON text already written (a tool
    /// result's structured content, whose text the result carries anyway): the bytes `write` would give for the
    /// object with that member, without walking the value again.
    public static func writeObject(_ members: [String: JSONValue], adding name: String, json: [UInt8], into out: inout [UInt8]) {
        var members = members
        members[name] = nil
        writeObject(members, raw: (name, json), into: &out)
    }

    /// An object's members sorted by their UTF-8 bytes, with `raw`, when given, written as it is at its place.
    private static func writeObject(_ members: [String: JSONValue], raw: (name: String, json: [UInt8])?, into out: inout [UInt8]) {
        var raw = raw
        var first = true
        func separate() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
        }
        func writeRaw(before key: String?) {
            guard let pending = raw, key.map({ pending.name.utf8.lexicographicallyPrecedes($0.utf8) }) ?? true else { return }
            separate()
            write(string: pending.name, into: &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: pending.json)
            raw = nil
        }
        out.append(UInt8(ascii: "{"))
        // Sorting the members, not the keys, spares a hash lookup per key.
        for member in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            writeRaw(before: member.key)
            separate()
            write(string: member.key, into: &out)
            out.append(UInt8(ascii: ":"))
            member.value.write(into: &out)
        }
        writeRaw(before: nil)
        out.append(UInt8(ascii: "}"))
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .double(let value): out.append(contentsOf: Self.number(value).utf8)
        case .string(let value): Self.write(string: value, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            Self.writeObject(members, raw: nil, into: &out)
        }
    }

    /// `1` for 1.0, `1e+20`, `1.5e-07`, `-0`: as JSONEncoder writes doubles.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// The length of `write(string:)`'s output.
    static func byteCount(string: String) -> Int {
        withBytes(of: string) { utf8 in
            var count = 2 + utf8.count
            var index = nextEscape(in: utf8, from: 0)
            while index < utf8.count {
                switch utf8[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, 0x0D, 0x09, 0x08, 0x0C: count += 1
                default: count += 5
                }
                index = nextEscape(in: utf8, from: index + 1)
            }
            return count
        }
    }

    /// `body` on the string's UTF-8 bytes, in place when it is stored contiguously (a native string always is).
    private static func withBytes<T>(of string: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(string.utf8).withUnsafeBufferPointer(body)
    }

    /// The index of the first byte from `start` that a JSON string must escape (`"`, `\` or a control character),
    /// or the end. Eight bytes are tested at a time: a word holds one when it has a zero byte after XOR with `"`
    /// or `\` repeated, or a byte below 0x20 (the usual has-zero and has-less bit tricks; exact for "any byte").
    static func nextEscape(in utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = UnsafeRawPointer(utf8.baseAddress) {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= utf8.count {
                let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let found = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- ones &* 0x20) & ~word) & highs
                if found != 0 { break }
                index += 8
            }
        }
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index += 1
        }
        return index
    }

    /// Bytes that need no escape are copied in runs; only `"`, `\` and control characters are escaped.
    static func write(string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        withBytes(of: string) { utf8 in
            var run = 0
            var index = nextEscape(in: utf8, from: 0)
            while index < utf8.count {
                let byte = utf8[index]
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<index]))
                run = index + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    out.append(hex.utf8Start[Int(byte >> 4)])
                    out.append(hex.utf8Start[Int(byte & 0xF)])
                }
                index = nextEscape(in: utf8, from: run)
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// Indented JSON for people (`status --json`, committed snapshots): the layout `JSONEncoder` writes with
    /// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`, two spaces a level, `"key" : value`.
    public var prettyText: String {
        var out: [UInt8] = []
        writePretty(into: &out, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func writePretty(into out: inout [UInt8], indent: Int) {
        func newline(_ level: Int) {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
        }
        switch self {
        case .array(let items):
            out.append(UInt8(ascii: "["))
            if items.isEmpty { out.append(UInt8(ascii: "\n")) }
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                item.writePretty(into: &out, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            if members.isEmpty { out.append(UInt8(ascii: "\n")) }
            for (index, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                Self.write(string: member.key, into: &out)
                out.append(contentsOf: " : ".utf8)
                member.value.writePretty(into: &out, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "}"))
        default:
            write(into: &out)
        }
    }
}
