import Foundation
import HTTPTypes
import HummingbirdCore
import JSONValue
import Testing

@testable import MCP
@testable import MCPHTTP

/// The rules `mcp --http` applies before any handler runs, without a socket (the e2e suite checks them on one).
@Suite("HTTP transport rules")
struct HTTPRulesTests {
    @Test("Origin: none is a non-browser client; loopback pages reach a loopback server; anything else only when allowed")
    func origins() {
        let local = HTTPServerOptions(host: "127.0.0.1", port: 0, allowedOrigins: ["https://app.example.com"])
        #expect(local.allows(origin: nil))
        #expect(local.allows(origin: "http://localhost:3000") && local.allows(origin: "http://127.0.0.1:8080"))
        #expect(local.allows(origin: "http://[::1]:5173") && local.allows(origin: "https://app.example.com"))
        #expect(
            !local.allows(origin: "https://evil.example") && !local.allows(origin: "null") && !local.allows(origin: "http://127.0.0.1.evil.example"))
        let team = HTTPServerOptions(host: "0.0.0.0", port: 0)
        #expect(!team.allows(origin: "http://localhost:3000"), "a page on a user's own machine is not the team server's page")
    }

    @Test("Token files: NAME:TOKEN or a bare token, comments and blank lines skipped, a bad line named")
    func tokenFiles() throws {
        let tokens = try BearerToken.parse(file: "# team\n\nalice:0123456789abcdefX\n  fedcba9876543210Y  \n")
        #expect(tokens.map(\.name) == ["alice", "token 2"] && tokens.map(\.token) == ["0123456789abcdefX", "fedcba9876543210Y"])
        #expect(throws: TokenFileError.self) { try BearerToken.parse(file: "bob:short\n") }
        #expect((try? BearerToken.parse(file: "ok:0123456789abcdefX\nbob:short\n")) == nil)
        #expect(throws: TokenFileError.self) { try BearerToken.parse(file: "# nothing\n") }
        #expect(BearerToken.holder(of: "0123456789abcdefX", in: tokens)?.name == "alice")
        let viewer = try BearerToken.parse(file: "viewer:0123456789abcdefZ:read\nops:0123456789abcdefW\n")
        #expect(viewer.map(\.readOnly) == [true, false] && viewer[0].token == "0123456789abcdefZ")
        #expect(BearerToken.holder(of: "0123456789abcdefY", in: tokens) == nil && BearerToken.holder(of: "", in: tokens) == nil)
    }

    @Test("2026-07-28 headers must repeat the body: version, method and name; a mismatch is 400 with -32020")
    func modernHeaders() throws {
        var headers = HTTPFields()
        headers[HTTPField.Name("MCP-Protocol-Version")!] = "2026-07-28"
        headers[HTTPField.Name("Mcp-Method")!] = "tools/call"
        headers[HTTPField.Name("Mcp-Name")!] = "get_dashboard"
        let params: JSONValue = ["name": "get_dashboard"]
        #expect(HTTPMCPServer.checkModernHeaders(headers, version: "2026-07-28", method: "tools/call", params: params, id: .int(1)) == nil)
        let other = HTTPMCPServer.checkModernHeaders(headers, version: "2026-07-28", method: "tools/call", params: ["name": "get_flows"], id: .int(1))
        #expect(other?.status == .badRequest)
        let old = HTTPMCPServer.checkModernHeaders(headers, version: "2025-11-25", method: "tools/call", params: params, id: .int(1))
        #expect(old?.status == .badRequest)
        #expect(HTTPServerOptions.isLoopback("127.0.0.2") && HTTPServerOptions.isLoopback("[::1]") && !HTTPServerOptions.isLoopback("0.0.0.0"))
    }
}

/// What an access token's claims must say, once its signature is verified (the e2e suite signs real ones).
@Suite("OAuth claims")
struct OAuthClaimsTests {
    let verifier = OAuthVerifier(
        options: OAuthOptions(issuer: "https://auth.test", audience: "https://mcp.test/mcp", requiredScopes: ["mcp:read"]))
    let now = Date(timeIntervalSince1970: 2_000_000_000)

    func claims(
        iss: String? = "https://auth.test", aud: [String]? = ["https://mcp.test/mcp"], exp: TimeInterval? = 60, nbf: TimeInterval? = nil,
        scope: String? = "mcp:read"
    ) -> AccessTokenClaims {
        AccessTokenClaims(
            iss: iss, sub: "ada", aud: aud, exp: exp.map { now.addingTimeInterval($0) }, nbf: nbf.map { now.addingTimeInterval($0) }, scope: scope)
    }

    func reason(_ verdict: OAuthVerdict) -> String {
        switch verdict {
        case .valid(let subject, _): "valid \(subject)"
        case .invalid(let reason): reason
        case .insufficientScope(let missing): "missing \(missing.joined(separator: " "))"
        case .unavailable(let reason): "unavailable \(reason)"
        }
    }

    @Test("Issuer, expiry (30 s of skew), not-before, audience and scopes")
    func rules() {
        #expect(reason(verifier.check(claims(), at: now)) == "valid ada")
        #expect(reason(verifier.check(claims(aud: ["https://MCP.test/mcp/"]), at: now)) == "valid ada", "the same resource, spelled otherwise")
        #expect(reason(verifier.check(claims(exp: -20), at: now)) == "valid ada", "within the leeway")
        #expect(reason(verifier.check(claims(exp: -31), at: now)).contains("expired"))
        #expect(reason(verifier.check(claims(exp: nil), at: now)).contains("no expiry"))
        #expect(reason(verifier.check(claims(nbf: 120), at: now)).contains("not valid before"))
        #expect(reason(verifier.check(claims(iss: "https://auth.test/"), at: now)).contains("issued by"))
        #expect(reason(verifier.check(claims(aud: ["https://mcp.test"]), at: now)).contains("not this server"))
        #expect(reason(verifier.check(claims(aud: nil), at: now)).contains("no audience"))
        #expect(reason(verifier.check(claims(scope: "openid mcp:write"), at: now)) == "missing mcp:read")
    }

    @Test("Protected Resource Metadata lives on the audience's origin, the well-known path before the endpoint's")
    func metadataURL() {
        #expect(
            OAuthOptions(issuer: "https://a.test", audience: "https://mcp.test/team/mcp").metadataURL
                == "https://mcp.test/.well-known/oauth-protected-resource/team/mcp")
        #expect(
            OAuthOptions(issuer: "https://a.test", audience: "http://127.0.0.1:8000/mcp").metadataURL
                == "http://127.0.0.1:8000/.well-known/oauth-protected-resource/mcp")
        #expect(
            OAuthOptions.wellKnown("oauth-authorization-server", of: "https://auth.test/realms/team")
                == "https://auth.test/.well-known/oauth-authorization-server/realms/team", "RFC 8414 places it the same way")
    }
}
