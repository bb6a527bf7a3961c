import AsyncHTTPClient
public import FoundationEssentials
public import JSONValue
import NIOCore
import NIOHTTP1
import Synchronization

/// `--oauth-issuer`, `--oauth-audience`: this server as an OAuth 2.1 resource server. Access tokens are JWTs signed by
/// the issuer, checked against its published keys (JWKS): signature, `iss`, `exp`/`nbf`, the audience (this server's
/// URL, RFC 8707) and the scopes. A client token is only ever checked here, never sent on (not to Prefect, not anywhere).
public struct OAuthOptions: Sendable {
    /// The authorization server, as its tokens' `iss` says it (`https://auth.example.com/realms/team`).
    public var issuer: String
    /// This server's canonical URL as clients reach it (`https://mcp.example.com/mcp`): tokens must be issued for it.
    public var audience: String
    /// Scopes every token must have (`mcp:read`); missing ones are a 403 naming them, so a client can step up.
    public var requiredScopes: [String]
    /// With writes on: the scope a token needs to call a tool that changes Prefect; tokens without it are read-only.
    /// nil: every valid token may write.
    public var writeScope: String?
    /// Where the keys are, when the issuer publishes no metadata (RFC 8414 or OpenID discovery) that says it.
    public var jwksURL: String?

    public init(issuer: String, audience: String, requiredScopes: [String] = [], writeScope: String? = nil, jwksURL: String? = nil) {
        self.issuer = issuer
        self.audience = audience
        self.requiredScopes = requiredScopes
        self.writeScope = writeScope
        self.jwksURL = jwksURL
    }

    /// Where this server's Protected Resource Metadata (RFC 9728) is: the well-known path inserted before the
    /// audience's path, on the audience's origin (what clients reach, also behind a proxy).
    public var metadataURL: String {
        Self.wellKnown("oauth-protected-resource", of: audience) ?? audience
    }

    /// `https://host/.well-known/NAME/path` for `https://host/path`: the well-known path inserted between the origin
    /// and the path, as RFC 8414 (authorization server metadata) and RFC 9728 (resource metadata) both place it; nil
    /// when `text` is not a URL with a host.
    static func wellKnown(_ name: String, of text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme, let host = url.host else { return nil }
        let port = url.port.map { ":\($0)" } ?? ""
        let path = url.path == "/" ? "" : url.path
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)\(port)/.well-known/\(name)\(path)"
    }

    /// The metadata document: which authorization server issues tokens for this resource, and how to send them.
    public var metadata: JSONValue {
        var document: [String: JSONValue] = [
            "resource": .string(audience),
            "authorization_servers": [.string(issuer)],
            "bearer_methods_supported": ["header"],
            "resource_name": "prefect-mcp",
        ]
        let scopes = requiredScopes + (writeScope.map { [$0] } ?? [])
        if !scopes.isEmpty { document["scopes_supported"] = .array(scopes.map(JSONValue.string)) }
        return .object(document)
    }
}

/// What checking one access token found.
enum OAuthVerdict: Sendable {
    /// Valid: who (`sub`, else the client id) and the scopes it carries.
    case valid(subject: String, scopes: Set<String>)
    /// Not a token of this issuer for this server, or expired: 401.
    case invalid(String)
    /// Valid but lacking these required scopes: 403 with `scope=`.
    case insufficientScope([String])
    /// The issuer's keys cannot be had now: 503, the token may be fine.
    case unavailable(String)
}

/// Checks access tokens against the issuer's keys, fetched at start, hourly, and again when a token names a key not yet
/// seen (the issuer rotated its keys) — that at most every ``unknownKeyInterval``, so made-up key ids cannot make us
/// hammer the issuer.
final class OAuthVerifier: Sendable {
    let options: OAuthOptions
    /// Clock skew tolerated on `exp` and `nbf`.
    static let leeway: TimeInterval = 30
    static let unknownKeyInterval: TimeInterval = 10
    /// While there are no keys (the issuer did not answer), at most one try per this many seconds.
    static let retryInterval: TimeInterval = 5
    /// Keys are also refetched after this long, so a revoked key stops working without a restart.
    static let maximumKeyAge: TimeInterval = 3600

    private struct Keys {
        var set: JSONWebKeySet?
        var fetched: Date = .distantPast
        var lastAttempt: Date = .distantPast
        var lastUnknownKeyFetch: Date = .distantPast
        var lastProblem: String?
    }
    private let keys = Mutex(Keys())
    /// One fetch at a time; others wait for it.
    private let fetching = Mutex<Task<Void, Never>?>(nil)

    init(options: OAuthOptions) {
        self.options = options
    }

    func verify(_ token: String) async -> OAuthVerdict {
        let parsed: JSONWebToken
        do {
            parsed = try JSONWebToken(token)
        } catch {
            return .invalid(error.description)
        }
        let kid = parsed.keyID
        let now = Date()
        let (stale, known, recentUnknown) = keys.withLock {
            (
                $0.set == nil || now.timeIntervalSince($0.fetched) > Self.maximumKeyAge, kid.map(($0.set?.keyIDs ?? []).contains) ?? true,
                now.timeIntervalSince($0.lastUnknownKeyFetch) < Self.unknownKeyInterval
            )
        }
        if stale {
            await refresh(unknownKey: false)
        } else if !known, !recentUnknown {
            await refresh(unknownKey: true)  // rotated keys
        }
        guard let set = keys.withLock({ $0.set }) else {
            return .unavailable("the issuer's keys cannot be fetched: \(keys.withLock { $0.lastProblem } ?? "unknown reason")")
        }
        if let kid, !set.keyIDs.contains(kid) {
            return .invalid("the token's key '\(kid)' is not one the issuer publishes")
        }
        do {
            return check(try set.verify(parsed), at: Date())
        } catch {
            return .invalid(error.description)
        }
    }

