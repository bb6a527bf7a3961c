public import JSONValue

/// A JSON-RPC error object: what a request gets instead of a result.
public struct JSONRPCError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603
    /// 2026-07-28: the request's protocol version is not one this server speaks.
    public static let unsupportedProtocolVersionCode = -32022

    public static func parseError(_ message: String) -> JSONRPCError { JSONRPCError(code: parseErrorCode, message: message) }
    public static func invalidRequest(_ message: String) -> JSONRPCError { JSONRPCError(code: invalidRequestCode, message: message) }
    public static func methodNotFound(_ method: String) -> JSONRPCError {
        JSONRPCError(code: methodNotFoundCode, message: "Method not found: \(method.echoed)", data: .string(method.echoed))
    }
    public static func invalidParams(_ message: String) -> JSONRPCError { JSONRPCError(code: invalidParamsCode, message: message) }
    public static func internalError(_ message: String) -> JSONRPCError { JSONRPCError(code: internalErrorCode, message: message) }

    public var json: JSONValue {
        var object: [String: JSONValue] = ["code": .int(code), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }

    public var description: String { "JSON-RPC error \(code): \(message)" }
}
