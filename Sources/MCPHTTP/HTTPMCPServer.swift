public import FoundationEssentials
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import JSONValue
import Logging
public import MCP
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization

/// MCP over Streamable HTTP, both protocol eras in one process: 2026-07-28 requests are stateless (each POST is served
/// by a server of its own, answered as JSON or, when it reports progress, as its own event stream); handshake-era
/// clients get a session from `initialize`. Origin, authentication, body size, concurrency and a per-request
/// deadline are checked before any handler runs; none of them can bring the process down.
public final class HTTPMCPServer: Sendable {
    let options: HTTPServerOptions
    /// A server for one modern request or one session: the caller's tools (its credentials, whether it may write).
    let makeServer: @Sendable (HTTPCaller) async throws(CallerRefusal) -> ServerLease
    /// Who a caller is, as far as serving goes (its name and the Prefect credentials it sends): a session's later
    /// requests must come from whoever opened it. Compared, never logged.
    let identify: @Sendable (HTTPCaller) throws(CallerRefusal) -> String
    /// `/healthz`: whether the process can do its work (Prefect reachable), and what to say.
    let health: @Sendable () async -> (healthy: Bool, body: JSONValue)
    let log: @Sendable (String) -> Void
    let sessions: HTTPSessions
    let oauth: OAuthVerifier?
    let running = Atomic<Int>(0)
    /// Set by ``drain(within:)``: new requests are refused, streams end.
    let draining = Atomic<Bool>(false)
    /// The handlers running now, so a drain can cancel the ones that outlive it.
    let handlers = Mutex<[Int: Task<Void, Never>]>([:])
    private let handlerSerial = Atomic<Int>(0)
    private let group = Mutex<ServiceGroup?>(nil)

    public init(
        options: HTTPServerOptions, makeServer: @escaping @Sendable (HTTPCaller) async throws(CallerRefusal) -> ServerLease,
        identify: @escaping @Sendable (HTTPCaller) throws(CallerRefusal) -> String,
        health: @escaping @Sendable () async -> (healthy: Bool, body: JSONValue), log: @escaping @Sendable (String) -> Void
    ) {
        self.options = options
        self.makeServer = makeServer
        self.identify = identify
        self.health = health
        self.log = log
        sessions = HTTPSessions(idleTimeout: options.sessionIdleTimeout, maximum: options.maximumSessions)
        oauth = options.oauth.map(OAuthVerifier.init)
    }

