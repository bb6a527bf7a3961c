public import FoundationEssentials

/// How `prefect-mcp mcp --http` serves: where, for whom, within which limits.
public struct HTTPServerOptions: Sendable {
    public var host: String
    /// 0 picks a free port (the one bound is logged and passed to `onReady`).
    public var port: Int
    /// The MCP endpoint (`/mcp`); `/healthz` is beside it, at the root.
    public var path: String
    /// Origins allowed besides the loopback ones (allowed while bound to loopback): `https://app.example.com`.
    public var allowedOrigins: Set<String>
    /// Bearer tokens; empty: no authentication (refused off loopback unless `insecureNoAuth`).
    public var tokens: [BearerToken]
    public var maximumBodyBytes: Int
    /// Requests answered at once; more are refused with 503 and `Retry-After`.
    public var maximumConcurrentRequests: Int
    /// A request still running after this is cancelled and answered with an error.
    public var requestDeadline: Duration
    /// A handshake-era session unused this long ends.
    public var sessionIdleTimeout: Duration
    public var maximumSessions: Int
    /// PEM files of the certificate chain and its private key: HTTPS instead of HTTP.
    public var tls: (certificateChain: String, privateKey: String)?
    /// Names of the tools that change something (`readOnlyHint: false`): a read-only token may not call them.
    public var writeTools: Set<String> = []
    /// OAuth 2.1 resource server: access tokens of this issuer, for this audience (besides `tokens`, if any).
    public var oauth: OAuthOptions?

    /// Whether every request must bring a valid bearer token.
    public var requiresAuthentication: Bool { !tokens.isEmpty || oauth != nil }

    public init(
        host: String = "127.0.0.1", port: Int, path: String = "/mcp", allowedOrigins: Set<String> = [], tokens: [BearerToken] = [],
        maximumBodyBytes: Int = 4 << 20, maximumConcurrentRequests: Int = 64, requestDeadline: Duration = .seconds(660),
        sessionIdleTimeout: Duration = .seconds(1800), maximumSessions: Int = 1000
    ) {
        self.host = host
        self.port = port
        self.path = path
        self.allowedOrigins = allowedOrigins
        self.tokens = tokens
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumConcurrentRequests = maximumConcurrentRequests
        self.requestDeadline = requestDeadline
        self.sessionIdleTimeout = sessionIdleTimeout
        self.maximumSessions = maximumSessions
    }

    /// Whether `host` names this machine only (127.0.0.0/8, ::1, localhost).
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare == "::1" { return true }
        // 127.0.0.0/8 as four decimal octets: `127.0.0.1.evil.example` is a name anyone can point anywhere.
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { $0.count <= 3 && UInt8($0) != nil }
    }

    /// Whether a request with this `Origin` header may be served: none (not a browser), an allowed one, or a loopback
    /// one while bound to loopback. A browser page elsewhere must not reach a local server (DNS rebinding).
    public func allows(origin: String?) -> Bool {
        guard let origin else { return true }
        if allowedOrigins.contains(origin) { return true }
        guard Self.isLoopback(host), let url = URL(string: origin), let originHost = url.host else { return false }
        return Self.isLoopback(originHost)
    }
}

/// One accepted bearer token and the name logs use for its holder.
public struct BearerToken: Sendable {
    public var name: String
    public var token: String
    /// Marked `:read` in the file: its holder may call no tool that changes anything.
    public var readOnly: Bool

    public init(name: String, token: String, readOnly: Bool = false) {
        self.name = name
        self.token = token
        self.readOnly = readOnly
    }

    /// A token file: one token per line, or `name:token`, either ending in `:read` for a read-only token; blank lines
    /// and `#` comments skipped.
    /// - Throws: ``TokenFileError`` naming the line that is wrong.
    public static func parse(file text: String) throws(TokenFileError) -> [BearerToken] {
        var tokens: [BearerToken] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            if line.isEmpty || line.hasPrefix("#") { continue }
            let readOnly = line.hasSuffix(":read")
            let parts = (readOnly ? String(line.dropLast(5)) : line).split(separator: ":", maxSplits: 1).map(String.init)
            let (name, token) = parts.count == 2 ? (parts[0], parts[1]) : ("token \(tokens.count + 1)", parts[0])
            guard token.count >= 16, !token.contains(where: \.isWhitespace) else {
                throw TokenFileError(line: index + 1, reason: "a token must be 16 or more characters without spaces")
            }
            tokens.append(BearerToken(name: name, token: token, readOnly: readOnly))
        }
        guard !tokens.isEmpty else { throw TokenFileError(line: 0, reason: "the file has no token") }
        return tokens
    }

    /// The holder of `presented`, compared in constant time against every token (no early exit on the first match).
    static func holder(of presented: String, in tokens: [BearerToken]) -> BearerToken? {
        let given = Array(presented.utf8)
        var found: BearerToken?
        for token in tokens {
            let expected = Array(token.token.utf8)
            var difference = UInt8(given.count == expected.count ? 0 : 1)
            for index in 0..<max(given.count, expected.count) {
                let left = index < given.count ? given[index] : 0
                let right = index < expected.count ? expected[index] : 0
                difference |= left ^ right
            }
            if difference == 0 { found = token }
        }
        return found
    }
}

public struct TokenFileError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { line > 0 ? "line \(line): \(reason)" : reason }
}
