import TOMLKit

/// Puts one server into a TOML configuration as its `[mcp_servers.<name>]` table (Codex CLI's `config.toml`):
/// the table is rewritten in place, or appended; every other line of the file stays as it was. In the table, the
/// keys setup writes (`command`, `args`, `env`) are replaced and any other line (a comment, `startup_timeout_sec`,
/// a `[mcp_servers.<name>.tools]` table) is kept.
enum TOMLServerEdit {
    static let managedKeys: Set<String> = ["command", "args", "env"]

    /// The new text, or nil when the file already has this command, these arguments and this environment.
    /// - Throws: ``ConfigFileError`` when the text is not TOML (with its line), or defines the server in a form
    ///   other than a `[mcp_servers.<name>]` table (an inline table or dotted keys), which is not rewritten.
    static func apply(to text: String, server name: String, entry: ServerEntry, path: String) throws(ConfigFileError) -> String? {
        let table = try parse(text, path: path)
        if let servers = table["mcp_servers"], servers.table == nil {
            throw ConfigFileError(path: path, reason: "'mcp_servers' is not a table of servers; it is left as it is")
        }
        let existing = table["mcp_servers"]?.table?[name]
        if let existing, Self.matches(existing, entry) { return nil }

        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let trailingNewline = text.hasSuffix("\n")
        if trailingNewline { lines.removeLast() }
        let ownPath = ["mcp_servers", name]
        guard let start = lines.firstIndex(where: { Self.header(of: $0) == ownPath }) else {
            if existing != nil {
                throw ConfigFileError(
                    path: path,
                    reason: "defines mcp_servers.\(name) as an inline table or with dotted keys, which setup does not rewrite; "
                        + "change it there by hand, or remove it and run setup again")
            }
            var out = text
            if !out.isEmpty && !trailingNewline { out += "\n" }
            if !out.isEmpty && !out.hasSuffix("\n\n") { out += "\n" }
            return out + Self.block(name: name, entry: entry).joined(separator: "\n") + "\n"
        }
        // The table runs to the next header that is not one of its own sub-tables; its sub-tables stay, but for
        // `env`, which setup writes inline.
        var end = start + 1
        var kept: [String] = []
        var keptTables: [String] = []
        var inEnv = false
        var inOtherTable = false
        var skipping = 0  // brackets still open in a managed key's value
        while end < lines.count {
            let line = lines[end]
            if skipping == 0, let header = Self.header(of: line) {
                guard header.count > 2, Array(header.prefix(2)) == ownPath else { break }
                inEnv = header == ownPath + ["env"]
                inOtherTable = !inEnv
                if inOtherTable { keptTables.append(line) }
                end += 1
                continue
            }
            end += 1
            if inEnv { continue }
            if inOtherTable {
                keptTables.append(line)
                continue
            }
            if skipping > 0 {
                skipping = max(0, skipping + Self.bracketBalance(line))
                continue
            }
            if let key = Self.assignedKey(line), Self.managedKeys.contains(key) {
                skipping = max(0, Self.bracketBalance(line))
                continue
            }
            kept.append(line)
        }
        // Blank lines that ended the table stay after it.
        var trailingBlank: [String] = []
        while let last = (keptTables.isEmpty ? kept.last : keptTables.last), last.trimmingSpace.isEmpty {
            trailingBlank.append(last)
            if keptTables.isEmpty { kept.removeLast() } else { keptTables.removeLast() }
        }
        let block = [lines[start]] + Self.block(name: name, entry: entry).dropFirst() + kept + keptTables + trailingBlank
        lines.replaceSubrange(start..<end, with: block)
        return lines.joined(separator: "\n") + (trailingNewline ? "\n" : "")
    }