    /// Serves until ``drain(within:)``; `onReady` gets the port bound (the one asked for, or a free one for 0).
    public func run(onReady: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router()
        let path = RouterPath(stringLiteral: options.path)
        router.post(path) { request, _ in await self.post(request) }
        router.get(path) { request, _ in await self.getStream(request) }
        router.delete(path) { request, _ in await self.delete(request) }
        router.get("/healthz") { _, _ in await self.healthz() }
        if let oauth = options.oauth {
            // RFC 9728: at the well-known path before the endpoint's path, and (for clients that try it) at the root.
            let metadata = Self.json(Data(oauth.metadata.jsonBytes), status: .ok)
            router.get(RouterPath(stringLiteral: "/.well-known/oauth-protected-resource" + options.path)) { _, _ in metadata }
            router.get("/.well-known/oauth-protected-resource") { _, _ in metadata }
        }
        var logger = Logger(label: "prefect-mcp.http")
        logger.logLevel = .warning
        let app = Application(
            router: router, server: try Self.serverBuilder(tls: options.tls),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in onReady(channel.localAddress?.port ?? self.options.port) }, logger: logger)
        // No signal handlers here: the caller decides when to stop, through drain(within:).
        let group = ServiceGroup(services: [app], logger: logger)
        self.group.withLock { $0 = group }
        if let oauth { Task { await oauth.refresh(unknownKey: false) } }  // keys ready before the first token, if the issuer answers
        try await group.run()
    }

    /// Stops serving: new requests get 503, requests in flight have `grace` to finish, the ones still running are
    /// cancelled and answered with an error, then the listener closes and ``run(onReady:)`` returns.
    public func drain(within grace: Duration) async {
        draining.store(true, ordering: .relaxed)
        let start = ContinuousClock.now
        while running.load(ordering: .relaxed) > 0, ContinuousClock.now - start < grace {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let left = handlers.withLock { $0.values }
        if !left.isEmpty { log("shutting down: cancelling \(left.count) request(s) still running after \(grace)") }
        left.forEach { $0.cancel() }
        while running.load(ordering: .relaxed) > 0, ContinuousClock.now - start < grace + .seconds(5) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        await group.withLock { $0 }?.triggerGracefulShutdown()
    }

    /// Reads the TLS files as serving would, so a bad one is reported before anything starts.
    /// - Throws: ``TLSFileError``.
    public static func checkTLS(_ tls: (certificateChain: String, privateKey: String)?) throws {
        _ = try serverBuilder(tls: tls)
    }

    /// HTTP/1.1, or HTTPS with the certificate chain and key read from their PEM files.
    /// - Throws: ``TLSFileError`` naming the file that cannot be read or is not PEM.
    static func serverBuilder(tls: (certificateChain: String, privateKey: String)?) throws -> HTTPServerBuilder {
        guard let tls else { return .http1() }
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(tls.certificateChain)
        } catch {
            throw TLSFileError(path: tls.certificateChain, what: "certificate chain", reason: "\(error)")
        }
        do {
            key = try NIOSSLPrivateKey(file: tls.privateKey, format: .pem)
        } catch {
            throw TLSFileError(path: tls.privateKey, what: "private key", reason: "\(error)")
        }
        guard !chain.isEmpty else { throw TLSFileError(path: tls.certificateChain, what: "certificate chain", reason: "no certificate in it") }
        let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        return try .tls(.http1(), tlsConfiguration: configuration)
    }

    // MARK: - POST

    func post(_ request: Request) async -> Response {
        let caller: HTTPCaller
        switch await admit(request) {
        case .refused(let response): return response
        case .admitted(let admitted): caller = admitted
        }
        guard !draining.load(ordering: .relaxed) else { return Self.shuttingDown }
        guard running.add(1, ordering: .relaxed).newValue <= options.maximumConcurrentRequests else {
            running.subtract(1, ordering: .relaxed)
            var response = Self.error(.serviceUnavailable, id: nil, code: JSONRPCError.internalErrorCode, "busy: too many requests at once; retry")
            response.headers[.retryAfter] = "1"
            return response
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: options.maximumBodyBytes)
        } catch {
            running.subtract(1, ordering: .relaxed)
            return Self.error(
                .contentTooLarge, id: nil, code: JSONRPCError.invalidRequestCode, "the request body is over \(options.maximumBodyBytes) bytes")
        }
        let line = Data(body.readableBytesView)
        if !caller.mayWrite, let tool = Self.toolCalled(in: line), options.writeTools.contains(tool) {
            running.subtract(1, ordering: .relaxed)
            log("refused \(tool) to \(caller.name ?? "an unnamed caller"): read-only")
            let message = "\(caller.name.map { "'\($0)'" } ?? "this caller") may only read: \(tool) changes Prefect"
            if let oauth = options.oauth, let scope = oauth.writeScope {
                return Self.insufficientScope(message, scope: scope, oauth: oauth)
            }
            return Self.error(.forbidden, id: nil, code: JSONRPCError.invalidRequestCode, message)
        }
        let response = await post(request, line: line, caller: caller)
        if !response.streams { running.subtract(1, ordering: .relaxed) }
        return response.value
    }

    /// What the request is, and the answer; a streamed answer releases its concurrency slot when the stream ends.
    private func post(_ request: Request, line: Data, caller: HTTPCaller) async -> (value: Response, streams: Bool) {
        guard case .object(let message) = (try? JSONValue(parsing: line)) ?? .null else {
            return (Self.error(.badRequest, id: nil, code: JSONRPCError.parseErrorCode, "the body is not one JSON-RPC message object"), false)
        }
        let method = message["method"]?.stringValue
        let id = message["id"].flatMap(MCP.RequestID.init)
        let params = message["params"] ?? [:]
        let headerVersion = request.headers[.mcpProtocolVersion]
        if let version = params["_meta"]?[ProtocolVersion.versionKey]?.stringValue, method != "initialize" {
            if let refused = Self.checkModernHeaders(request.headers, version: version, method: method, params: params, id: id) {
                return (refused, false)
            }
            guard id != nil, method != nil else { return (Response(status: .accepted), false) }  // a notification
            let lease: ServerLease
            do {
                lease = try await makeServer(caller)
            } catch {
                return (Self.refusal(error, id: id), false)
            }
            return await answer(line, id: id, lease: lease, server: lease.server, request: request, session: nil, params: params)
        }
        if let headerVersion, !ProtocolVersion.legacy.contains(headerVersion), method != "initialize" {
            return (
                Self.error(
                    .badRequest, id: id, code: JSONRPCError.unsupportedProtocolVersionCode,
                    "MCP-Protocol-Version '\(headerVersion)' is not a handshake-era version this server speaks",
                    data: ["supported": .array((ProtocolVersion.legacy + ProtocolVersion.modern).map(JSONValue.string))]), false
            )
        }
        // A session answers for the caller (and the Prefect credentials) that opened it, no one else.
        let owner: String
        do {
            owner = try identify(caller)
        } catch {
            return (Self.refusal(error, id: id), false)
        }
        if method == "initialize" {
            let lease: ServerLease
            do {
                lease = try await makeServer(caller)
            } catch {
                return (Self.refusal(error, id: id), false)
            }
            guard let session = await sessions.open(lease, owner: owner) else {
                await lease.release()
                var refused = Self.error(.serviceUnavailable, id: id, code: JSONRPCError.internalErrorCode, "too many sessions; retry later")
                refused.headers[.retryAfter] = "30"
                return (refused, false)
            }
            var (response, streams) = await answer(line, id: id, lease: nil, server: lease.server, request: request, session: session, params: params)
            response.headers[.mcpSessionID] = session
            return (response, streams)
        }
        guard let session = request.headers[.mcpSessionID] else {
            return (
                Self.error(
                    .badRequest, id: id, code: JSONRPCError.invalidRequestCode,
                    "no Mcp-Session-Id: send initialize first, or use the 2026-07-28 protocol (params._meta)"), false
            )
        }
        guard let opened = await sessions.session(for: session) else {
            return (Self.error(.notFound, id: id, code: JSONRPCError.invalidRequestCode, "unknown or ended session: initialize again"), false)
        }
        guard owner == opened.owner else {
            return (
                Self.error(
                    .forbidden, id: id, code: JSONRPCError.invalidRequestCode,
                    "this session was opened by another caller or with other Prefect credentials: initialize a session of your own"), false
            )
        }
        guard id != nil, method != nil else {
            // A notification, or the answer to a question we asked (elicitation): the session takes it.
            await opened.lease.server.handle(line, output: DroppingSink())
            return (Response(status: .accepted), false)
        }
        return await answer(line, id: id, lease: nil, server: opened.lease.server, request: request, session: session, params: params)
    }

    /// Runs one request on `server`: JSON, or its own event stream when the client accepts one and the request may
    /// send something before its answer (progress, a question to the user). `lease`, when given, is released after.
    private func answer(
        _ line: Data, id: MCP.RequestID?, lease: ServerLease?, server: MCPServer, request: Request, session: String?, params: JSONValue
    ) async -> (Response, Bool) {
        let accepts = request.headers[.accept] ?? ""
        let streams = accepts.contains("text/event-stream") && (params["_meta"]?["progressToken"] != nil || (session != nil && params["name"] != nil))
        let deadline = options.requestDeadline
        if !streams {
            let sink = CollectingFrames()
            let finished = await run(server, line: line, output: sink, deadline: deadline)
            await lease?.release()
            guard let answer = sink.answer(to: id) else {
                return (Self.error(.ok, id: id, code: JSONRPCError.internalErrorCode, cutReason(finished: finished, deadline: deadline)), false)
            }
            return (Self.json(answer, status: Self.status(of: answer)), false)
        }
        let (frames, continuation) = AsyncStream<Data>.makeStream()
        let sink = StreamingFrames(continuation)
        let body = ResponseBody { [self] writer in
            defer { self.running.subtract(1, ordering: .relaxed) }
            let work = Task {
                let finished = await self.run(server, line: line, output: sink, deadline: deadline)
                await lease?.release()
                if !finished, let id {
                    sink.send(JSONRPCEncoding.error(id: id, .internalError(self.cutReason(finished: false, deadline: deadline))))
                }
                continuation.finish()
            }
            do {
                for await frame in frames {
                    var buffer = ByteBuffer(string: "event: message\ndata: ")
                    buffer.writeBytes(frame)
                    buffer.writeString("\n\n")
                    try await writer.write(buffer)
                }
                try await writer.finish(nil)
            } catch {
                work.cancel()  // the client went away: its handler stops
            }
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        headers[.xAccelBuffering] = "no"
        return (Response(status: .ok, headers: headers, body: body), true)
    }

    private func cutReason(finished: Bool, deadline: Duration) -> String {
        if finished { return "no answer" }
        return draining.load(ordering: .relaxed)
            ? "the server is shutting down: the request was cancelled; send it again"
            : "the request took longer than \(deadline) and was cancelled"
    }

    /// `handle`, cancelled after `deadline` or by a drain; false when either cut it.
    private func run(_ server: MCPServer, line: Data, output: any FrameSink, deadline: Duration) async -> Bool {
        let serial = handlerSerial.add(1, ordering: .relaxed).newValue
        let work = Task { await server.handle(line, output: output) }
        handlers.withLock { $0[serial] = work }
        let watchdog = Task {
            try await Task.sleep(for: deadline)
            work.cancel()
        }
        await withTaskCancellationHandler {
            await work.value
        } onCancel: {
            work.cancel()
        }
        handlers.withLock { _ = $0.removeValue(forKey: serial) }
        watchdog.cancel()
        return !work.isCancelled
    }

    // MARK: - GET, DELETE, health

    /// The handshake era's stream for server notifications (this server sends none unasked: it stays open with a
    /// keep-alive comment until the client or the session goes, or the server stops). 405 in the 2026-07-28 protocol.
    func getStream(_ request: Request) async -> Response {
        if case .refused(let response) = await admit(request) { return response }
        guard let session = request.headers[.mcpSessionID], request.headers[.mcpProtocolVersion].map(ProtocolVersion.modern.contains) != true
        else {
            return Self.methodNotAllowed
        }
        guard await sessions.contains(session) else {
            return Self.error(.notFound, id: nil, code: JSONRPCError.invalidRequestCode, "unknown or ended session")
        }
        let sessions = sessions
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        headers[.xAccelBuffering] = "no"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { [self] writer in
                var ticks = 0
                while !self.draining.load(ordering: .relaxed), await sessions.contains(session) {
                    if ticks % 15 == 0 { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                    ticks += 1
                    try await Task.sleep(for: .seconds(1))
                }
                try await writer.finish(nil)
            })
    }

    func delete(_ request: Request) async -> Response {
        if case .refused(let response) = await admit(request) { return response }
        guard let session = request.headers[.mcpSessionID] else { return Self.methodNotAllowed }
        guard await sessions.close(session) else {
            return Self.error(.notFound, id: nil, code: JSONRPCError.invalidRequestCode, "unknown or ended session")
        }
        return Response(status: .noContent)
    }

    func healthz() async -> Response {
        if draining.load(ordering: .relaxed) { return Self.json(Data(#"{"status":"shutting_down"}"#.utf8), status: .serviceUnavailable) }
        let (healthy, body) = await health()
        return Self.json(Data(body.jsonBytes), status: healthy ? .ok : .serviceUnavailable)
    }

    /// The tool a `tools/call` body names; nil for anything else.
    static func toolCalled(in line: Data) -> String? {
        guard let message = try? JSONValue(parsing: line), message["method"] == "tools/call" else { return nil }
        return message["params"]?["name"]?.stringValue
    }

    /// In 2026-07-28 the headers repeat the body (so proxies can route without reading it): a header that says
    /// otherwise is HTTP 400 with JSON-RPC -32020; an unsupported version is 400 listing the supported ones.
    static func checkModernHeaders(_ headers: HTTPFields, version: String, method: String?, params: JSONValue, id: MCP.RequestID?) -> Response? {
        guard ProtocolVersion.modern.contains(version) else {
            return error(
                .badRequest, id: id, code: JSONRPCError.unsupportedProtocolVersionCode, "Unsupported protocol version",
                data: ["supported": .array(ProtocolVersion.modern.map(JSONValue.string)), "requested": .string(version)])
        }
        if headers[.mcpProtocolVersion] != version {
            return mismatch(id, "MCP-Protocol-Version header '\(headers[.mcpProtocolVersion] ?? "")' differs from params._meta's '\(version)'")
        }
        guard let method else { return nil }
        if headers[.mcpMethod] != method {
            return mismatch(id, "Mcp-Method header '\(headers[.mcpMethod] ?? "")' differs from the body's method '\(method)'")
        }
        let name: String? =
            switch method {
            case "tools/call", "prompts/get": params["name"]?.stringValue
            case "resources/read": params["uri"]?.stringValue
            default: nil
            }
        if let name, headers[.mcpName] != name {
            return mismatch(id, "Mcp-Name header '\(headers[.mcpName] ?? "")' differs from the body's '\(name)'")
        }
        return nil
    }

    static let headerMismatchCode = -32020

    private static func mismatch(_ id: MCP.RequestID?, _ message: String) -> Response {
        error(.badRequest, id: id, code: headerMismatchCode, message)
    }

    // MARK: - Responses

    static var shuttingDown: Response {
        var response = error(.serviceUnavailable, id: nil, code: JSONRPCError.internalErrorCode, "the server is shutting down; retry")
        response.headers[.retryAfter] = "5"
        return response
    }

    /// A caller whose headers cannot be served: 400 naming what is wrong, or 503 when it is a matter of load.
    static func refusal(_ refusal: CallerRefusal, id: MCP.RequestID?) -> Response {
        var response = error(refusal.busy ? .serviceUnavailable : .badRequest, id: id, code: JSONRPCError.invalidRequestCode, refusal.message)
        if refusal.busy { response.headers[.retryAfter] = "30" }
        return response
    }

    static var methodNotAllowed: Response {
        var response = Response(status: .methodNotAllowed)
        response.headers[.allow] = "POST"
        return response
    }

    static func error(_ status: HTTPResponse.Status, id: MCP.RequestID?, code: Int, _ message: String, data: JSONValue? = nil) -> Response {
        json(JSONRPCEncoding.error(id: id, JSONRPCError(code: code, message: message, data: data)), status: status)
    }

    static func json(_ data: Data, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// 404 for an unknown method (-32601), else 200: a JSON-RPC error is an answer.
    static func status(of answer: Data) -> HTTPResponse.Status {
        let code = (try? JSONValue(parsing: answer))?["error"]?["code"]?.intValue
        return code == JSONRPCError.methodNotFoundCode ? .notFound : .ok
    }
}

extension HTTPField.Name {
    static let mcpProtocolVersion = HTTPField.Name("MCP-Protocol-Version")!
    static let mcpSessionID = HTTPField.Name("Mcp-Session-Id")!
    static let mcpMethod = HTTPField.Name("Mcp-Method")!
    static let mcpName = HTTPField.Name("Mcp-Name")!
    static let xAccelBuffering = HTTPField.Name("X-Accel-Buffering")!
}

/// A TLS file that cannot be used, named.
public struct TLSFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var what: String
    public var reason: String
    public var description: String { "the \(what) '\(path)' cannot be used: \(reason)" }
}

/// Frames kept for a JSON answer: the answer is the one with the request's id.
final class CollectingFrames: FrameSink {
    private let frames = Mutex<[Data]>([])
    func send(_ frame: Data) { frames.withLock { $0.append(frame) } }
    func flush() async {}

    func answer(to id: MCP.RequestID?) -> Data? {
        frames.withLock { $0 }.last { frame in
            guard let value = try? JSONValue(parsing: frame) else { return false }
            return value["method"] == nil && (id == nil || value["id"] == id?.json)
        }
    }
}

/// Frames passed on as they come, for an event stream.
final class StreamingFrames: FrameSink {
    private let continuation: AsyncStream<Data>.Continuation
    init(_ continuation: AsyncStream<Data>.Continuation) { self.continuation = continuation }
    func send(_ frame: Data) { continuation.yield(frame) }
    func flush() async {}
}

/// For what needs no answer.
final class DroppingSink: FrameSink {
    func send(_ frame: Data) {}
    func flush() async {}
}
