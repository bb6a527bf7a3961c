import FoundationEssentials
import JSONValue

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
    /// What reading a file found.
    package enum FileRead: Sendable, Equatable {
        /// Nothing at the path (or a folder on the way is missing): Prefect then reads no profiles.
        case missing
        /// The file's bytes.
        case contents([UInt8])
        /// Something is there but cannot be read; `reason` is the system's (`Permission denied`, `Is a directory`).
        case unreadable(reason: String)
    }

    /// Reads a whole file: ``readFile`` in the app, an in-memory table in tests.
    package typealias FileReader = @Sendable (String) -> FileRead

    /// The longest API URL accepted, in characters; the HTTP client traps on far longer ones.
    package static let maximumURLLength = 2048

    package static func resolve(
        overrides: SettingsOverrides,
        environment: [String: String],
        readFile: FileReader = SettingsResolver.readFile
    ) throws(SettingsError) -> PrefectSettings {
        let selection = try selectProfile(overrides: overrides, environment: environment, readFile: readFile)
        let profile = selection.profile

        /// One key looked up in flag → env → profile order.
        func lookup(_ key: String, flag: (name: String, value: String?)? = nil) throws(SettingsError) -> Sourced<String>? {
            if let flag, let value = flag.value, !value.isEmpty { return Sourced(value, from: .flag(flag.name)) }
            if let value = environment[key], !value.isEmpty { return Sourced(value, from: .environment(key)) }
            guard let profile else { return nil }
            if let value = profile.settings[key], !value.isEmpty {
                return Sourced(value, from: .profile(name: profile.active.name, key: key))
            }
            if let kind = profile.file.unusable[profile.active.name]?[key] {
                throw profile.unusableValue(key: key, kind: kind)
            }
            return nil
        }

        guard let urlText = try lookup("PREFECT_API_URL", flag: ("--api-url", overrides.apiURL)) else {
            if let problem = selection.activeKeyProblem { throw problem.error }
            var checked = ["--api-url", "env PREFECT_API_URL"]
            if let profile {
                checked.append("profile '\(profile.active.name)' in \(profile.active.path)")
            } else {
                checked.append("profiles file \(ProfilesFile.path(environment: environment)) (no active profile)")
            }
            throw .missingAPIURL(checked: checked)
        }
        var apiURL = try parseURL(urlText)
        // `http://user:password@host/api`: the credentials are sent as basic auth (as Prefect's httpx client does)
        // unless an auth string or key is set, and are never part of the URL the rest of the program holds.
        let userinfo = apiURL.value.userinfoCredential
        apiURL.value = apiURL.value.withoutUserinfo

        var timeout = Sourced(PrefectSettings.defaultTimeout, from: .defaultValue)
        if let seconds = overrides.timeout {
            // The flag is checked when it is parsed too; this keeps every caller of resolve to the same bound.
            guard PrefectSettings.isValidTimeout(seconds) else {
                throw .invalidValue(
                    key: "PREFECT_API_REQUEST_TIMEOUT", value: String(seconds), source: .flag("--timeout"),
                    expected: PrefectSettings.validTimeoutDescription)
            }
            timeout = Sourced(seconds, from: .flag("--timeout"))
        } else if let text = try lookup("PREFECT_API_REQUEST_TIMEOUT") {
            guard let seconds = Double(text.value.trimmed), PrefectSettings.isValidTimeout(seconds) else {
                throw .invalidValue(
                    key: "PREFECT_API_REQUEST_TIMEOUT", value: text.value, source: text.source,
                    expected: PrefectSettings.validTimeoutDescription)
            }
            timeout = Sourced(seconds, from: text.source)
        }

        var skipVerify = Sourced(false, from: .defaultValue)
        if let text = try lookup("PREFECT_API_TLS_INSECURE_SKIP_VERIFY") {
            guard let flag = parseBool(text.value) else {
                throw .invalidValue(key: "PREFECT_API_TLS_INSECURE_SKIP_VERIFY", value: text.value, source: text.source, expected: "true or false")
            }
            skipVerify = Sourced(flag, from: text.source)
        }

        let apiKey = try lookup("PREFECT_API_KEY").map { Sourced(Secret($0.value), from: $0.source) }
        var authString = try lookup("PREFECT_API_AUTH_STRING").map { Sourced(Secret($0.value), from: $0.source) }
        if authString == nil, apiKey == nil, let userinfo { authString = Sourced(Secret(userinfo), from: urlText.source) }
        return PrefectSettings(
            apiURL: apiURL,
            apiKey: apiKey,
            authString: authString,
            timeout: timeout,
            tlsInsecureSkipVerify: skipVerify,
            profile: profile?.active,
            warnings: selection.activeKeyProblem.map { [$0.warning] } ?? []
        )
    }

    /// The profile in use and the file it came from.
    private struct LoadedProfile {
        var active: ActiveProfile
        var file: ProfilesFile
        var settings: [String: String] { file.profiles[active.name] ?? [:] }

        /// A setting of this profile that is an array, a table or a date, where text is needed.
        func unusableValue(key: String, kind: String) -> SettingsError {
            let line = file.line(of: ["profiles", active.name, key]).map { "line \($0): " } ?? ""
            let expected =
                key == "PREFECT_API_URL" ? "a string such as \"http://127.0.0.1:4200/api\"" : "a string, a number or a boolean"
            return .invalidProfilesFile(path: active.path, reason: "\(line)\(key) in profile '\(active.name)' is \(kind); expected \(expected).")
        }
    }

    /// Why the file's `active` key chose no profile. Prefect warns and carries on with its default profile, so
    /// this is an error only when nothing else gives the URL; otherwise it becomes a warning.
    private struct ActiveKeyProblem {
        var error: SettingsError
        var warning: String
    }

    private struct ProfileSelection {
        var profile: LoadedProfile?
        var activeKeyProblem: ActiveKeyProblem?
    }

    /// The profile chosen by `--profile`, then `PREFECT_PROFILE`, then the file's `active` key.
    /// A name given explicitly must exist; an `active` key that names no profile of the file (or is not a string)
    /// selects none, as in Prefect, and is reported as ``ProfileSelection/activeKeyProblem``.
    private static func selectProfile(
        overrides: SettingsOverrides,
        environment: [String: String],
        readFile: FileReader
    ) throws(SettingsError) -> ProfileSelection {
        let path = ProfilesFile.path(environment: environment)
        let file = try ProfilesFile.read(environment: environment, readFile: readFile)
        let available = (file?.profiles.keys).map { $0.sorted() } ?? []

        let explicit: (name: String, source: SettingSource)? =
            if let name = overrides.profile, !name.isEmpty {
                (name, .flag("--profile"))
            } else if let name = environment["PREFECT_PROFILE"], !name.isEmpty { (name, .environment("PREFECT_PROFILE")) } else { nil }

        if let explicit {
            guard let file, file.profiles[explicit.name] != nil else {
                throw .unknownProfile(explicit.name, selectedBy: explicit.source, path: path, available: available)
            }
            let active = ActiveProfile(name: explicit.name, path: path, selectedBy: explicit.source)
            return ProfileSelection(profile: LoadedProfile(active: active, file: file))
        }
        guard let file else { return ProfileSelection() }
        let line = file.line(of: ["active"])
        let at = line.map { "line \($0) of " } ?? ""
        if let kind = file.unusableActive {
            let reason =
                "\(line.map { "line \($0): " } ?? "")the active key is \(kind), not the name of a profile; write e.g. active = \"local\"."
            let warning = "The active key at \(at)\(path.forMessage) is \(kind), not the name of a profile; no profile is used."
            let error = SettingsError.invalidProfilesFile(path: path, reason: reason)
            return ProfileSelection(activeKeyProblem: ActiveKeyProblem(error: error, warning: warning))
        }
        guard let name = file.active else { return ProfileSelection() }
        guard file.profiles[name] != nil else {
            let error = SettingsError.unknownProfile(
                name, selectedBy: .profile(name: name, key: "active"), path: path, available: available, line: line)
            let warning =
                "The active key at \(at)\(path.forMessage) names the profile '\(name.forMessage)', "
                + "which the file does not have; no profile is used, as Prefect does."
            return ProfileSelection(activeKeyProblem: ActiveKeyProblem(error: error, warning: warning))
        }
        let active = ActiveProfile(name: name, path: path, selectedBy: .profile(name: name, key: "active"))
        return ProfileSelection(profile: LoadedProfile(active: active, file: file))
    }

    /// Accepts absolute http(s) URLs with a host and, if given, a port in 1…65535, and drops trailing slashes.
    /// Foundation's `URL` takes `:99999` (and turns a port too long for an `Int` into none), and the HTTP client
    /// traps on such a URL and on very long ones, so the text is checked here first.
    static func parseURL(_ text: Sourced<String>) throws(SettingsError) -> Sourced<URL> {
        func invalid(_ problem: APIURLProblem) -> SettingsError { .invalidAPIURL(text.value, source: text.source, problem: problem) }
        var value = text.value.trimmed
        if value.isLonger(than: maximumURLLength) { throw invalid(.tooLong(characters: value.count)) }
        while value.hasSuffix("/") { value.removeLast() }
        if let problem = urlProblem(value) { throw invalid(problem) }
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host?.isEmpty == false
        else {
            throw invalid(.notAbsoluteURL)
        }
        return Sourced(url, from: text.source)
    }

    /// The first problem in the URL's text that can be seen without Foundation: a character no URL holds, a
    /// scheme other than http(s), no host, a port that is not 1…65535.
    static func urlProblem(_ text: String) -> APIURLProblem? {
        for (index, character) in text.enumerated() {
            if let scalar = character.unicodeScalars.first(where: { $0.properties.isWhitespace || $0.isHiddenInMessages }) {
                return .character(scalar, position: index + 1)
            }
        }
        guard let separator = text.firstRange(of: "://") else { return .notAbsoluteURL }
        let scheme = text[..<separator.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return .notAbsoluteURL }
        guard ["http", "https"].contains(scheme.lowercased()) else { return .scheme(String(scheme)) }

        let authority = text[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        let host: Substring
        let port: Substring?
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else { return .notAbsoluteURL }
            host = hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close]
            let after = hostAndPort[hostAndPort.index(after: close)...]
            guard after.isEmpty || after.first == ":" else { return .notAbsoluteURL }
            port = after.isEmpty ? nil : after.dropFirst()
        } else if let colon = hostAndPort.firstIndex(of: ":") {
            host = hostAndPort[..<colon]
            port = hostAndPort[hostAndPort.index(after: colon)...]
        } else {
            host = hostAndPort
            port = nil
        }
        if host.isEmpty { return .noHost }
        if let port {
            guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isWholeNumber }) else { return .portNotANumber(String(port)) }
            let digits = port.drop { $0 == "0" }
            guard digits.count <= 5, let number = Int(digits), (1...65535).contains(number) else { return .portOutOfRange(String(port)) }
        }
        return nil
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
