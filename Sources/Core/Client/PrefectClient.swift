#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif
package import Logging
import JSONValue

/// An async client of the Prefect 3 REST API.
///
/// ```swift
/// let client = PrefectClient(settings: settings)
/// let late = try await client.send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: .late)))
/// ```
///
/// Every method throws ``PrefectError`` (or `CancellationError`). Requests run concurrently: the actor only guards
/// the CSRF token, and it is not held across the network wait.
package actor PrefectClient {
    /// What the client needs to know, resolved from ``PrefectSettings``.
    package struct Configuration: Sendable {
        package var apiURL: URL
        package var credential: Credential?
        /// Seconds for one request.
        package var timeout: Double
        package var retry: RetryPolicy
        package var userAgent: String

        package init(apiURL: URL, credential: Credential? = nil, timeout: Double = PrefectSettings.defaultTimeout, retry: RetryPolicy = RetryPolicy(), userAgent: String = "prefect-mcp") {
            self.apiURL = apiURL
            self.credential = credential
            self.timeout = timeout
            self.retry = retry
            self.userAgent = userAgent
        }

        package init(settings: PrefectSettings, userAgent: String = "prefect-mcp") {
            self.init(apiURL: settings.apiURL.value, credential: settings.credential, timeout: settings.timeout.value, userAgent: userAgent)
        }
    }

    /// The API version this client speaks (`X-PREFECT-API-VERSION`).
    package static let apiVersion = "0.8.4"

    package nonisolated let configuration: Configuration
    private let transport: any HTTPTransport
    private let logger: Logger
    private let clientID = UUID().uuidString.lowercased()
    private var csrf: CSRFState = .unknown
    /// Bumped by each CSRF refresh; a request remembers the generation it was built with.
    private var csrfGeneration = 0
    private var csrfRefresh: Task<HTTPResponseData, any Error>?
    /// Flow and deployment names already read: they never change.
    nonisolated let names = NameCache()

    private enum CSRFState {
        case unknown
        case notNeeded
        case token(CSRFToken)
    }

    package init(configuration: Configuration, transport: any HTTPTransport, logger: Logger = Logger(label: "prefect-mcp.client")) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
    }

    /// A client over a new AsyncHTTPClient connection pool; call ``shutdown()`` when done.
    package init(settings: PrefectSettings, userAgent: String = "prefect-mcp", logger: Logger = Logger(label: "prefect-mcp.client")) {
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
                throw map(error)
            }
            let status = response.status
            if let serial { logger.trace("← #\(serial) \(status)") }
            logger.debug("\(endpoint.method.rawValue) \(endpoint.path) → \(status)")
            if (200..<300).contains(status) {
                do {
                    return try endpoint.decode(response.body)
                } catch {
                    throw PrefectError.invalidResponse(route: describe(endpoint), reason: Self.decodingReason(error))
                }
            }
            if status == 403, csrfRetries < 2, endpoint.method != .get, Self.isCSRFFailure(response.body) {
                csrfRetries += 1
                try await refreshCSRF(after: generation, for: endpoint)
                (request, generation) = try makeRequest(endpoint)
                continue
            }
            if let delay = configuration.retry.delay(afterAttempt: attempt, status: status, retryAfter: response.header("Retry-After"), jitter: Double.random(in: 0..<1)) {
                logger.info("\(endpoint.route) answered \(status); retrying in \(delay) s")
                try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                attempt += 1
                continue
            }
            throw map(status: status, body: response.body, endpoint: endpoint)
        }
    }

    // MARK: - Tracing

    private var requestSerial = 0

    /// At trace level, logs `→ #N METHOD /path?query body` (the benchmark replays these as its floor; headers, which
    /// carry the credential, are never logged) and returns N for the matching `← #N status`.
    private func traceStart(_ request: HTTPRequestData) -> Int? {
        guard logger.logLevel <= .trace else { return nil }
        requestSerial += 1
        let query = request.url.query.map { "?\($0)" } ?? ""
        let body = request.body.map { " " + String(decoding: $0, as: UTF8.self) } ?? ""
        logger.trace("→ #\(requestSerial) \(request.method) \(request.url.path)\(query)\(body)")
        return requestSerial
    }

    // MARK: - Building requests

    /// The request, and the CSRF generation its token (if any) belongs to.
    private func makeRequest<Response>(_ endpoint: Endpoint<Response>) throws -> (HTTPRequestData, Int) {
        let base = switch endpoint.base {
        case .api: configuration.apiURL
        case .cloudRoot: URL(string: ServerKind.cloudAPIRoot)!
        }
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false)
        components?.percentEncodedPath += endpoint.path
        if !endpoint.query.isEmpty { components?.queryItems = endpoint.query }
        guard let url = components?.url else {
            throw PrefectError.invalidRequest(status: 0, route: endpoint.route, detail: "cannot build a URL from \(base) and \(endpoint.path)")
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
                throw PrefectError.invalidRequest(status: 0, route: endpoint.route, detail: "cannot encode the request body: \(error)")
            }
            headers.append(("Content-Type", "application/json"))
        } else if endpoint.method == .post {
            body = Data("{}".utf8)
            headers.append(("Content-Type", "application/json"))
        }
        if endpoint.method != .get, case .token(let token) = csrf {
            headers.append(("Prefect-Csrf-Token", token.token))
            headers.append(("Prefect-Csrf-Client", clientID))
        }
        return (HTTPRequestData(method: endpoint.method.rawValue, url: url, headers: headers, body: body, timeout: configuration.timeout), csrfGeneration)
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
        guard generation == csrfGeneration else { return }
        let refresh: Task<HTTPResponseData, any Error>
        if let running = csrfRefresh {
            refresh = running
        } else {
            let (request, _) = try makeRequest(PrefectAPI.csrfToken(client: clientID))
            let transport = self.transport
            refresh = Task { try await transport.send(request) }
            csrfRefresh = refresh
        }
        let response: HTTPResponseData
        do {
            response = try await refresh.value
        } catch let error as TransportError {
            throw map(error)
        }
        if generation == csrfGeneration {
            csrfRefresh = nil
            csrfGeneration += 1
            if response.status == 422 {
                csrf = .notNeeded  // "CSRF protection is disabled."
            } else if (200..<300).contains(response.status) {
                do {
                    csrf = .token(try JSONCoding.decode(CSRFToken.self, from: response.body))
                } catch {
                    throw PrefectError.invalidResponse(route: "GET /csrf-token", reason: Self.decodingReason(error))
                }
            }
        }
        guard (200..<300).contains(response.status) || response.status == 422 else {
            throw map(status: response.status, body: response.body, endpoint: original)
        }
    }

    // MARK: - Errors

    private nonisolated func map(_ error: TransportError) -> PrefectError {
        switch error {
        case .timeout: .timeout(url: configuration.apiURL.absoluteString, seconds: configuration.timeout)
        case .unreachable(let reason): .unreachable(url: configuration.apiURL.absoluteString, reason: reason)
        }
    }

    private nonisolated func map<Response>(status: Int, body: Data, endpoint: Endpoint<Response>) -> PrefectError {
        let detail = ErrorBody.message(from: body)
        let route = describe(endpoint)
        let credential = configuration.credential?.summary ?? "no credentials"
        return switch status {
        case 401: .unauthorized(route: route, credential: credential)
        case 403: .forbidden(route: route, credential: credential, detail: detail)
        case 404: .notFound(route: route, detail: detail)
        case 400..<500: .invalidRequest(status: status, route: route, detail: detail)
        default: .serverError(status: status, route: route, detail: detail)
        }
    }

    private nonisolated func describe<Response>(_ endpoint: Endpoint<Response>) -> String {
        "\(endpoint.method.rawValue) \(endpoint.path)"
    }

    /// `missing key 'flow_id' at [3]` rather than Swift's whole DecodingError dump.
    private static func decodingReason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)' at \(path(context))"
        case .typeMismatch(let type, let context): return "expected \(type) at \(path(context))"
        case .valueNotFound(let type, let context): return "null where \(type) was expected at \(path(context))"
        case .dataCorrupted(let context): return "\(context.debugDescription) at \(path(context))"
        @unknown default: return String(describing: error)
        }
    }
}
