/// Everything that can go wrong talking to Prefect, each with a message a person can act on.
package enum PrefectError: Error, Equatable, CustomStringConvertible {
    /// Nothing answered at the URL.
    case unreachable(url: String, reason: String)
    /// The server did not answer within the timeout.
    case timeout(url: String, seconds: Double)
    /// 401: no or wrong credentials; names the credential that was sent.
    case unauthorized(route: String, credential: String)
    /// 403: the credential is not allowed to do this.
    case forbidden(route: String, credential: String, detail: String)
    /// 404.
    case notFound(route: String, detail: String)
    /// 400, 409 or 422: the request was wrong; `detail` is the server's explanation, made readable.
    case invalidRequest(status: Int, route: String, detail: String)
    /// 5xx, or another unexpected status.
    case serverError(status: Int, route: String, detail: String)
    /// The server answered 2xx with a body this client could not read.
    case invalidResponse(route: String, reason: String)

    package var description: String {
        switch self {
        case .unreachable(let url, let reason):
            "Cannot reach the Prefect API at \(url) (\(reason)). Is the server running, and is PREFECT_API_URL right?"
        case .timeout(let url, let seconds):
            "The Prefect API at \(url) did not answer within \(Self.seconds(seconds)). Raise --timeout or PREFECT_API_REQUEST_TIMEOUT if the server is slow."
        case .unauthorized(let route, let credential):
            "Unauthorized (401) on \(route) using \(credential). Check PREFECT_API_KEY (Cloud) or PREFECT_API_AUTH_STRING (self-hosted basic auth)."
        case .forbidden(let route, let credential, let detail):
            "Forbidden (403) on \(route) using \(credential): \(detail)"
        case .notFound(let route, let detail):
            "Not found (404) on \(route): \(detail)"
        case .invalidRequest(let status, let route, let detail):
            "Invalid request (\(status)) on \(route): \(detail)"
        case .serverError(let status, let route, let detail):
            "Prefect server error (\(status)) on \(route): \(detail)"
        case .invalidResponse(let route, let reason):
            "Unreadable response from \(route): \(reason)"
        }
    }

    /// Whether the failure is about credentials (the dashboard shows these differently).
    package var isAuthError: Bool {
        switch self {
        case .unauthorized, .forbidden: true
        default: false
        }
    }

    /// Whether the server could not be reached at all.
    package var isConnectionError: Bool {
        switch self {
        case .unreachable, .timeout: true
        default: false
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
