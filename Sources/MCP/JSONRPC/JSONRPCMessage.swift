public import FoundationEssentials
public import JSONValue

/// One incoming JSON-RPC 2.0 message, classified.
public enum JSONRPCMessage: Sendable, Equatable {
    /// A call that expects an answer.
    case request(id: RequestID, method: String, params: JSONValue?)
    /// A call that expects none.
    case notification(method: String, params: JSONValue?)
    /// An answer to a request of ours (elicitation in the handshake era).
    case response(id: RequestID?, result: JSONValue?, error: JSONValue?)

    /// Why a line is not a message, and the error response it deserves.
    public struct Invalid: Error, Equatable, Sendable {
        /// The id to answer with: the request's when it could be read, else null.
        public var id: RequestID?
        public var error: JSONRPCError
    }

    /// Classifies one line. Never throws anything but ``Invalid``.
    /// - Throws: `-32700` when the line is not JSON; `-32600` when it is JSON but not a JSON-RPC 2.0 message
    ///   (batches included: they were removed from MCP in 2025-06-18).
    public static func parse(_ line: Data) throws(Invalid) -> JSONRPCMessage {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: line)
        } catch {
            throw Invalid(id: nil, error: .parseError("Parse error: the line is not valid JSON (\(error))"))
        }
        guard case .object(let object) = value else {
            if case .array = value {
                throw Invalid(id: nil, error: .invalidRequest("Invalid request: JSON-RPC batches are not supported"))
            }
            throw Invalid(id: nil, error: .invalidRequest("Invalid request: a message must be a JSON object"))
        }
        let rawID = object["id"]
        let id = rawID.flatMap(RequestID.init)
        guard object["jsonrpc"] == "2.0" else {
            throw Invalid(id: id, error: .invalidRequest("Invalid request: \"jsonrpc\" must be \"2.0\""))
        }
        if let rawID, rawID != .null, id == nil {
            throw Invalid(id: nil, error: .invalidRequest("Invalid request: \"id\" must be a string or an integer"))
        }
        if let method = object["method"] {
            guard case .string(let name) = method, !name.isEmpty else {
                throw Invalid(id: id, error: .invalidRequest("Invalid request: \"method\" must be a non-empty string"))
            }
            let params = object["params"]
            if let params, params.objectValue == nil, params.arrayValue == nil {
                throw Invalid(id: id, error: .invalidRequest("Invalid request: \"params\" must be an object"))
            }
            if let id { return .request(id: id, method: name, params: params) }
            if rawID == .null {
                throw Invalid(id: nil, error: .invalidRequest("Invalid request: \"id\" must not be null"))
            }
            return .notification(method: name, params: params)
        }
        if object["result"] != nil || object["error"] != nil {
            return .response(id: id, result: object["result"], error: object["error"])
        }
        throw Invalid(id: id, error: .invalidRequest("Invalid request: no \"method\", \"result\" or \"error\""))
    }
}

/// Encodes outgoing messages as one line each (no newline inside: JSON escapes them).
public enum JSONRPCEncoding {
    public static func result(id: RequestID, _ result: JSONValue) -> Data {
        encode(["jsonrpc": "2.0", "id": id.json, "result": result])
    }

    /// A tool call's response: `result` plus its `structuredContent` member, given as JSON text already written.
    /// The same bytes as ``result(id:_:)`` with that member in `result`.
    public static func result(id: RequestID, _ result: JSONValue, structuredContent: [UInt8]?) -> Data {
        guard let structuredContent, case .object(let members) = result else { return self.result(id: id, result) }
        var out: [UInt8] = Array(#"{"id":"#.utf8)
        out.append(contentsOf: id.json.jsonBytes)
        out.append(contentsOf: #","jsonrpc":"2.0","result":"#.utf8)
        JSONValue.writeObject(members, adding: "structuredContent", json: structuredContent, into: &out)
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    /// An error response; `id` nil encodes as `null` (for parse errors).
    public static func error(id: RequestID?, _ error: JSONRPCError) -> Data {
        encode(["jsonrpc": "2.0", "id": id?.json ?? .null, "error": error.json])
    }

    /// A request of the server's to the client.
    public static func request(id: RequestID, method: String, params: JSONValue) -> Data {
        encode(["jsonrpc": "2.0", "id": id.json, "method": .string(method), "params": params])
    }

    public static func notification(method: String, params: JSONValue) -> Data {
        encode(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    static func encode(_ value: JSONValue) -> Data {
        Data(value.jsonBytes)
    }
}
