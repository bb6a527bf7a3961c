import JSONValue

/// Why settings could not be resolved; each message names the setting, where it came from, and what to do.
package enum SettingsError: Error, Equatable, CustomStringConvertible {
    /// No API URL in flags, environment or the active profile.
    case missingAPIURL(checked: [String])
    /// The URL cannot be used; `problem` says which part of it is wrong.
    case invalidAPIURL(String, source: SettingSource, problem: APIURLProblem)
    /// A profile was asked for by name (or named by the file's `active` key) but the file has no such profile;
    /// `line` is where the `active` key is, when it named the profile.
    case unknownProfile(String, selectedBy: SettingSource, path: String, available: [String], line: Int? = nil)
    /// The profiles file exists but cannot be read; `reason` is the system's (`Permission denied`, `Is a directory`).
    case unreadableProfilesFile(path: String, reason: String)
    /// The profiles file was read but cannot be used: not TOML, not UTF-8, a NUL byte, a value of the wrong type.
    /// `reason` starts with the line when one is known.
    case invalidProfilesFile(path: String, reason: String)
    /// A numeric or boolean setting has a value that cannot be read.
    case invalidValue(key: String, value: String, source: SettingSource, expected: String)

    package var description: String {
        switch self {
        case .missingAPIURL(let checked):
            """
            No Prefect API URL is configured (checked: \(checked.map(\.forMessage).joined(separator: ", "))).
            Set one of:
              --api-url http://127.0.0.1:4200/api
              export PREFECT_API_URL=http://127.0.0.1:4200/api
              prefect profile use NAME   (a profile that sets PREFECT_API_URL)
            prefect-mcp never starts a temporary server on its own.
            """
        case .invalidAPIURL(let value, let source, let problem):
            problem.message(url: value.maskingURLUserinfo.forMessage, source: source.description.forMessage)
        case .unknownProfile(let name, let selectedBy, let path, let available, let line):
            unknownProfileMessage(name: name.forMessage, selectedBy: selectedBy, path: path.forMessage, available: available, line: line)
        case .unreadableProfilesFile(let path, let reason):
            "The profiles file \(path.forMessage) exists but cannot be read: \(reason.forMessage). "
                + "Make it a readable file, or point PREFECT_PROFILES_PATH at another one."
        case .invalidProfilesFile(let path, let reason):
            "The profiles file \(path.forMessage) cannot be used: \(reason.forMessage)"
        case .invalidValue(let key, let value, let source, let expected):
            "\(key.forMessage)='\(value.forMessage)' from \(source.description.forMessage) is not valid: expected \(expected)."
        }
    }

    private func unknownProfileMessage(name: String, selectedBy: SettingSource, path: String, available: [String], line: Int?) -> String {
        let list = available.isEmpty ? "The file has no profiles." : "Available: \(available.map(\.forMessage).joined(separator: ", "))."
        guard case .profile(_, key: "active") = selectedBy else {
            return "Profile '\(name)' (from \(selectedBy.description.forMessage)) is not in \(path). \(list)"
        }
        let key = line.map { "The active key at line \($0) of \(path)" } ?? "The active key of \(path)"
        return """
            \(key) names the profile '\(name)', which the file does not have. \(list)
            Prefect warns and falls back to its default profile, which sets no API URL. Run `prefect profile use NAME`, \
            or set PREFECT_API_URL or --api-url.
            """
    }
}

/// What is wrong with an API URL, so the message can name the part.
package enum APIURLProblem: Sendable, Equatable {
    /// Not `scheme://host…`, or Foundation cannot parse it.
    case notAbsoluteURL
    /// A scheme other than http or https, as written.
    case scheme(String)
    /// Nothing between `://` (or the user info) and the port or path.
    case noHost
    /// Digits outside 1…65535, as written.
    case portOutOfRange(String)
    /// A port that is empty or not all digits, as written.
    case portNotANumber(String)
    /// Whitespace, a control or an invisible formatting character, at a 1-based character position.
    case character(Unicode.Scalar, position: Int)
    /// Longer than ``SettingsResolver/maximumURLLength`` characters.
    case tooLong(characters: Int)

    /// The whole message; `url` and `source` are already clipped for display.
    fileprivate func message(url: String, source: String) -> String {
        let example = "expected e.g. http://127.0.0.1:4200/api."
        return switch self {
        case .notAbsoluteURL:
            "The API URL '\(url)' from \(source) is not an absolute http(s) URL; \(example)"
        case .scheme(let scheme):
            "The API URL '\(url)' from \(source) uses the scheme '\(scheme.forMessage)'; only http and https work, \(example)"
        case .noHost:
            "The API URL '\(url)' from \(source) has no host; \(example)"
        case .portOutOfRange(let port):
            "The port \(port.forMessage) in the API URL from \(source) is out of range (1-65535): '\(url)'."
        case .portNotANumber(let port) where port.isEmpty:
            "The API URL '\(url)' from \(source) has an empty port after ':'; give one (1-65535) or drop the ':'."
        case .portNotANumber(let port):
            "The port '\(port.forMessage)' in the API URL from \(source) is not a number (1-65535): '\(url)'."
        case .character(let scalar, let position):
            "The API URL '\(url)' from \(source) contains \(Self.name(of: scalar)) at character \(position); "
                + "a URL cannot hold whitespace or control characters (percent-encode them, e.g. %20 for a space)."
        case .tooLong(let characters):
            "The API URL from \(source) is \(characters) characters long; at most \(SettingsResolver.maximumURLLength) are accepted."
        }
    }

    private static func name(of scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return switch scalar {
        case " ": "a space (\(code))"
        case "\t": "a tab (\(code))"
        case "\n", "\r": "a line break (\(code))"
        default: "the character \(code)"
        }
    }
}

extension String {
    /// The text as a message may repeat it: cut to ``SettingsError/shownValueLimit`` characters, with control and
    /// invisible formatting characters written as `\u{1B}` so they cannot act on the terminal.
    var forMessage: String {
        var result = ""
        for scalar in echoed.unicodeScalars {
            if scalar.isHiddenInMessages {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension Unicode.Scalar {
    /// Control characters, invisible formatting characters (zero-width space, bidi overrides) and line or
    /// paragraph separators: nothing a URL or a message should carry unescaped.
    var isHiddenInMessages: Bool {
        switch properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
