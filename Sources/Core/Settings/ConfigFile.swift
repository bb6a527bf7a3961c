import TOMLKit

/// prefect-mcp's own, optional settings file (not Prefect's): `$XDG_CONFIG_HOME/prefect-mcp/config.toml`, else
/// `~/.config/prefect-mcp/config.toml`. Only the dashboard reads it so far:
///
/// ```toml
/// [dashboard]
/// refresh = 30          # seconds between full re-reads (0.5–3600); --refresh wins
/// theme = "light"       # dark (the default) or light; --theme wins, NO_COLOR turns colours off
/// mouse = false         # clicks and the wheel (default true); --no-mouse wins
///
/// [dashboard.keys]      # a command's keys, replacing its defaults: one key or a list
/// quit = "Q"
/// refresh = ["r", "Ctrl-R"]
/// ```
///
/// Unknown keys are refused, with their line, so a typo never silently does nothing.
package struct ConfigFile: Sendable, Equatable {
    package struct Dashboard: Sendable, Equatable {
        package var refresh: Double?
        package var theme: String?
        package var mouse: Bool?
        /// Command name → its keys as written (`"Ctrl-R"`), in the file's order of keys within each list.
        package var keys: [String: [String]] = [:]

        /// The seconds `refresh` (and the dashboard's --refresh) may be.
        package static let refreshRange: ClosedRange<Double> = 0.5...3600

        package init(refresh: Double? = nil, theme: String? = nil, mouse: Bool? = nil, keys: [String: [String]] = [:]) {
            self.refresh = refresh
            self.theme = theme
            self.mouse = mouse
            self.keys = keys
        }
    }

    package var path: String
    package var dashboard = Dashboard()
    private var lines: [[String]: Int] = [:]

    /// The settings of a missing file.
    package init(path: String) {
        self.path = path
    }

    /// The line of a dotted key (`["dashboard", "keys", "quit"]`), when the scan found it.
    package func line(of keys: [String]) -> Int? { lines[keys] }

    /// `line 4: ` for messages, or nothing when the line is unknown.
    package func at(_ keys: [String]) -> String { line(of: keys).map { "line \($0): " } ?? "" }

    /// Parses the file's bytes.
    /// - Throws: ``InvalidConfigFile`` naming the line and the key: not UTF-8 or TOML, an unknown key, a value of the
    ///   wrong kind or out of range.
    package init(contents bytes: [UInt8], path: String) throws(InvalidConfigFile) {
        self.path = path
        let text: String
        let table: TOMLTable
        do {
            text = try TOMLText.text(bytes)
            table = try TOMLText.table(text, kind: "a config file")
        } catch {
            throw InvalidConfigFile(path: path, error.reason)
        }
        lines = TOMLText.keyLines(in: text)
        try checkKnown(table, at: [], known: ["dashboard"])
        guard let node = table["dashboard"] else { return }
        guard let section = node.table else { throw wrongKind(["dashboard"], node, expected: "a table ([dashboard])") }
        try checkKnown(section, at: ["dashboard"], known: ["refresh", "theme", "mouse", "keys"])
        if let value = section["refresh"] {
            guard let seconds = value.double ?? value.int.map(Double.init) else {
                throw wrongKind(["dashboard", "refresh"], value, expected: "a number of seconds")
            }
            guard Dashboard.refreshRange.contains(seconds) else {
                throw InvalidConfigFile(
                    path: path, "\(at(["dashboard", "refresh"]))dashboard.refresh is \(seconds); it must be between 0.5 and 3600 seconds.")
            }
            dashboard.refresh = seconds
        }
        if let value = section["theme"] {
            guard let theme = value.string else { throw wrongKind(["dashboard", "theme"], value, expected: "a string") }
            dashboard.theme = theme
        }
        if let value = section["mouse"] {
            guard let mouse = value.bool else { throw wrongKind(["dashboard", "mouse"], value, expected: "true or false") }
            dashboard.mouse = mouse
        }
        if let value = section["keys"] {
            guard let keys = value.table else { throw wrongKind(["dashboard", "keys"], value, expected: "a table ([dashboard.keys])") }
            for (command, item) in keys {
                let path = ["dashboard", "keys", command]
                if let key = item.string {
                    dashboard.keys[command] = [key]
                } else if let array = item.array {
                    let strings = array.compactMap(\.string)
                    guard strings.count == array.count, !strings.isEmpty else {
                        throw wrongKind(path, item, expected: "a key (\"q\") or a non-empty list of keys ([\"q\", \"Ctrl-C\"])")
                    }
                    dashboard.keys[command] = strings
                } else {
                    throw wrongKind(path, item, expected: "a key (\"q\") or a list of keys")
                }
            }
        }
    }

    private func checkKnown(_ table: TOMLTable, at prefix: [String], known: [String]) throws(InvalidConfigFile) {
        for key in table.keys.sorted() where !known.contains(key) {
            let name = (prefix + [key]).joined(separator: ".")
            let where_ = prefix.isEmpty ? "at the top" : "in [\(prefix.joined(separator: "."))]"
            throw InvalidConfigFile(
                path: path, "\(at(prefix + [key]))unknown key '\(name)' \(where_); known: \(known.joined(separator: ", ")).")
        }
    }

    private func wrongKind(_ keys: [String], _ value: any TOMLValueConvertible, expected: String) -> InvalidConfigFile {
        InvalidConfigFile(path: path, "\(at(keys))\(keys.joined(separator: ".")) is \(TOMLText.describe(value)); expected \(expected).")
    }

    /// Where the file is: `$XDG_CONFIG_HOME/prefect-mcp/config.toml` when that variable holds an absolute path (as
    /// the XDG spec asks), else `$HOME/.config/prefect-mcp/config.toml`; nil without either.
    package static func path(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/prefect-mcp/config.toml" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.config/prefect-mcp/config.toml"
    }
}

/// Why prefect-mcp's config file cannot be used: the path, and the reason starting with the line when known.
package struct InvalidConfigFile: Error, Equatable, CustomStringConvertible {
    package var path: String
    package var reason: String

    package init(path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    package var description: String { "The config file \(path.forMessage) cannot be used: \(reason.forMessage)" }
}