    /// The claims a valid signature vouches for, against this server's expectations.
    func check(_ claims: AccessTokenClaims, at now: Date) -> OAuthVerdict {
        guard claims.iss == options.issuer else {
            return .invalid("the token was issued by '\(claims.iss ?? "nobody")', not '\(options.issuer)'")
        }
        guard let expiry = claims.exp else { return .invalid("the token has no expiry (exp)") }
        guard expiry.timeIntervalSince(now) > -Self.leeway else { return .invalid("the token expired at \(expiry)") }
        if let notBefore = claims.nbf, notBefore.timeIntervalSince(now) > Self.leeway {
            return .invalid("the token is not valid before \(notBefore)")
        }
        let audiences = claims.aud ?? []
        guard audiences.contains(where: { Self.sameResource($0, options.audience) }) else {
            return .invalid(
                "the token is for \(audiences.isEmpty ? "no audience" : audiences.joined(separator: ", ")), not this server (\(options.audience))")
        }
        let scopes = claims.scopes
        let missing = options.requiredScopes.filter { !scopes.contains($0) }
        guard missing.isEmpty else { return .insufficientScope(missing) }
        return .valid(subject: claims.sub ?? claims.clientID ?? claims.azp ?? "unnamed", scopes: scopes)
    }

    /// Two spellings of one resource URL: a trailing slash and the case of the scheme and host do not matter.
    static func sameResource(_ left: String, _ right: String) -> Bool {
        func normal(_ text: String) -> String {
            var value = text.hasSuffix("/") ? String(text.dropLast()) : text
            if let url = URL(string: value), let scheme = url.scheme, let host = url.host {
                let rest = value.dropFirst(scheme.count + 3 + host.count)
                value = scheme.lowercased() + "://" + host.lowercased() + rest
            }
            return value
        }
        return normal(left) == normal(right)
    }

    /// Fetches the keys (concurrent callers share one fetch), unless a fetch failed less than ``retryInterval`` ago.
    func refresh(unknownKey: Bool) async {
        let task: Task<Void, Never>? = fetching.withLock { current in
            if let current { return current }
            let now = Date()
            let skip = keys.withLock {
                if $0.set == nil, now.timeIntervalSince($0.lastAttempt) < Self.retryInterval { return true }
                if unknownKey { $0.lastUnknownKeyFetch = now }
                return false
            }
            if skip { return nil }
            let task = Task { await self.fetchKeys() }
            current = task
            return task
        }
        await task?.value
    }

    private func fetchKeys() async {
        defer { fetching.withLock { $0 = nil } }
        keys.withLock { $0.lastAttempt = Date() }
        do {
            let jwksURL: String
            if let configured = options.jwksURL { jwksURL = configured } else { jwksURL = try await discoverJWKSURL() }
            let jwks = try await Self.fetchJSON(jwksURL)
            var usable: [JSONWebKey] = []
            var skipped: [String] = []
            for key in jwks["keys"]?.arrayValue ?? [] {
                do {
                    usable.append(try JSONWebKey(key))
                } catch {
                    skipped.append("\(key["kid"]?.stringValue ?? "a key without kid"): \(error)")
                }
            }
            guard !usable.isEmpty else {
                throw OAuthFetchError(
                    "\(jwksURL) has no key this server can use\(skipped.isEmpty ? "" : " (skipped \(skipped.joined(separator: "; ")))")")
            }
            keys.withLock {
                $0.set = JSONWebKeySet(keys: usable)
                $0.fetched = Date()
                $0.lastProblem = nil
            }
        } catch {
            keys.withLock { $0.lastProblem = "\(error)" }
        }
    }

    /// The `jwks_uri` of the issuer's metadata: RFC 8414 (the well-known path inserted before the issuer's path), then
    /// OpenID discovery (appended). The metadata must name the same issuer.
    private func discoverJWKSURL() async throws -> String {
        guard let authorizationServer = OAuthOptions.wellKnown("oauth-authorization-server", of: options.issuer) else {
            throw OAuthFetchError("the issuer '\(options.issuer)' is not a URL")
        }
        let candidates = [
            authorizationServer,
            "\(options.issuer.hasSuffix("/") ? String(options.issuer.dropLast()) : options.issuer)/.well-known/openid-configuration",
        ]
        var problems: [String] = []
        for candidate in candidates {
            do {
                let metadata = try await Self.fetchJSON(candidate)
                guard metadata["issuer"]?.stringValue == options.issuer else {
                    problems.append("\(candidate) names the issuer '\(metadata["issuer"]?.stringValue ?? "")'")
                    continue
                }
                guard let jwks = metadata["jwks_uri"]?.stringValue else {
                    problems.append("\(candidate) has no jwks_uri")
                    continue
                }
                return jwks
            } catch {
                problems.append("\(error)")
            }
        }
        throw OAuthFetchError(problems.joined(separator: "; "))
    }

    private static func fetchJSON(_ url: String) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        } catch {
            throw OAuthFetchError("\(url): \(error)")
        }
        guard response.status == .ok else { throw OAuthFetchError("\(url) answered HTTP \(response.status.code)") }
        let body = try await response.body.collect(upTo: 1 << 20)
        guard let value = try? JSONValue(parsing: Data(body.readableBytesView)) else { throw OAuthFetchError("\(url) did not answer JSON") }
        return value
    }
}

struct OAuthFetchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
