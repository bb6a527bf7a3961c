package import FoundationEssentials

/// How to reach one Prefect server, with where every value came from.
package struct PrefectSettings: Sendable {
    /// The API base, normalised without a trailing `/` (e.g. `http://127.0.0.1:4200/api`).
    package var apiURL: Sourced<URL>
    /// A Prefect Cloud API key, sent as `Bearer`.
    package var apiKey: Sourced<Secret>?
    /// `user:password` for a self-hosted server with basic auth; wins over the key.
    package var authString: Sourced<Secret>?
    /// Seconds before one HTTP request gives up.
    package var timeout: Sourced<Double>
    /// Skip TLS certificate verification.
    package var tlsInsecureSkipVerify: Sourced<Bool>
    /// The profile that was active, if a profiles file was read.
    package var profile: ActiveProfile?
    /// Problems that did not stop resolution but should be shown, as Prefect prints them on stderr: an `active` key
    /// naming no profile of the file while the URL came from elsewhere.
    package var warnings: [String]

    package init(
        apiURL: Sourced<URL>,
        apiKey: Sourced<Secret>? = nil,
        authString: Sourced<Secret>? = nil,
        timeout: Sourced<Double> = Sourced(PrefectSettings.defaultTimeout, from: .defaultValue),
        tlsInsecureSkipVerify: Sourced<Bool> = Sourced(false, from: .defaultValue),
        profile: ActiveProfile? = nil,
        warnings: [String] = []
    ) {
        self.apiURL = apiURL
        self.apiKey = apiKey
        self.authString = authString
        self.timeout = timeout
        self.tlsInsecureSkipVerify = tlsInsecureSkipVerify
        self.profile = profile
        self.warnings = warnings
    }

    /// Prefect's own default for `PREFECT_API_REQUEST_TIMEOUT`.
    package static let defaultTimeout: Double = 60

    /// The longest request timeout accepted from `--timeout` or `PREFECT_API_REQUEST_TIMEOUT`, in seconds.
    package static let maximumTimeout: Double = 3600

    /// Whether `seconds` can be a request timeout: above 0 and at most ``maximumTimeout``, so never NaN or infinite
    /// (either one traps when the HTTP client turns it into a deadline).
    package static func isValidTimeout(_ seconds: Double) -> Bool {
        seconds > 0 && seconds <= maximumTimeout
    }

    /// What ``isValidTimeout(_:)`` accepts, for messages.
    package static let validTimeoutDescription = "a number of seconds above 0 and at most \(Int(maximumTimeout))"

    /// The credential that will be sent, if any: the auth string wins over the key, as in Prefect's client.
    package var credential: Credential? {
        if let authString { return .basic(authString.value, source: authString.source) }
        if let apiKey { return .bearer(apiKey.value, source: apiKey.source) }
        return nil
    }

    /// What the URL points at: Prefect Cloud (with its ids) or a self-hosted server.
    package var server: ServerKind { ServerKind(apiURL: apiURL.value) }

    /// The base of the web UI for deep links.
    package var uiURL: URL { UILinks.uiBase(forAPI: apiURL.value) }
}

/// The profile read from the profiles file.
package struct ActiveProfile: Sendable, Equatable {
    package var name: String
    /// The profiles file it came from.
    package var path: String
    /// How the profile was chosen: `--profile`, `PREFECT_PROFILE` or the file's `active` key.
    package var selectedBy: SettingSource
}

/// The credential sent on every request.
package enum Credential: Sendable, Equatable {
    case basic(Secret, source: SettingSource)
    case bearer(Secret, source: SettingSource)

    package var source: SettingSource {
        switch self {
        case .basic(_, let source), .bearer(_, let source): source
        }
    }

    /// `basic auth (env PREFECT_API_AUTH_STRING)`.
    package var summary: String {
        switch self {
        case .basic(_, let source): "basic auth (\(source))"
        case .bearer(_, let source): "API key (\(source))"
        }
    }

    /// The `Authorization` header value. Never print it.
    package var authorizationHeader: String {
        switch self {
        case .basic(let secret, _): "Basic \(Data(secret.revealed.utf8).base64EncodedString())"
        case .bearer(let secret, _): "Bearer \(secret.revealed)"
        }
    }
}
