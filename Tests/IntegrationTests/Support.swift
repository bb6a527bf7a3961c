import Foundation
import Synchronization
import TestSupport

@testable import Core

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

    /// Runs `body` with a client of the seeded server whose requests are counted.
    static func withCountingClient(_ body: (PrefectClient, PrefectSettings, CountingTransport) async throws -> Void) async throws {
        let settings = try Live.settings(url: try TestServers.apiURL())
        let transport = CountingTransport()
        let client = PrefectClient(configuration: .init(settings: settings), transport: transport)
        do {
            try await body(client, settings, transport)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }
}

/// The real transport, recording the requests that pass.
final class CountingTransport: HTTPTransport {
    let inner = AsyncHTTPTransport()
    private let sent = Mutex<[HTTPRequestData]>([])

    func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        sent.withLock { $0.append(request) }
        return try await inner.send(request)
    }

    func shutdown() async { await inner.shutdown() }

    /// The requests since the last call.
    func takeRequests() -> [HTTPRequestData] {
        sent.withLock { sent in
            defer { sent = [] }; return sent
        }
    }

    /// The requests since the last call, as `POST /api/flows/filter`.
    func take() -> [String] { takeRequests().map { "\($0.method) \($0.url.path)" } }
}
