import FoundationEssentials
import TOMLKit

/// Prefect's `profiles.toml`: `active = "NAME"` and `[profiles.NAME]` tables of `PREFECT_*` keys.
///
/// ```swift
/// let file = try ProfilesFile(contents: bytes, path: "/home/ada/.prefect/profiles.toml")
/// file.profiles[file.active ?? ""]?["PREFECT_API_URL"]  // "http://127.0.0.1:4200/api"
/// ```
package struct ProfilesFile: Sendable, Equatable {
    /// The top-level `active` key, when it is a string.
    package var active: String?
    /// The `active` key when it holds something else, described for messages (`the number 3`, `an array`).
    package var unusableActive: String?
    /// Each profile's settings, values as strings (booleans and numbers are turned into their text).
    package var profiles: [String: [String: String]]
    /// Settings whose values cannot be text (an array, a table, a date), by profile then key, described for
    /// messages (`an array`). They are kept out of ``profiles`` so that a profile that needs one can say so.
    package var unusable: [String: [String: String]]
    /// The first line of each dotted key path (`["profiles", "local", "PREFECT_API_URL"]`, `["active"]`).
    private var lines: [[String]: Int]

    package init(active: String? = nil, profiles: [String: [String: String]] = [:]) {
        self.active = active
        self.unusableActive = nil
        self.profiles = profiles
        self.unusable = [:]
        self.lines = [:]
    }

    /// Parses the file's bytes, which must be UTF-8.
    /// - Throws: ``SettingsError/invalidProfilesFile(path:reason:)`` naming the line of the first byte that is not
    ///   UTF-8, and whatever ``init(toml:path:)`` throws.
    package init(contents bytes: [UInt8], path: String) throws(SettingsError) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidProfilesFile(path: path, reason: Self.invalidUTF8Reason(bytes))
        }
        try self.init(toml: text, path: path)
    }

    /// Parses the file's text.
    /// - Throws: ``SettingsError/invalidProfilesFile(path:reason:)`` when it holds a NUL character, is not valid
    ///   TOML, or `profiles` or one of its profiles is not a table, with the line where one can be found.
    package init(toml text: String, path: String) throws(SettingsError) {
        // TOMLKit hands the text to C as a C string, which would silently end at a NUL.
        if let reason = Self.nulReason(text) { throw .invalidProfilesFile(path: path, reason: reason) }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .invalidProfilesFile(path: path, reason: "line \(error.source.begin.line): not valid TOML: \(error.description)")
        } catch {
            throw .invalidProfilesFile(path: path, reason: "not valid TOML: \(error)")
        }
        let lines = Self.keyLines(in: text)
        func at(_ keys: [String]) -> String { lines[keys].map { "line \($0): " } ?? "" }

        if let active = table["active"] {
            if let name = active.string { self.active = name } else { self.unusableActive = Self.describe(active) }
        }
        var profiles: [String: [String: String]] = [:]
        var unusable: [String: [String: String]] = [:]
        if let node = table["profiles"] {
            guard let tables = node.table else {
                throw .invalidProfilesFile(path: path, reason: "\(at(["profiles"]))'profiles' is \(Self.describe(node)), not a table of profiles.")
            }
            for (name, value) in tables {
                guard let profile = value.table else {
                    let reason = "\(at(["profiles", name]))the profile '\(name)' is \(Self.describe(value)), not a table of settings."
                    throw .invalidProfilesFile(path: path, reason: reason)
                }
                var settings: [String: String] = [:]
                for (key, item) in profile {
                    if let text = Self.text(of: item) {
                        settings[key] = text
                    } else {
                        unusable[name, default: [:]][key] = Self.describe(item)
                    }
                }
                profiles[name] = settings
            }
        }
        self.profiles = profiles
        self.unusable = unusable
        self.lines = lines
    }

    /// The line of a key, when the scan found it: `line(of: ["active"])`, `line(of: ["profiles", "local", "PREFECT_API_URL"])`.
    package func line(of keys: [String]) -> Int? { lines[keys] }

    private static func text(of value: any TOMLValueConvertible) -> String? {
        if let string = value.string { return string }
        if let bool = value.bool { return bool ? "true" : "false" }
        if let int = value.int { return String(int) }
        if let double = value.double { return String(double) }
        return nil
    }

    /// `the number 3`, `an array`: what a value is, for a message saying it is the wrong kind.
    private static func describe(_ value: any TOMLValueConvertible) -> String {
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
    private static func invalidUTF8Reason(_ bytes: [UInt8]) -> String {
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
    private static func nulReason(_ text: String) -> String? {
        guard let nul = text.utf8.firstIndex(of: 0) else { return nil }
        let before = text.utf8[..<nul]
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { text.utf8.index(after: $0) } ?? text.startIndex
        let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        let column = text.unicodeScalars[lineStart..<nul].count + 1
        return "line \(line) holds a NUL character (column \(column)); a profiles file is text."
    }

    /// The line of each dotted key path, from a scan of the text that follows `[table]` headers (TOMLKit gives
    /// positions only for parse errors). Every prefix of a path is recorded at its first line, so `[profiles.local]`
    /// gives `["profiles", "local"]`. The text has already parsed as TOML; a key the scan misses (an inline table,
    /// an escaped quoted key) only lacks a line.
    private static func keyLines(in text: String) -> [[String]: Int] {
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

    /// Where Prefect looks for the file: `PREFECT_PROFILES_PATH`, else `$PREFECT_HOME/profiles.toml`,
    /// else `~/.prefect/profiles.toml`. `~` and `$PREFECT_HOME` are expanded.
    package static func path(environment: [String: String]) -> String {
        let home = environment["HOME"] ?? ""
        func expand(_ path: String) -> String {
            path.hasPrefix("~") ? home + path.dropFirst() : path
        }
        let prefectHome = expand(environment["PREFECT_HOME"] ?? "~/.prefect")
        if let explicit = environment["PREFECT_PROFILES_PATH"], !explicit.isEmpty {
            return expand(explicit.replacing("$PREFECT_HOME", with: prefectHome))
        }
        return prefectHome + "/profiles.toml"
    }
}
