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
    /// The request waited its whole timeout for a connection, behind `waiting` others of this process.
    case busy(url: String, seconds: Double, waiting: Int)
    /// The body was longer than `limit` bytes (`announced` is the length the server announced, when it did).
    case responseTooLarge(route: String, limit: Int, announced: Int?)
    /// 3xx: redirects are not followed, since they could take the credential elsewhere.
    case redirected(status: Int, route: String, location: String?)
    /// 429, still after the retries; `retryAfter` is the server's `Retry-After` in seconds, when it sent one.
    case rateLimited(route: String, retryAfter: Double?)
    /// The request could not be built (a name that makes no URL, a body that does not encode).
    case cannotBuildRequest(route: String, reason: String)

    package var description: String {
        switch self {
        case .unreachable(let url, let reason):
            "Cannot reach the Prefect API at \(url) (\(reason)). Is the server running, and is PREFECT_API_URL right?"
        case .timeout(let url, let seconds):
            "The Prefect API at \(url) did not answer within \(Self.seconds(seconds)). Raise --timeout or PREFECT_API_REQUEST_TIMEOUT if "
                + "the server is slow."
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
        case .busy(let url, let seconds, let waiting):
            "The Prefect API at \(url) is busy: this request waited \(Self.seconds(seconds)) for a connection"
                + (waiting > 1 ? ", behind \(waiting - 1) others" : "")
                + ". Try again, or raise --timeout or PREFECT_API_REQUEST_TIMEOUT."
        case .responseTooLarge(let route, let limit, let announced):
            "The answer to \(route) is larger than the \(Self.size(limit)) prefect-mcp reads"
                + (announced.map { " (the server announced \(Self.size($0)))" } ?? "")
                + "; no Prefect API page is that large. Is PREFECT_API_URL a Prefect API?"
        case .redirected(let status, let route, let location):
            "The server answered \(route) with a redirect (\(status))"
                + (location.map { " to \($0)" } ?? " without a Location")
                + ". prefect-mcp does not follow redirects, which could carry the credential elsewhere: "
                + "set PREFECT_API_URL to the API's final address."
        case .rateLimited(let route, let retryAfter):
            "Rate-limited (429) on \(route): the server asks to wait"
                + (retryAfter.map { " \(Self.seconds($0)) before retrying." } ?? " before retrying; try again in a minute.")
        case .cannotBuildRequest(let route, let reason):
            "Cannot build the request for \(route): \(reason)"
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
        case .unreachable, .timeout, .busy: true
        default: false
        }
    }

    /// `32 MiB`, `250.5 MiB`, `512 bytes`.
    private static func size(_ bytes: Int) -> String {
        guard bytes >= 1 << 20 else { return "\(bytes) bytes" }
        let mebibytes = (Double(bytes) / Double(1 << 20) * 10).rounded() / 10
        return mebibytes == mebibytes.rounded() ? "\(Int(mebibytes)) MiB" : "\(mebibytes) MiB"
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
