/// Where one setting's value came from, so `status` and `get_identity` can say it.
package enum SettingSource: Sendable, Hashable, CustomStringConvertible {
    /// A command-line flag, such as `--api-url`.
    case flag(String)
    /// An environment variable, such as `PREFECT_API_URL`.
    case environment(String)
    /// A key of a profile in the profiles file.
    case profile(name: String, key: String)
    /// A header of the HTTP request being served (`X-Prefect-Api-Url`, with `mcp --http --allow-client-credentials`).
    case header(String)
    /// A built-in default.
    case defaultValue

    package var description: String {
        switch self {
        case .flag(let name): "flag \(name)"
        case .environment(let name): "env \(name)"
        case .profile(let name, let key): "profile '\(name)' (\(key))"
        case .header(let name): "header \(name)"
        case .defaultValue: "default"
        }
    }

    /// A short label for tables and JSON: `flag`, `env`, `profile:NAME` or `default`.
    package var label: String {
        switch self {
        case .flag: "flag"
        case .environment: "env"
        case .profile(let name, _): "profile:\(name)"
        case .header: "header"
        case .defaultValue: "default"
        }
    }
}

/// A setting's value together with where it came from.
package struct Sourced<Value: Sendable>: Sendable {
    package var value: Value
    package var source: SettingSource

    package init(_ value: Value, from source: SettingSource) {
        self.value = value
        self.source = source
    }
}

extension Sourced: Equatable where Value: Equatable {}
