public import FoundationEssentials
import JSONValue

/// A Model Context Protocol server over any line transport: both protocol eras, concurrent requests,
/// cancellation, progress, and a drain of in-flight requests at end of input.
///
/// ```swift
/// let transport = StdioTransport()
/// let server = MCPServer(info: info, registry: Registry(tools: [echo]))
/// await server.serve(transport.events(), output: transport)   // returns after EOF, every request answered
/// ```
public actor MCPServer {
    /// Where the server's own diagnostics go (stderr in the app; never stdout).
    public typealias LogSink = @Sendable (_ message: String) -> Void

    let info: ServerInfo
    let registry: Registry
    private let log: LogSink
    var era: ProtocolEra?
    var clientInfo: JSONValue?
    /// From `initialize` (the handshake era; the modern era sends them with every request).
    var clientCapabilities: JSONValue?
    private var inFlight: [RequestID: Task<Void, Never>] = [:]
    private var cancelled: Set<RequestID> = []
    /// Requests of ours to the client (elicitation in the handshake era), awaiting its answer.
    private var awaiting: [RequestID: CheckedContinuation<JSONValue, any Error>] = [:]
    private var nextOwnID = 1

    public init(info: ServerInfo, registry: Registry, log: @escaping LogSink = { _ in }) {
        self.info = info
        self.registry = registry
        self.log = log
    }

    /// Reads events until the input ends (or the calling task is cancelled), then waits for every request already
    /// received to be answered and for the output to be written.
    public func serve(_ events: AsyncStream<InputEvent>, output: any FrameSink) async {
        for await event in events {
            switch event {
            case .line(let data):
                receive(data, output: output)
            case .oversized(let count):
                log("dropped a line of \(count) bytes: longer than the limit")
                output.send(JSONRPCEncoding.error(id: nil, .invalidRequest("Invalid request: the line is \(count) bytes, over the limit")))
            case .end:
                break
            }
        }
        // No answer can come any more: a handler waiting for one ends instead of holding the drain forever.
        for (_, waiting) in awaiting { waiting.resume(throwing: ClientRequestFailed(message: "the input ended before the answer came")) }
        awaiting = [:]
        await drain()
        await output.flush()
    }

    /// One message from a transport that answers each request apart (Streamable HTTP): returns once the request's
    /// answer (and whatever it sent before it) is written to `output`, at once for a notification or a response.
    /// Cancelling the calling task cancels the request's handler (a client gone mid-stream): no answer is written.
    public func handle(_ line: Data, output: any FrameSink) async {
        guard let task = receive(line, output: output) else { return }
        await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Waits for every in-flight request.
    func drain() async {
        while let (_, task) = inFlight.first {
            await task.value
        }
    }

    // MARK: - Receiving

    /// Starts what `line` asks; returns the task answering it, for a request that started one.
    @discardableResult
    private func receive(_ line: Data, output: any FrameSink) -> Task<Void, Never>? {
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.parse(line)
        } catch {
            log("rejected a line: \(error.error.message)")
            output.send(JSONRPCEncoding.error(id: error.id, error.error))
            return nil
        }
        switch message {
        case .request(let id, let method, let params):
            return start(id: id, method: method, params: params ?? [:], output: output)
        case .notification(let method, let params):
            notification(method, params: params ?? [:])
            return nil
        case .response(let id, let result, let error):
            guard let id, let waiting = awaiting.removeValue(forKey: id) else {
                log("ignored a response to \(id.map { "\($0)" } ?? "null"): no request of ours has that id")
                return nil
            }
            if let error {
                waiting.resume(throwing: ClientRequestFailed(message: error["message"]?.stringValue ?? "the client answered an error"))
            } else {
                waiting.resume(returning: result ?? .null)
            }
            return nil
        }
    }

    /// Sends `method` to the client and awaits its answer; the handler's cancellation ends the wait.
    func requestFromClient(_ method: String, params: JSONValue, output: any FrameSink) async throws -> JSONValue {
        let id = RequestID.string("prefect-mcp-\(nextOwnID)")
        nextOwnID += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                awaiting[id] = continuation
                output.send(JSONRPCEncoding.request(id: id, method: method, params: params))
            }
        } onCancel: {
            Task { await self.abandon(id) }
        }
    }

    private func abandon(_ id: RequestID) {
        awaiting.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }

    private func notification(_ method: String, params: JSONValue) {
        switch method {
        case "notifications/cancelled":
            guard let raw = params["requestId"], let id = RequestID(raw), let task = inFlight[id] else { return }
            log("request \(id) cancelled by the client")
            cancelled.insert(id)
            task.cancel()
        default:
            break  // notifications/initialized and anything unknown need nothing
        }
    }

    private func start(id: RequestID, method: String, params: JSONValue, output: any FrameSink) -> Task<Void, Never>? {
        if era == nil {
            let enveloped = params["_meta"]?[ProtocolVersion.versionKey] != nil
            era = (method != "initialize" && enveloped) ? .modern : .legacy(version: nil)
        }
        let context: RequestContext
        switch prepare(method: method, params: params, id: id, output: output) {
        case .failure(let error):
            output.send(JSONRPCEncoding.error(id: id, error))
            return nil
        case .success(let prepared):
            context = prepared
        }
        let task = Task {
            let outcome: Result<MethodResult, JSONRPCError>?
            do {
                outcome = .success(try await self.dispatch(method: method, params: params, context: context))
            } catch is CancellationError {
                outcome = nil
            } catch let error as JSONRPCError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(.internalError("Internal error: \(error)"))
            }
            // This task inherits the actor's isolation; handlers themselves run off the actor when they suspend.
            self.finish(id: id, outcome: outcome, context: context, method: method, output: output)
        }
        inFlight[id] = task
        return task
    }

    /// Checks the request against its era and builds its context.
    private func prepare(method: String, params: JSONValue, id: RequestID, output: any FrameSink) -> Result<RequestContext, JSONRPCError> {
        let meta = params["_meta"]
        // Sent straight to the writer's queue, so a handler's progress always precedes its response.
        let notify: @Sendable (String, JSONValue) -> Void = { method, params in
            output.send(JSONRPCEncoding.notification(method: method, params: params))
        }
        switch era ?? .legacy(version: nil) {
        case .legacy(let version):
            if meta?[ProtocolVersion.versionKey] != nil {
                return .failure(
                    .invalidRequest(
                        "this connection serves the handshake protocol era; requests carrying the 2026-07-28 envelope are not accepted on it"))
            }
            let ask: @Sendable (String, JSONValue) async throws -> JSONValue = { [weak self] method, params in
                guard let self else { throw CancellationError() }
                return try await self.requestFromClient(method, params: params, output: output)
            }
            return .success(
                RequestContext(
                    requestID: id, era: .legacy(version: version), progressToken: meta?["progressToken"], clientInfo: clientInfo,
                    clientCapabilities: clientCapabilities, notify: notify, clientRequest: ask))
        case .modern:
            // Before the envelope: a handshake is refused as such, however it is dressed.
            if method == "initialize" {
                var error = unsupportedVersion(requested: params["protocolVersion"] ?? .null)
                error.message = "connection is serving the 2026-07-28 protocol; the initialize handshake is not accepted"
                return .failure(error)
            }
            guard case .object(let envelope) = meta ?? .null, envelope[ProtocolVersion.versionKey] != nil,
                envelope[ProtocolVersion.capabilitiesKey] != nil
            else {
                let missing =
                    meta?.objectValue == nil
                    ? "params._meta" : (meta?[ProtocolVersion.versionKey] == nil ? ProtocolVersion.versionKey : ProtocolVersion.capabilitiesKey)
                return .failure(
                    .invalidParams(
                        "params._meta must be an object carrying the required '\(ProtocolVersion.versionKey)' and "
                            + "'\(ProtocolVersion.capabilitiesKey)' envelope keys (missing: \(missing))"
                    ))
            }
            guard case .string(let version) = envelope[ProtocolVersion.versionKey]!, ProtocolVersion.modern.contains(version) else {
                return .failure(unsupportedVersion(requested: envelope[ProtocolVersion.versionKey]!))
            }
            guard envelope[ProtocolVersion.capabilitiesKey]?.objectValue != nil else {
                return .failure(.invalidParams("\(ProtocolVersion.capabilitiesKey) must be an object"))
            }
            return .success(
                RequestContext(
                    requestID: id, era: .modern, progressToken: envelope["progressToken"], clientInfo: envelope[ProtocolVersion.clientInfoKey],
                    clientCapabilities: envelope[ProtocolVersion.capabilitiesKey], inputResponses: params["inputResponses"], notify: notify))
        }
    }

    private func unsupportedVersion(requested: JSONValue) -> JSONRPCError {
        JSONRPCError(
            code: JSONRPCError.unsupportedProtocolVersionCode, message: "Unsupported protocol version",
            data: ["supported": .array(ProtocolVersion.modern.map(JSONValue.string)), "requested": requested])
    }

    private func finish(id: RequestID, outcome: Result<MethodResult, JSONRPCError>?, context: RequestContext, method: String, output: any FrameSink) {
        inFlight[id] = nil
        if cancelled.remove(id) != nil { return }  // a cancelled request gets no response
        switch outcome {
        case nil:
            return
        case .success(let result):
            output.send(
                JSONRPCEncoding.result(
                    id: id, decorate(result.value, method: method, context: context), structuredContent: result.structuredText))
        case .failure(let error):
            output.send(JSONRPCEncoding.error(id: id, error))
        }
    }

    /// Modern results carry `resultType` and the server's info; list, read and discover results a cache policy.
    private func decorate(_ result: JSONValue, method: String, context: RequestContext) -> JSONValue {
        guard context.era == .modern, case .object(var object) = result else { return result }
        if object["resultType"] == nil { object["resultType"] = "complete" }
        var meta = object["_meta"]?.objectValue ?? [:]
        meta[ProtocolVersion.serverInfoKey] = info.json
        object["_meta"] = .object(meta)
        switch method {
        case "tools/list", "prompts/list", "resources/list", "resources/templates/list", "server/discover":
            object["ttlMs"] = 300_000  // fixed for the life of this binary
            object["cacheScope"] = "private"
        case "resources/read":
            object["ttlMs"] = 0  // live Prefect data
            object["cacheScope"] = "private"
        default:
            break
        }
        return .object(object)
    }
}