    /// The whole file as TOMLKit reads it.
    /// - Throws: ``ConfigFileError`` naming the line TOMLKit stopped at (or a NUL, which TOMLKit would take for the end).
    static func parse(_ text: String, path: String) throws(ConfigFileError) -> TOMLTable {
        if text.contains("\0") { throw ConfigFileError(path: path, reason: "holds a NUL character: not a TOML file; it is left as it is") }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigFileError(path: path, reason: "line \(error.source.begin.line): not valid TOML (\(error.description)); it is left as it is")
        } catch {
            throw ConfigFileError(path: path, reason: "not valid TOML (\(error)); it is left as it is")
        }
    }

    /// The table setup writes.
    static func block(name: String, entry: ServerEntry) -> [String] {
        var lines = [
            "[mcp_servers.\(key(name))]", "command = \(string(entry.command))", "args = [\(entry.arguments.map(string).joined(separator: ", "))]",
        ]
        if !entry.environment.isEmpty {
            let pairs = entry.environment.sorted { $0.key < $1.key }.map { "\(key($0.key)) = \(string($0.value))" }
            lines.append("env = { \(pairs.joined(separator: ", ")) }")
        }
        return lines
    }

    /// Whether the existing table has this command, these arguments and this environment.
    static func matches(_ node: any TOMLValueConvertible, _ entry: ServerEntry) -> Bool {
        guard let table = node.table, table["command"]?.string == entry.command,
            let arguments = table["args"]?.array, arguments.count == entry.arguments.count,
            zip(arguments, entry.arguments).allSatisfy({ $0.string == $1 })
        else { return false }
        var environment: [String: String] = [:]
        for (name, value) in table["env"]?.table ?? TOMLTable() {
            guard let text = value.string else { return false }
            environment[name] = text
        }
        return environment == entry.environment
    }

    /// A TOML basic string.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A key, bare when it can be.
    static func key(_ name: String) -> String {
        let bare =
            !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains(Character($0)) || $0 == "_" || $0 == "-")
            }
        return bare ? name : string(name)
    }

    /// The key path of a `[table]` header line (not `[[array]]`), unquoted; nil for any other line.
    static func header(of line: String) -> [String]? {
        var text = Substring(line.trimmingSpace)
        guard text.hasPrefix("["), !text.hasPrefix("[[") else { return nil }
        text = text.dropFirst()
        var parts: [String] = []
        var current = ""
        var quote: Character?
        while let character = text.first {
            text = text.dropFirst()
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\", open == "\"", let next = text.first {
                    current.append(next)
                    text = text.dropFirst()
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case ".":
                parts.append(current.trimmingSpace)
                current = ""
            case "]":
                parts.append(current.trimmingSpace)
                let rest = text.trimmingSpace
                return rest.isEmpty || rest.hasPrefix("#") ? parts : nil
            default: current.append(character)
            }
        }
        return nil
    }

    /// The first key of a `key = value` line (`env` for `env.X = ...`); nil for comments, blank lines and others.
    static func assignedKey(_ line: String) -> String? {
        let text = line.trimmingSpace
        guard let first = text.first, first != "#", first != "[", let equals = text.firstIndex(of: "=") else { return nil }
        let key = text[..<equals].split(separator: ".").first.map { String($0).trimmingSpace } ?? ""
        return key.trimmingCharacters(quotes: true)
    }

    /// Opening minus closing brackets and braces outside strings: how many a multi-line value leaves open.
    static func bracketBalance(_ line: String) -> Int {
        var balance = 0
        var quote: Character?
        var escaped = false
        for character in line {
            if let open = quote {
                if escaped {
                    escaped = false
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else if character == open {
                    quote = nil
                }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "[", "{": balance += 1
            case "]", "}": balance -= 1
            case "#": return balance
            default: break
            }
        }
        return balance
    }
}

extension String {
    var trimmingSpace: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }

    func trimmingCharacters(quotes: Bool) -> String {
        guard quotes, count >= 2, let first, first == "\"" || first == "'", last == first else { return self }
        return String(dropFirst().dropLast())
    }
}

extension Substring {
    var trimmingSpace: String { String(self).trimmingSpace }
}
