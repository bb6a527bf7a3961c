import Core
import Foundation
import MCP
import Testing

@testable import Tools

/// `mcp --http --allow-client-credentials`: one client per distinct credential set, bounded, the idle ones closed.
@Suite("Environment pool")
struct EnvironmentPoolTests {
    static func credentials(_ port: Int, key: String? = nil) -> ClientCredentials {
        ClientCredentials(apiURL: URL(string: "http://127.0.0.1:\(port)/api")!, apiKey: key.map(Secret.init), authString: nil)
    }

    @Test("Same credentials share a client; a different key is a different client; the oldest unused one makes room")
    func sharingAndEviction() async throws {
        let pool = EnvironmentPool(base: ToolsFixture.environment(), userAgent: "test", testTools: false, maximum: 2)
        let base = try await pool.lease(nil)
        #expect(await pool.count == 0 && base.full.tools.count == ToolsFixture.registry().tools.count)
        let (a, b, c) = (Self.credentials(1), Self.credentials(1, key: "pnu_other_key_0123"), Self.credentials(2))
        _ = try await pool.lease(a)
        _ = try await pool.lease(a)
        #expect(await pool.count == 1)
        _ = try await pool.lease(b)
        #expect(await pool.count == 2)
        await pool.release(a)
        await pool.release(a)
        _ = try await pool.lease(c)  // a is unused: it goes
        #expect(await pool.count == 2)
        await #expect(throws: ClientCredentialsError.self, "b and c are in use: no room, and no one's client is closed under them") {
            try await pool.lease(Self.credentials(3))
        }
        await pool.shutdown()
        #expect(await pool.count == 0)
    }

    @Test("Unused for the idle time: closed on the next lease")
    func idle() async throws {
        let pool = EnvironmentPool(base: ToolsFixture.environment(), userAgent: "test", testTools: false, idleTimeout: .zero)
        _ = try await pool.lease(Self.credentials(1))
        await pool.release(Self.credentials(1))
        _ = try await pool.lease(Self.credentials(2))
        #expect(await pool.count == 1)
        await pool.shutdown()
    }

    @Test("A caller who may not write gets no write tool listed")
    func readOnly() async throws {
        let pool = EnvironmentPool(base: ToolsFixture.environment(writes: true), userAgent: "test", testTools: false)
        let registries = try await pool.lease(nil)
        let full = Set(registries.registry(mayWrite: true).tools.map(\.name))
        let reading = Set(registries.registry(mayWrite: false).tools.map(\.name))
        #expect(ToolsFixture.writeTools.isSubset(of: full) && reading.isDisjoint(with: ToolsFixture.writeTools))
        #expect(full.subtracting(ToolsFixture.writeTools) == reading)
        #expect(pool.writeTools == ToolsFixture.writeTools, "what the HTTP server refuses to read-only callers")
        await pool.shutdown()
    }
}
