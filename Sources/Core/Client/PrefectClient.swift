package import FoundationEssentials
import JSONValue
package import Logging
import Synchronization

/// An async client of the Prefect 3 REST API.
///
/// ```swift
/// let client = PrefectClient(settings: settings)
/// let late = try await client.send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: .late)))
/// ```
///
/// Every method throws ``PrefectError`` (or `CancellationError`). Requests, decoding and the row building of the
/// queries run concurrently, on the caller's task: the only shared state is the CSRF token, behind a lock that is
/// never held across a wait.
package final class PrefectClient: Sendable {
    /// What the client needs to know, resolved from ``PrefectSettings``.
    package struct Configuration: Sendable {
        package var apiURL: URL
        package var credential: Credential?
        /// Seconds for one request.
        package var timeout: Double
        package var retry: RetryPolicy
        package var userAgent: String
        /// Skip TLS certificate verification (the HTTP transport's choice, which Prefect's websockets follow too).
        package var tlsInsecureSkipVerify: Bool

        package init(
            apiURL: URL, credential: Credential? = nil, timeout: Double = PrefectSettings.defaultTimeout, retry: RetryPolicy = RetryPolicy(),
            userAgent: String = "prefect-mcp", tlsInsecureSkipVerify: Bool = false
        ) {
            self.apiURL = apiURL
            self.credential = credential
            self.timeout = timeout
            self.retry = retry
            self.userAgent = userAgent
            self.tlsInsecureSkipVerify = tlsInsecureSkipVerify
        }

        /// What the URL points at: Prefect Cloud (with its ids) or a self-hosted server.
        package var server: ServerKind { ServerKind(apiURL: apiURL) }

        package init(settings: PrefectSettings, userAgent: String = "prefect-mcp") {
            self.init(
                apiURL: settings.apiURL.value, credential: settings.credential, timeout: settings.timeout.value, userAgent: userAgent,
                tlsInsecureSkipVerify: settings.tlsInsecureSkipVerify.value)
        }
    }

    /// The API version this client speaks (`X-PREFECT-API-VERSION`).
    package static let apiVersion = "0.8.4"

    package let configuration: Configuration
    private let transport: any HTTPTransport
    private let logger: Logger
    private let clientID = UUID().uuidString.lowercased()
    private let csrf = Mutex(CSRFState())
    /// Numbers the requests traced at trace level.
    private let requestSerial = Atomic(0)
    /// Flow and deployment names already read: they never change.
    let names = NameCache()
    /// Workers and versions kept between answers for a short while.
    package let kept = KeptReads()

    /// The token Prefect may demand of every request that is not a GET, shared by all of them.
    private struct CSRFState {
        enum Token {
            case unknown
            case notNeeded
            case token(CSRFToken)
        }

        var token: Token = .unknown
        /// Bumped by each refresh; a request remembers the generation it was built with.
        var generation = 0
        /// The refresh under way, which every request that failed with the same generation waits for.
        var refresh: Task<HTTPResponseData, any Error>?
    }

    package init(configuration: Configuration, transport: any HTTPTransport, logger: Logger = Logger(label: "prefect-mcp.client")) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
    }

    /// A client over a new AsyncHTTPClient connection pool; call ``shutdown()`` when done.
    package convenience init(settings: PrefectSettings, userAgent: String = "prefect-mcp", logger: Logger = Logger(label: "prefect-mcp.client")) {
        self.init(
            configuration: Configuration(settings: settings, userAgent: userAgent),
            transport: AsyncHTTPTransport(skipTLSVerification: settings.tlsInsecureSkipVerify.value, connectTimeout: min(settings.timeout.value, 10)),
            logger: logger
        )
    }

    /// Closes the connection pool.
    package func shutdown() async {
        await transport.shutdown()
    }

    /// Sends one request and decodes its answer, retrying as ``RetryPolicy`` says and fetching a CSRF token
    /// once if the server demands one.
    package func send<Response>(_ endpoint: Endpoint<Response>) async throws -> Response {
        try await exchange(endpoint).response
    }

    /// Like ``send(_:)``, with the HTTP status of the answer: 201 and 200 tell a created object from one that
    /// already existed (a run whose idempotency key was used before).
    package func exchange<Response>(_ endpoint: Endpoint<Response>) async throws -> (response: Response, status: Int) {
        var (request, generation) = try makeRequest(endpoint)
        var attempt = 1
        var csrfRetries = 0
        while true {
            let response: HTTPResponseData
            let serial = traceStart(request)
            do {
                response = try await transport.send(request)
            } catch let error as TransportError {
                if let serial { logger.trace("← #\(serial) \(error)") }
                throw map(error, route: describe(endpoint))
            }
            let status = response.status
            if let serial { logger.trace("← #\(serial) \(status)") }
            logger.debug("\(endpoint.method.rawValue) \(endpoint.path) → \(status)")
            if (200..<300).contains(status) {
                do {
                    return (try endpoint.decode(response.body), status)
                } catch {
                    throw PrefectError.invalidResponse(route: describe(endpoint), reason: Self.decodingReason(error, response: response))
                }
            }
            if status == 403, csrfRetries < 2, endpoint.method != .get, Self.isCSRFFailure(response.body) {
                csrfRetries += 1
                try await refreshCSRF(after: generation, for: endpoint)
                (request, generation) = try makeRequest(endpoint)
                continue
            }
            if endpoint.write != .once,
                let delay = configuration.retry.delay(
                    afterAttempt: attempt, status: status, retryAfter: response.header("Retry-After"), jitter: Double.random(in: 0..<1))
            {
                logger.info("\(endpoint.route) answered \(status); retrying in \(delay) s")
                try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                attempt += 1
                continue
            }
            throw map(response, endpoint: endpoint)
        }
    }

    // MARK: - Tracing

    /// At trace level, logs `→ #N METHOD /path?query body` (the benchmark replays these as its floor; headers, which
    /// carry the credential, are never logged) and returns N for the matching `← #N status`.
    private func traceStart(_ request: HTTPRequestData) -> Int? {
        guard logger.logLevel <= .trace else { return nil }
        let serial = requestSerial.add(1, ordering: .relaxed).newValue
        let query = request.url.query.map { "?\($0)" } ?? ""
        let body = request.body.map { " " + String(decoding: $0, as: UTF8.self) } ?? ""
        logger.trace("→ #\(serial) \(request.method) \(request.url.path)\(query)\(body)")
        return serial
    }

    // MARK: - Building requests

    /// The request, and the CSRF generation its token (if any) belongs to.
    private func makeRequest<Response>(_ endpoint: Endpoint<Response>) throws -> (HTTPRequestData, Int) {
        let base =
            switch endpoint.base {
            case .api: configuration.apiURL
            case .cloudRoot: URL(string: ServerKind.cloudAPIRoot)!
            }
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false)
        components?.percentEncodedPath += endpoint.path
        if !endpoint.query.isEmpty { components?.queryItems = endpoint.query }
        guard let url = components?.url else {
            throw PrefectError.cannotBuildRequest(
                route: describe(endpoint), reason: "no URL can be made of \(base.displayString) and \(endpoint.path.clipped(to: 200))")
        }
        var headers: [(name: String, value: String)] = [
            ("Accept", "application/json"),
            ("User-Agent", configuration.userAgent),
            ("X-PREFECT-API-VERSION", Self.apiVersion),
        ]
        if let credential = configuration.credential {
            headers.append(("Authorization", credential.authorizationHeader))
        }
        var body: Data?
        if let payload = endpoint.body {
            do {
                body = Data(try JSONCoding.encode(payload).jsonBytes)
            } catch {
                throw PrefectError.cannotBuildRequest(route: describe(endpoint), reason: "the body does not encode: \(error)")
            }
            headers.append(("Content-Type", "application/json"))
        } else if endpoint.method == .post {
            body = Data("{}".utf8)
            headers.append(("Content-Type", "application/json"))
        }
        let (token, generation) = csrf.withLock { state -> (CSRFToken?, Int) in
            guard case .token(let token) = state.token else { return (nil, state.generation) }
            return (token, state.generation)
        }
        if endpoint.method != .get, let token {
            headers.append(("Prefect-Csrf-Token", token.token))
            headers.append(("Prefect-Csrf-Client", clientID))
        }
        return (
            HTTPRequestData(method: endpoint.method.rawValue, url: url, headers: headers, body: body, timeout: configuration.timeout), generation
        )
    }

    // MARK: - CSRF

    private static func isCSRFFailure(_ body: Data) -> Bool {
        let text = String(decoding: body, as: UTF8.self)
        return text.contains("CSRF") || text.contains("client identifier")
    }

    /// Gets a new CSRF token, once for all the requests that failed with the token of `generation`: each new token
    /// replaces the previous one on the server, so concurrent requests must share a single refresh. A request built
    /// after a refresh just retries. Failures are reported against `original`, the caller's request.
    private func refreshCSRF<Response>(after generation: Int, for original: Endpoint<Response>) async throws {
        let (request, _) = try makeRequest(PrefectAPI.csrfToken(client: clientID))
        let transport = self.transport
        let shared = csrf.withLock { state -> Task<HTTPResponseData, any Error>? in
            guard generation == state.generation else { return nil }
            if let running = state.refresh { return running }
            let refresh = Task { try await transport.send(request) }
            state.refresh = refresh
            return refresh
        }
        guard let shared else { return }
        let response: HTTPResponseData
        do {
            response = try await shared.value
        } catch let error as TransportError {
            throw map(error, route: "GET /csrf-token")
        }
        let token: Result<CSRFState.Token?, PrefectError>
        if response.status == 422 {
            token = .success(.notNeeded)  // "CSRF protection is disabled."
        } else if (200..<300).contains(response.status) {
            do {
                token = .success(.token(try JSONCoding.decode(CSRFToken.self, from: response.body)))
            } catch {
                token = .failure(.invalidResponse(route: "GET /csrf-token", reason: Self.decodingReason(error, response: response)))
            }
        } else {
            token = .success(nil)
        }
        csrf.withLock { state in
            // The first of the waiting requests to get here ends the refresh (a failed one too, so the next request
            // tries again); the others find the generation moved.
            guard generation == state.generation else { return }
            state.refresh = nil
            state.generation += 1
            if case .success(let new?) = token { state.token = new }
        }
        if case .failure(let error) = token { throw error }
        guard (200..<300).contains(response.status) || response.status == 422 else {
            throw map(response, endpoint: original)
        }
    }

    // MARK: - Errors

    /// `route` names the request in the errors that concern its answer rather than the connection.
    private func map(_ error: TransportError, route: String) -> PrefectError {
        let url = configuration.apiURL.displayString
        return switch error {
        case .timeout: .timeout(url: url, seconds: configuration.timeout)
        case .unreachable(let reason): .unreachable(url: url, reason: reason)
        case .busy(let waiting): .busy(url: url, seconds: configuration.timeout, waiting: waiting)
        case .tooLarge(let limit, let announced): .responseTooLarge(route: route, limit: limit, announced: announced)
        }
    }

    private func map<Response>(_ response: HTTPResponseData, endpoint: Endpoint<Response>) -> PrefectError {
        let status = response.status
        let route = describe(endpoint)
        let credential = configuration.credential?.summary ?? "no credentials"
        switch status {
        case 300..<400:
            return .redirected(status: status, route: route, location: response.header("Location").map { Self.shown($0) })
        case 429:
            return .rateLimited(
                route: route, retryAfter: response.header("Retry-After").flatMap { Double($0.trimmed) }.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil })
        default:
            break
        }
        let detail = ErrorBody.message(from: response.body)
        return switch status {
        case 401: .unauthorized(route: route, credential: credential)
        case 403: .forbidden(route: route, credential: credential, detail: detail)
        case 404: .notFound(route: route, detail: detail)
        case 400..<500: .invalidRequest(status: status, route: route, detail: detail)
        default: .serverError(status: status, route: route, detail: detail)
        }
    }

    /// A URL the server sent, as it may be shown: credentials masked, length bounded.
    private static func shown(_ location: String) -> String {
        (URL(string: location)?.displayString ?? location).clipped(to: 200)
    }

    private func describe<Response>(_ endpoint: Endpoint<Response>) -> String {
        "\(endpoint.method.rawValue) \(endpoint.path)"
    }

    /// `missing key 'flow_id' at [3]` rather than Swift's whole DecodingError dump; a body that is not JSON at all
    /// (an HTML page from a proxy, the web UI's address instead of the API's) says what it is.
    private static func decodingReason(_ error: any Error, response: HTTPResponseData) -> String {
        guard let error = error as? DecodingError else {
            guard error is JSONValue.ParseError else { return String(describing: error) }
            let start = String(decoding: response.body.prefix(60), as: UTF8.self).trimmed
            let type = response.header("Content-Type").map { ", content type \($0.clipped(to: 60))" } ?? ""
            let looksLikeHTML = start.lowercased().hasPrefix("<!doctype html") || start.lowercased().hasPrefix("<html")
            return "the answer is not JSON (\(response.body.count) bytes\(type), starting '\(start.clipped(to: 40))')"
                + (looksLikeHTML ? "; it is a web page: is PREFECT_API_URL the API's address (it usually ends in /api)?" : "")
        }
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)' at \(path(context))"
        case .typeMismatch(let type, let context): return "expected \(jsonKind(of: type)) at \(path(context))\(found(context))"
        case .valueNotFound(let type, let context): return "null where \(jsonKind(of: type)) was expected at \(path(context))"
        case .dataCorrupted(let context): return "\(context.debugDescription) at \(path(context))"
        @unknown default: return String(describing: error)
        }
    }

    /// What JSON a Swift type reads: `an object` for `Dictionary<String, Any>` (a keyed container), and so on.
    private static func jsonKind(of type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") { return "an object" }
        if name.hasPrefix("Array") { return "an array" }
        if name == "String" || name == "Date" || name == "UUID" { return "a string" }
        if name == "Bool" { return "true or false" }
        if name.hasPrefix("Int") || name.hasPrefix("UInt") || name == "Double" || name == "Float" { return "a number" }
        return "a value of another kind"
    }

    /// `, found an array` from the decoder's `… but found an array instead.`
    private static func found(_ context: DecodingError.Context) -> String {
        guard let range = context.debugDescription.firstRange(of: "but found ") else { return "" }
        let kind = context.debugDescription[range.upperBound...].replacing(" instead.", with: "")
        return kind.isEmpty ? "" : ", found \(kind)"
    }
}
