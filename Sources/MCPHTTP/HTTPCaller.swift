public import HTTPTypes
public import MCP

/// Who sent a request, as authentication found them, and the request's headers for the server factory to read.
public struct HTTPCaller: Sendable {
    /// The token holder (`alice` from the token file) or the OAuth subject; nil without authentication.
    public var name: String?
    /// Whether the caller may call a tool that changes something: not with a `:read` token, not with an OAuth token
    /// lacking `--oauth-write-scope`.
    public var mayWrite: Bool
    let headers: HTTPFields

    public init(name: String?, mayWrite: Bool, headers: HTTPFields) {
        self.name = name
        self.mayWrite = mayWrite
        self.headers = headers
    }

    /// A request header, by case-insensitive name (the first of repeated ones).
    public func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
}

/// A protocol server for one caller, and what to do once it is no longer used (the end of a request, or of a session).
public struct ServerLease: Sendable {
    public var server: MCPServer
    public var release: @Sendable () async -> Void

    public init(server: MCPServer, release: @escaping @Sendable () async -> Void = {}) {
        self.server = server
        self.release = release
    }
}

/// Why no server can be made for a caller (a header it sent is wrong, too much in use): a 400 or 503 naming it.
public struct CallerRefusal: Error, Sendable {
    public var busy: Bool
    public var message: String

    public init(_ message: String, busy: Bool = false) {
        self.message = message
        self.busy = busy
    }
}
