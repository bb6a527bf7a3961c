import TOMLKit

/// What the TOML files prefect-mcp reads (Prefect's `profiles.toml`, prefect-mcp's `config.toml`) share: where a
/// key is, what a value is, and why text is not TOML, for messages that name the line.
enum TOMLText {
    /// Why a file's bytes are not a TOML table, starting with the line when one is known.
    struct Unreadable: Error {
        var reason: String
    }

    /// The file's bytes as text.
    /// - Throws: ``Unreadable`` naming the line of the first byte that is not UTF-8.
    static func text(_ bytes: [UInt8]) throws(Unreadable) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Unreadable(reason: invalidUTF8Reason(bytes)) }
        return text
    }

    /// The table of a file's text; `kind` names the file in a message (`a profiles file`).
    /// - Throws: ``Unreadable`` for a NUL character (TOMLKit hands the text to C as a C string, which would silently
    ///   end there) or text that is not TOML, with its line.
    static func table(_ text: String, kind: String) throws(Unreadable) -> TOMLTable {
        if let reason = nulReason(text, kind: kind) { throw Unreadable(reason: reason) }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw Unreadable(reason: "line \(error.source.begin.line): not valid TOML: \(error.description)")
        } catch {
            throw Unreadable(reason: "not valid TOML: \(error)")
        }
    }

    /// `the number 3`, `an array`: what a value is, for a message saying it is the wrong kind.
    static func describe(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .string: "a string"
        case .int: value.int.map { "the number \($0)" } ?? "a number"
        case .double: value.double.map { "the number \($0)" } ?? "a number"
        case .bool: value.bool.map { "the boolean \($0)" } ?? "a boolean"
        case .array: "an array"
        case .table: "a table"
        case .date: "a date"
        case .time: "a time"
        case .dateTime: "a date and time"
        }
    }

    /// Where the first byte that is not UTF-8 is, as `line 3 is not valid UTF-8 (byte 0xFF at column 12)`.
    static func invalidUTF8Reason(_ bytes: [UInt8]) -> String {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var (line, column, offset) = (1, 1, 0)
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar):
                if scalar.count == 1, scalar.first == UInt8(ascii: "\n") { (line, column) = (line + 1, 1) } else { column += 1 }
                offset += scalar.count
            case .error:
                let byte = "0x" + String(bytes[offset], radix: 16, uppercase: true)
                return "line \(line) is not valid UTF-8 (byte \(byte) at column \(column)); save the file as UTF-8."
            case .emptyInput:
                return "it is not valid UTF-8."
            }
        }
    }

    /// Where the first NUL is, as `line 2 holds a NUL character (column 5)`; nil when there is none.
    static func nulReason(_ text: String, kind: String) -> String? {
        guard let nul = text.utf8.firstIndex(of: 0) else { return nil }
        let before = text.utf8[..<nul]
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { text.utf8.index(after: $0) } ?? text.startIndex
        let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        let column = text.unicodeScalars[lineStart..<nul].count + 1
        return "line \(line) holds a NUL character (column \(column)); \(kind) is text."
    }

    /// The line of each dotted key path, from a scan of the text that follows `[table]` headers (TOMLKit gives
    /// positions only for parse errors). Every prefix of a path is recorded at its first line, so `[profiles.local]`
    /// gives `["profiles", "local"]`. The text has already parsed as TOML; a key the scan misses (an inline table,
    /// an escaped quoted key) only lacks a line.
    static func keyLines(in text: String) -> [[String]: Int] {
        var lines: [[String]: Int] = [:]
        func record(_ path: [String], _ line: Int) {
            for length in 1...max(1, path.count) where lines[Array(path.prefix(length))] == nil {
                lines[Array(path.prefix(length))] = line
            }
        }
        var table: [String] = []
        var openString: String?  // the delimiter of a multi-line string that runs past the line
        let rows = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, row) in rows.enumerated() {
            let number = index + 1
            let line = Substring(row).drop { $0 == " " || $0 == "\t" }
            if let delimiter = openString {
                if line.contains(delimiter) { openString = nil }
                continue
            }
            if line.hasPrefix("[[") {
                table = ["[["] + (dottedKey(line.dropFirst(2))?.keys ?? [])  // an array of tables: never a profile
                continue
            }
            if line.hasPrefix("[") {
                table = dottedKey(line.dropFirst())?.keys ?? ["["]
                record(table, number)
                continue
            }
            guard let (keys, rest) = dottedKey(line), rest.first == "=" else { continue }
            record(table + keys, number)
            let value = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            for delimiter in ["\"\"\"", "'''"] where value.hasPrefix(delimiter) && !value.dropFirst(3).contains(delimiter) {
                openString = delimiter
            }
        }
        return lines
    }

    /// A TOML dotted key at the start of `text` (`profiles.local`, `"quoted"`, `'literal'`) and what follows it,
    /// whitespace skipped; nil when `text` does not start with a key.
    private static func dottedKey(_ text: Substring) -> (keys: [String], rest: Substring)? {
        var rest = text
        var keys: [String] = []
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard let first = rest.first else { return nil }
            if first == "\"" || first == "'" {
                var part = ""
                var index = rest.index(after: rest.startIndex)
                while index < rest.endIndex, rest[index] != first {
                    if first == "\"", rest[index] == "\\" {
                        index = rest.index(after: index)
                        guard index < rest.endIndex else { return nil }
                    }
                    part.append(rest[index])
                    index = rest.index(after: index)
                }
                guard index < rest.endIndex else { return nil }
                keys.append(part)
                rest = rest[rest.index(after: index)...]
            } else {
                let bare = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
                guard !bare.isEmpty else { return nil }
                keys.append(String(bare))
                rest = rest[bare.endIndex...]
            }
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard rest.first == "." else { return (keys, rest) }
            rest = rest.dropFirst()
        }
    }

}
