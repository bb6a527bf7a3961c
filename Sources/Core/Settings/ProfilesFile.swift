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
        let text: String
        do {
            text = try TOMLText.text(bytes)
        } catch {
            throw .invalidProfilesFile(path: path, reason: error.reason)
        }
        try self.init(toml: text, path: path)
    }

    /// Parses the file's text.
    /// - Throws: ``SettingsError/invalidProfilesFile(path:reason:)`` when it holds a NUL character, is not valid
    ///   TOML, or `profiles` or one of its profiles is not a table, with the line where one can be found.
    package init(toml text: String, path: String) throws(SettingsError) {
        let table: TOMLTable
        do {
            table = try TOMLText.table(text, kind: "a profiles file")
        } catch {
            throw .invalidProfilesFile(path: path, reason: error.reason)
        }
        let lines = TOMLText.keyLines(in: text)
        func at(_ keys: [String]) -> String { lines[keys].map { "line \($0): " } ?? "" }

        if let active = table["active"] {
            if let name = active.string { self.active = name } else { self.unusableActive = TOMLText.describe(active) }
        }
        var profiles: [String: [String: String]] = [:]
        var unusable: [String: [String: String]] = [:]
        if let node = table["profiles"] {
            guard let tables = node.table else {
                throw .invalidProfilesFile(
                    path: path, reason: "\(at(["profiles"]))'profiles' is \(TOMLText.describe(node)), not a table of profiles.")
            }
            for (name, value) in tables {
                guard let profile = value.table else {
                    let reason = "\(at(["profiles", name]))the profile '\(name)' is \(TOMLText.describe(value)), not a table of settings."
                    throw .invalidProfilesFile(path: path, reason: reason)
                }
                var settings: [String: String] = [:]
                for (key, item) in profile {
                    if let text = Self.text(of: item) {
                        settings[key] = text
                    } else {
                        unusable[name, default: [:]][key] = TOMLText.describe(item)
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

    /// The file where Prefect looks for it (``path(environment:)``); nil when nothing is there.
    /// - Throws: ``SettingsError/unreadableProfilesFile(path:reason:)`` when something is there but cannot be read,
    ///   and whatever ``init(contents:path:)`` throws.
    package static func read(environment: [String: String], readFile: SettingsResolver.FileReader) throws(SettingsError) -> ProfilesFile? {
        let path = path(environment: environment)
        switch readFile(path) {
        case .missing: return nil
        case .contents(let bytes): return try ProfilesFile(contents: bytes, path: path)
        case .unreadable(let reason): throw .unreadableProfilesFile(path: path, reason: reason)
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
