/// Why settings could not be resolved; each message says what to do.
package enum SettingsError: Error, Equatable, CustomStringConvertible {
    /// No API URL in flags, environment or the active profile.
    case missingAPIURL(checked: [String])
    /// The URL is not an absolute http(s) URL.
    case invalidAPIURL(String, source: SettingSource)
    /// A profile was asked for by name but the file has no such profile.
    case unknownProfile(String, selectedBy: SettingSource, path: String, available: [String])
    /// The profiles file exists but is not valid TOML.
    case invalidProfilesFile(path: String, reason: String)
    /// A numeric or boolean setting has a value that cannot be read.
    case invalidValue(key: String, value: String, source: SettingSource, expected: String)

    package var description: String {
        switch self {
        case .missingAPIURL(let checked):
            """
            No Prefect API URL is configured (checked: \(checked.joined(separator: ", "))).
            Set one of:
              --api-url http://127.0.0.1:4200/api
              export PREFECT_API_URL=http://127.0.0.1:4200/api
              prefect profile use NAME   (a profile that sets PREFECT_API_URL)
            prefect-mcp never starts a temporary server on its own.
            """
        case .invalidAPIURL(let value, let source):
            "The API URL '\(value)' from \(source) is not an absolute http(s) URL; expected e.g. http://127.0.0.1:4200/api."
        case .unknownProfile(let name, let selectedBy, let path, let available):
            "Profile '\(name)' (from \(selectedBy)) is not in \(path). "
                + (available.isEmpty ? "The file has no profiles." : "Available: \(available.joined(separator: ", ")).")
        case .invalidProfilesFile(let path, let reason):
            "The profiles file \(path) is not valid TOML: \(reason)"
        case .invalidValue(let key, let value, let source, let expected):
            "\(key)='\(value)' from \(source) is not valid: expected \(expected)."
        }
    }
}
