public import JSONValue

/// How the user answered a question a handler asked through ``RequestContext/elicit(key:message:requestedSchema:)``.
public enum ElicitationAnswer: Sendable, Equatable {
    /// The user submitted the form: its content.
    case accepted(JSONValue)
    case declined
    /// Dismissed without a choice.
    case cancelled
    /// The client cannot ask its user (it declared no `elicitation` capability).
    case unsupported
}

/// Thrown by a handler in the 2026-07-28 era to answer `input_required` (multi round-trip requests): the client asks
/// its user and calls again with the answers in `inputResponses`, under the same keys.
public struct InputRequired: Error, Sendable {
    public var requests: [String: JSONValue]
}

extension RequestContext {
    /// Whether the client said it can ask its user (`elicitation` in its capabilities).
    public var canElicit: Bool {
        clientCapabilities?["elicitation"].map { $0 != .null } ?? false
    }

    /// Asks the client's user a form question, the way the protocol era allows: in 2026-07-28 the answer is in this
    /// request's `inputResponses[key]`, else ``InputRequired`` is thrown (the client asks and calls again); in the
    /// handshake era an `elicitation/create` request is sent and awaited. ``ElicitationAnswer/unsupported`` when the
    /// client cannot ask.
    /// - Parameter requestedSchema: a flat object of primitive properties, as elicitation requires.
    public func elicit(key: String, message: String, requestedSchema: JSONValue) async throws -> ElicitationAnswer {
        guard canElicit else { return .unsupported }
        var params: [String: JSONValue] = ["message": .string(message), "requestedSchema": requestedSchema]
        let answer: JSONValue
        switch era {
        case .modern:
            guard let given = inputResponses?[key], given != .null else {
                params["mode"] = "form"
                throw InputRequired(requests: [key: ["method": "elicitation/create", "params": .object(params)]])
            }
            answer = given
        case .legacy(let version):
            guard let request = clientRequest else { return .unsupported }
            // `mode` arrived with URL elicitation in 2025-11-25; older clients know only the form.
            if (version ?? "") >= "2025-11-25" { params["mode"] = "form" }
            answer = try await request("elicitation/create", .object(params))
        }
        switch answer["action"]?.stringValue {
        case "accept": return .accepted(answer["content"] ?? [:])
        case "decline": return .declined
        default: return .cancelled
        }
    }
}

/// The client answered a request of ours with a JSON-RPC error.
public struct ClientRequestFailed: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "the client could not answer: \(message)" }
}
