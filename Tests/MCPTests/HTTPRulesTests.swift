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
