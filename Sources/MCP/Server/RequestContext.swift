public import JSONValue

/// What a handler knows about the request it serves, and how it reports progress.
public struct RequestContext: Sendable {
    public let requestID: RequestID
    public let era: ProtocolEra
    /// `_meta.progressToken`, when the client asked for progress.
    public let progressToken: JSONValue?
    /// The client's `{name, version}`, from `initialize` or the request envelope.
    public let clientInfo: JSONValue?
    /// The client's capabilities, from `initialize` or the request envelope.
    public let clientCapabilities: JSONValue?
    /// The answers this request carries to an earlier `input_required` (2026-07-28), by key.
    public let inputResponses: JSONValue?
    let notify: @Sendable (_ method: String, _ params: JSONValue) -> Void
    /// Sends a request to the client and awaits its result (the handshake era's server-to-client requests).
    let clientRequest: (@Sendable (_ method: String, _ params: JSONValue) async throws -> JSONValue)?

    public init(
        requestID: RequestID, era: ProtocolEra, progressToken: JSONValue? = nil, clientInfo: JSONValue? = nil,
        clientCapabilities: JSONValue? = nil, inputResponses: JSONValue? = nil,
        notify: @escaping @Sendable (_ method: String, _ params: JSONValue) -> Void = { _, _ in },
        clientRequest: (@Sendable (_ method: String, _ params: JSONValue) async throws -> JSONValue)? = nil
    ) {
        self.requestID = requestID
        self.era = era
        self.progressToken = progressToken
        self.clientInfo = clientInfo
        self.clientCapabilities = clientCapabilities
        self.inputResponses = inputResponses
        self.notify = notify
        self.clientRequest = clientRequest
    }

    /// Sends `notifications/progress` when the client gave a progress token; does nothing otherwise.
    /// - Parameters:
    ///   - progress: work done so far; must grow from call to call.
    ///   - total: the work in all, when known.
    public func reportProgress(_ progress: Double, total: Double? = nil, message: String? = nil) {
        guard let progressToken else { return }
        var params: [String: JSONValue] = ["progressToken": progressToken, "progress": .double(progress)]
        if let total { params["total"] = .double(total) }
        if let message { params["message"] = .string(message) }
        notify("notifications/progress", .object(params))
    }
}
