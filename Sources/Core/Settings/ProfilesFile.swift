#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TOMLKit

/// Prefect's `profiles.toml`: `active = "NAME"` and `[profiles.NAME]` tables of `PREFECT_*` keys.
package struct ProfilesFile: Sendable, Equatable {
    /// The top-level `active` key.
    package var active: String?
    /// Each profile's settings, values as strings (booleans and numbers are turned into their text).
    package var profiles: [String: [String: String]]

    package init(active: String? = nil, profiles: [String: [String: String]] = [:]) {
        self.active = active
        self.profiles = profiles
    }

    /// Parses the file's text.
    /// - Throws: ``SettingsError/invalidProfilesFile(path:reason:)`` when it is not valid TOML.
    package init(toml text: String, path: String) throws(SettingsError) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .invalidProfilesFile(path: path, reason: "line \(error.source.begin.line): \(error.description)")
        } catch {
            throw .invalidProfilesFile(path: path, reason: String(describing: error))
        }
        self.active = table["active"]?.string
        var profiles: [String: [String: String]] = [:]
        if let tables = table["profiles"]?.table {
            for (name, value) in tables {
                guard let profile = value.table else { continue }
                var settings: [String: String] = [:]
                for (key, item) in profile {
                    if let text = Self.text(of: item) { settings[key] = text }
                }
                profiles[name] = settings
            }
        }
        self.profiles = profiles
    }

    private static func text(of value: any TOMLValueConvertible) -> String? {
        if let string = value.string { return string }
        if let bool = value.bool { return bool ? "true" : "false" }
        if let int = value.int { return String(int) }
        if let double = value.double { return String(double) }
        return nil
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
