#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Values given on the command line; each one wins over the environment and the profile.
package struct SettingsOverrides: Sendable, Equatable {
    package var apiURL: String?
    package var profile: String?
    package var timeout: Double?

    package init(apiURL: String? = nil, profile: String? = nil, timeout: Double? = nil) {
        self.apiURL = apiURL
        self.profile = profile
        self.timeout = timeout
    }
}

/// Resolves ``PrefectSettings`` as the `prefect` CLI does: flags, then environment, then the active profile.
///
/// ```swift
/// let settings = try SettingsResolver.resolve(
///     overrides: SettingsOverrides(apiURL: nil, profile: "local"),
///     environment: ProcessInfo.processInfo.environment,
///     readFile: SettingsResolver.readFile)
/// ```
package enum SettingsResolver {
    /// Reads a file's text; nil when it does not exist.
    package typealias FileReader = @Sendable (String) -> String?

    package static func resolve(
        overrides: SettingsOverrides,
        environment: [String: String],
        readFile: FileReader = SettingsResolver.readFile
    ) throws(SettingsError) -> PrefectSettings {
        let profile = try activeProfile(overrides: overrides, environment: environment, readFile: readFile)

        /// One key looked up in flag → env → profile order.
        func lookup(_ key: String, flag: (name: String, value: String?)? = nil) -> Sourced<String>? {
            if let flag, let value = flag.value, !value.isEmpty { return Sourced(value, from: .flag(flag.name)) }
            if let value = environment[key], !value.isEmpty { return Sourced(value, from: .environment(key)) }
            if let profile, let value = profile.settings[key], !value.isEmpty {
                return Sourced(value, from: .profile(name: profile.profile.name, key: key))
            }
            return nil
        }

        guard let urlText = lookup("PREFECT_API_URL", flag: ("--api-url", overrides.apiURL)) else {
            var checked = ["--api-url", "env PREFECT_API_URL"]
            if let profile {
                checked.append("profile '\(profile.profile.name)' in \(profile.profile.path)")
            } else {
                checked.append("profiles file \(ProfilesFile.path(environment: environment)) (no active profile)")
            }
            throw .missingAPIURL(checked: checked)
        }
        let apiURL = try parseURL(urlText)

        var timeout = Sourced(PrefectSettings.defaultTimeout, from: .defaultValue)
        if let flag = overrides.timeout {
            timeout = Sourced(flag, from: .flag("--timeout"))
        } else if let text = lookup("PREFECT_API_REQUEST_TIMEOUT") {
            guard let seconds = Double(text.value), seconds > 0 else {
                throw .invalidValue(key: "PREFECT_API_REQUEST_TIMEOUT", value: text.value, source: text.source, expected: "a positive number of seconds")
            }
            timeout = Sourced(seconds, from: text.source)
        }

        var skipVerify = Sourced(false, from: .defaultValue)
        if let text = lookup("PREFECT_API_TLS_INSECURE_SKIP_VERIFY") {
            guard let flag = parseBool(text.value) else {
                throw .invalidValue(key: "PREFECT_API_TLS_INSECURE_SKIP_VERIFY", value: text.value, source: text.source, expected: "true or false")
            }
            skipVerify = Sourced(flag, from: text.source)
        }

        return PrefectSettings(
            apiURL: apiURL,
            apiKey: lookup("PREFECT_API_KEY").map { Sourced(Secret($0.value), from: $0.source) },
            authString: lookup("PREFECT_API_AUTH_STRING").map { Sourced(Secret($0.value), from: $0.source) },
            timeout: timeout,
            tlsInsecureSkipVerify: skipVerify,
            profile: profile?.profile
        )
    }

    /// Reads a whole file as UTF-8; nil when it cannot be read.
    package static let readFile: FileReader = { path in
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self) }
    }

    private struct LoadedProfile {
        var profile: ActiveProfile
        var settings: [String: String]
    }

    /// The profile chosen by `--profile`, then `PREFECT_PROFILE`, then the file's `active` key.
    /// A name given explicitly must exist; a dangling `active` is ignored, as Prefect does.
    private static func activeProfile(
        overrides: SettingsOverrides,
        environment: [String: String],
        readFile: FileReader
    ) throws(SettingsError) -> LoadedProfile? {
        let path = ProfilesFile.path(environment: environment)
        let file = try readFile(path).map { text throws(SettingsError) in try ProfilesFile(toml: text, path: path) }

        let explicit: (name: String, source: SettingSource)? =
            if let name = overrides.profile, !name.isEmpty { (name, .flag("--profile")) }
            else if let name = environment["PREFECT_PROFILE"], !name.isEmpty { (name, .environment("PREFECT_PROFILE")) }
            else { nil }

        if let explicit {
            guard let settings = file?.profiles[explicit.name] else {
                throw .unknownProfile(explicit.name, selectedBy: explicit.source, path: path, available: (file?.profiles.keys).map { $0.sorted() } ?? [])
            }
            return LoadedProfile(profile: ActiveProfile(name: explicit.name, path: path, selectedBy: explicit.source), settings: settings)
        }
        guard let file, let name = file.active, let settings = file.profiles[name] else { return nil }
        return LoadedProfile(
            profile: ActiveProfile(name: name, path: path, selectedBy: .profile(name: name, key: "active")),
            settings: settings
        )
    }

    /// Accepts absolute http(s) URLs and drops trailing slashes.
    private static func parseURL(_ text: Sourced<String>) throws(SettingsError) -> Sourced<URL> {
        var value = text.value.trimmed
        while value.hasSuffix("/") { value.removeLast() }
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else {
            throw .invalidAPIURL(text.value, source: text.source)
        }
        return Sourced(url, from: text.source)
    }

    /// Pydantic's boolean spellings.
    private static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "true", "yes", "on", "t", "y": true
        case "0", "false", "no", "off", "f", "n": false
        default: nil
        }
    }
}
