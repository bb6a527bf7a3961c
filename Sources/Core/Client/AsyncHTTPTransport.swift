import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// ``HTTPTransport`` over AsyncHTTPClient, with its own connection pool.
///
/// Every exchange, from waiting for a connection to the last byte of the body, ends within the request's timeout:
/// AsyncHTTPClient's own deadline stops once the response head has arrived, so a server that drip-feeds its body
/// would otherwise hold a request (and the process waiting on it) for as long as it likes.
package final class AsyncHTTPTransport: HTTPTransport {
    private let client: HTTPClient
    /// Responses larger than this are refused rather than buffered: Prefect's largest legitimate page (200 log lines)
    /// is a few megabytes, and a body is held several times over while it is decoded.
    package let maximumBodyBytes: Int
    /// Requests in flight at once; the rest wait their turn within their own timeout.
    private let gate: RequestGate

    /// The default cap on one response body: 32 MiB.
    package static let defaultMaximumBodyBytes = 32 << 20
    /// Connections to the server, and so requests in flight at once.
    package static let defaultConnections = 8

    package init(
        skipTLSVerification: Bool = false, connectTimeout: Double = 10, maximumBodyBytes: Int = defaultMaximumBodyBytes,
        connections: Int = defaultConnections
    ) {
        var configuration = HTTPClient.Configuration(
            timeout: HTTPClient.Configuration.Timeout(connect: .milliseconds(Int64(connectTimeout * 1000)))
        )
        if skipTLSVerification {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            configuration.tlsConfiguration = tls
        }
        configuration.redirectConfiguration = .disallow
        // AsyncHTTPClient otherwise retries a refused connection until the connect timeout: fail fast instead,
        // so a wrong URL or a stopped server is reported at once (retries of 502/503 are RetryPolicy's job).
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.maximumBodyBytes = maximumBodyBytes
        self.gate = RequestGate(capacity: connections)
    }

    package func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        let deadline = ContinuousClock.now + .milliseconds(Int64(request.timeout * 1000))
        do {
            try await gate.enter(until: deadline)
        } catch let expired as RequestGate.Expired {
            throw TransportError.busy(waiting: expired.waiting)
        }
        defer { gate.leave() }
        return try await Self.race(until: deadline) { [self] in
            do {
                return try await sendOnce(request, lastTry: false)
            } catch ChannelError.ioOnClosedChannel {
                // A kept-alive connection the server closed just as it was picked (uvicorn closes idle ones after
                // 5 s): nothing was written, so even a write is safe to send again, once, on a fresh connection.
                return try await sendOnce(request, lastTry: true)
            }
        }
    }

    private func sendOnce(_ request: HTTPRequestData, lastTry: Bool) async throws -> HTTPResponseData {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(outgoing, timeout: .milliseconds(Int64(request.timeout * 1000)))
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maximumBodyBytes {
                throw TransportError.tooLarge(limit: maximumBodyBytes, announced: length)
            }
            let bytes: ByteBuffer
            do {
                bytes = try await response.body.collect(upTo: maximumBodyBytes)
            } catch is NIOTooManyBytesError {
                throw TransportError.tooLarge(limit: maximumBodyBytes, announced: nil)
            }
            return HTTPResponseData(
                status: Int(response.status.code),
                headers: response.headers.map { (name: $0.name, value: $0.value) },
                body: Data(bytes.readableBytesView)
            )
        } catch let error as TransportError {
            throw error
        } catch let error as HTTPClientError {
            throw Self.transportError(error)
        } catch is CancellationError {
            throw CancellationError()
        } catch ChannelError.ioOnClosedChannel where !lastTry {
            throw ChannelError.ioOnClosedChannel
        } catch {
            throw TransportError.unreachable(Self.describe(error))
        }
    }

    package func shutdown() async {
        try? await client.shutdown()
    }

    // MARK: - The deadline

    /// The operation's result, or ``TransportError/timeout`` at `deadline`, whichever comes first. The operation
    /// runs in a task of its own that is cancelled, not awaited, once the deadline has passed: a body that never
    /// ends cannot hold the caller.
    private static func race<T: Sendable>(
        until deadline: ContinuousClock.Instant, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let work = Task {
                    do {
                        race.finish(.success(try await operation()))
                    } catch {
                        race.finish(.failure(error))
                    }
                }
                let timer = Task {
                    do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }  // lost the race
                    race.finish(.failure(TransportError.timeout))
                }
                race.start(continuation, tasks: [work, timer])
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// The first of several outcomes; it cancels the tasks that lost.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var tasks: [Task<Void, Never>] = []
            /// An outcome that came before the continuation was handed over.
            var early: Result<T, any Error>?
            var done = false
        }

        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T, any Error>, tasks: [Task<Void, Never>]) {
            let early: Result<T, any Error>? = state.withLock { state in
                state.tasks = tasks
                guard let early = state.early else {
                    state.continuation = continuation
                    return nil
                }
                return early
            }
            if let early {
                tasks.forEach { $0.cancel() }
                continuation.resume(with: early)
            }
        }

        func finish(_ outcome: Result<T, any Error>) {
            let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<T, any Error>?, [Task<Void, Never>]) in
                guard !state.done else { return (nil, []) }
                state.done = true
                guard let continuation = state.continuation else {
                    state.early = outcome
                    return (nil, [])
                }
                state.continuation = nil
                return (continuation, state.tasks)
            }
            tasks.forEach { $0.cancel() }
            continuation?.resume(with: outcome)
        }
    }

    // MARK: - Errors a person can act on

    private static func transportError(_ error: HTTPClientError) -> TransportError {
        switch error {
        case .deadlineExceeded, .readTimeout, .writeTimeout: .timeout
        case .connectTimeout: .unreachable("connection timed out")
        case .getConnectionFromPoolTimeout: .busy(waiting: 0)
        case .remoteConnectionClosed, .alreadyShutdown: .unreachable("the server closed the connection")
        case .invalidURL, .emptyHost, .emptyScheme: .unreachable("the URL cannot be used")
        case .tlsHandshakeTimeout: .unreachable("the TLS handshake timed out")
        case .uncleanShutdown, .bodyLengthMismatch: .unreachable("the server closed the connection before the answer was complete")
        default: .unreachable(describe(error))
        }
    }

    /// `connection refused` rather than `NIOConnectionError(host: …, dnsAError: nil, …)`; a TLS failure by its
    /// reason alone (BoringSSL's text names source files of the machine the library was built on).
    package static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("refused") || text.contains("errno: 111") { return "connection refused" }
        if text.contains("NIOConnectionError") {
            if text.contains("dnsAError: Optional") || text.contains("dnsAAAAError: Optional") { return "host name could not be resolved" }
            return "could not connect"
        }
        if error is NIOSSLError || text.contains("NIOSSL") || text.contains("BoringSSL") || text.contains("handshake") {
            return tlsReason(text)
        }
        if let code = text.split(separator: "HTTPClientError.").last?.prefix(while: \.isLetter), text.contains("HTTPClientError.") {
            // `HTTPClientError.invalidHeaderFieldValues([…])` → `the HTTP exchange failed: invalid header field values`
            let words = code.reduce(into: "") { words, character in
                words += character.isUppercase ? " " + character.lowercased() : String(character)
            }
            return "the HTTP exchange failed: \(words)"
        }
        if text.contains("connectionReset") || text.contains("errno: 104") { return "the server reset the connection" }
        return text
    }

    /// `TLS handshake failed: certificate verify failed` from BoringSSL's
    /// `error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /…/handshake.cc:393`.
    static func tlsReason(_ text: String) -> String {
        var reasons: [String] = []
        for marker in text.ranges(of: "OPENSSL_internal:") {
            let reason = text[marker.upperBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            let words = reason.lowercased().replacing("_", with: " ")
            if !words.isEmpty, !reasons.contains(words) { reasons.append(words) }
        }
        var message = "TLS handshake failed"
        if !reasons.isEmpty { message += ": " + reasons.joined(separator: "; ") }
        if reasons.contains(where: { $0.contains("certificate") }) {
            message += " (the server's certificate is not trusted here; PREFECT_API_TLS_INSECURE_SKIP_VERIFY=true skips the check)"
        } else if text.contains("uncleanShutdown") {
            message += ": the server closed the connection (is it speaking TLS?)"
        }
        return message
    }
}
