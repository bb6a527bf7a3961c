import JSONValue

/// Puts one server into the `mcpServers` object of a JSON configuration by splicing the text: every other byte of
/// the file (other servers, other settings, their order, spacing and escapes) stays as it was.
enum JSONServerEdit {
    /// The new text, or nil when the file already has exactly this entry.
    /// - Parameters:
    ///   - entry: the server's members, in the order they are written.
    /// - Throws: ``ConfigFileError`` when the text is not JSON (with its line and column), its top level is not an
    ///   object, or `mcpServers` is not an object.
    static func apply(to text: String, container: String = "mcpServers", server name: String, entry: [(String, JSONValue)], path: String)
        throws(ConfigFileError) -> String?
    {
        let bytes = Array(text.utf8)
        let unit = indentUnit(of: text)
        let member = "\(JSONValue.string(name).jsonText): \(render(entry, depth: 2, unit: unit))"
        let containerText = "{\n\(indent(2, unit))\(member)\n\(indent(1, unit))}"
        if bytes.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
            return "{\n\(indent(1, unit))\(JSONValue.string(container).jsonText): \(containerText)\n}\n"
        }
        let root: JSONValue
        do {
            root = try JSONValue(parsing: bytes)
        } catch {
            let (line, column) = position(of: error.offset, in: bytes)
            throw ConfigFileError(path: path, reason: "line \(line), column \(column): not valid JSON (\(error.reason)); it is left as it is")
        }
        guard case .object(let members) = root else {
            throw ConfigFileError(path: path, reason: "the top level is \(root.kindName), not an object; it is left as it is")
        }
        if let servers = members[container] {
            guard case .object(let existing) = servers else {
                throw ConfigFileError(path: path, reason: "'\(container)' is \(servers.kindName), not an object of servers; it is left as it is")
            }
            if existing[name] == .object(Dictionary(entry, uniquingKeysWith: { $1 })) { return nil }
        }

        // Where things are, by byte offset (the last of a repeated name, as parsers read it).
        var rootLastEnd: Int?
        var rootSpan = 0..<0
        var containerSpan: Range<Int>?
        var containerLastEnd: Int?
        var serverSpan: Range<Int>?
        do {
            try JSONScanner.scan(bytes) { scanner in
                let start = scanner.offset
                try scanner.members { scanner, key in
                    if key == container {
                        let valueStart = scanner.offset
                        containerLastEnd = nil
                        serverSpan = nil
                        try scanner.members { scanner, key in
                            let serverStart = scanner.offset
                            try scanner.skip()
                            if key == name { serverSpan = serverStart..<scanner.offset }
                            containerLastEnd = scanner.offset
                        }
                        containerSpan = valueStart..<scanner.offset
                    } else {
                        try scanner.skip()
                    }
                    rootLastEnd = scanner.offset
                }
                rootSpan = start..<scanner.offset
            }
        } catch {
            throw ConfigFileError(path: path, reason: "could not be read for editing (\(error)); it is left as it is")
        }

        func splice(_ range: Range<Int>, _ replacement: String) -> String {
            String(decoding: bytes[..<range.lowerBound], as: UTF8.self) + replacement + String(decoding: bytes[range.upperBound...], as: UTF8.self)
        }
        if let serverSpan {
            return splice(serverSpan, render(entry, depth: 2, unit: unit))
        }
        if let containerSpan {
            if let containerLastEnd {
                return splice(containerLastEnd..<containerLastEnd, ",\n\(indent(2, unit))\(member)")
            }
            return splice(containerSpan, containerText)
        }
        let containerMember = "\(JSONValue.string(container).jsonText): \(containerText)"
        if let rootLastEnd {
            return splice(rootLastEnd..<rootLastEnd, ",\n\(indent(1, unit))\(containerMember)")
        }
        return splice(rootSpan, "{\n\(indent(1, unit))\(containerMember)\n}")
    }

    /// An object over several lines, its members in the given order; arrays of plain values on one line.
    static func render(_ members: [(String, JSONValue)], depth: Int, unit: String) -> String {
        guard !members.isEmpty else { return "{}" }
        let lines = members.map { key, value -> String in
            let text =
                if case .object(let object) = value {
                    render(object.sorted { $0.key < $1.key }, depth: depth + 1, unit: unit)
                } else if case .array(let items) = value {
                    "[" + items.map(\.jsonText).joined(separator: ", ") + "]"
                } else {
                    value.jsonText
                }
            return "\(indent(depth + 1, unit))\(JSONValue.string(key).jsonText): \(text)"
        }
        return "{\n" + lines.joined(separator: ",\n") + "\n\(indent(depth, unit))}"
    }

    static func indent(_ depth: Int, _ unit: String) -> String { String(repeating: unit, count: depth) }

    /// The file's own indentation: the leading space of its first indented member line; two spaces by default.
    static func indentUnit(of text: String) -> String {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let space = line.prefix { $0 == " " || $0 == "\t" }
            if !space.isEmpty, line.dropFirst(space.count).first == "\"" { return String(space) }
        }
        return "  "
    }

    /// The 1-based line and column of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let before = bytes[..<min(offset, bytes.count)]
        let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        return (line, String(decoding: before[lineStart...], as: UTF8.self).count + 1)
    }
}
