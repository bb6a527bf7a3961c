@testable import Core
import Foundation
import TestSupport

/// A client of the seeded test server, and of the secured one.
enum Live {
    static func settings(url: String, authString: String? = nil) throws -> PrefectSettings {
        var environment = ["HOME": "/nonexistent", "PREFECT_API_URL": url]
        if let authString { environment["PREFECT_API_AUTH_STRING"] = authString }
        return try SettingsResolver.resolve(overrides: SettingsOverrides(timeout: 30), environment: environment)
    }

    static func client() throws -> (PrefectClient, PrefectSettings) {
        let settings = try settings(url: try TestServers.apiURL())
        return (PrefectClient(settings: settings), settings)
    }

    /// Runs `body` with a client of the seeded server and shuts it down after.
    static func withClient<T: Sendable>(_ body: (PrefectClient, PrefectSettings) async throws -> T) async throws -> T {
        let (client, settings) = try client()
        do {
            let result = try await body(client, settings)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
