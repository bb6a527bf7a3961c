package import Core
import FoundationEssentials
package import JSONValue
import MCP
package import RemoteDocs

/// What every Prefect tool needs: the settings (or why there are none) and one shared client.
package struct ToolEnvironment: Sendable {
    let settings: Result<PrefectSettings, SettingsError>
    let client: PrefectClient?
    /// The remote docs server `search_docs` also asks, when one is configured.
    let docs: RemoteDocs?
    /// The user's permission to change Prefect; without it no write tool is registered.
    let writes: WritePermission?

    package init(settings: Result<PrefectSettings, SettingsError>, userAgent: String, docs: RemoteDocs? = nil, writes: WritePermission? = nil) {
        self.init(
            settings: settings, client: (try? settings.get()).map { PrefectClient(settings: $0, userAgent: userAgent) }, docs: docs, writes: writes)
    }

    /// With a client of the caller's (the tests': one over a fake transport).
    init(settings: Result<PrefectSettings, SettingsError>, client: PrefectClient?, docs: RemoteDocs? = nil, writes: WritePermission? = nil) {
        self.settings = settings
        self.client = client
        self.docs = docs
        self.writes = writes
    }

    /// Runs a write: like ``query(_:)``, and a write refused before sending (a finished run) is an `isError` result.
    func act<T: Sendable>(_ body: (PrefectActions, PrefectSettings) async throws -> T) async throws -> T {
        guard let writes else { throw ToolError("writes are off: start prefect-mcp with --allow-writes to turn them on") }
        return try await query { client, settings in
            do {
                return try await body(client.actions(writes), settings)
            } catch let refused as ActionRefused {
                throw ToolError(refused.description)
            }
        }
    }

    /// Runs a Prefect query; a missing configuration or a Prefect failure becomes an `isError` result whose
    /// message says what to do.
    func query<T: Sendable>(_ body: (PrefectClient, PrefectSettings) async throws -> T) async throws -> T {
        let settings: PrefectSettings
        switch self.settings {
        case .failure(let error):
            throw ToolError("prefect-mcp is not connected to Prefect: \(error)")
        case .success(let value):
            settings = value
        }
        guard let client else { throw ToolError("prefect-mcp has no Prefect client") }
        do {
            return try await body(client, settings)
        } catch let error as PrefectError {
            throw ToolError(error.description)
        }
    }

    /// `/healthz` of the HTTP server: the process answers, and whether Prefect does (one `GET /health`).
    package func health() async -> (healthy: Bool, body: JSONValue) {
        guard case .success(let settings) = settings, let client else {
            return (false, ["status": "not_configured", "prefect": ["reachable": false]])
        }
        do {
            let healthy = try await client.send(PrefectAPI.health)
            return (healthy, ["status": healthy ? "ok" : "degraded", "prefect": ["reachable": true, "healthy": .bool(healthy)]])
        } catch {
            return (
                false,
                [
                    "status": "degraded",
                    "prefect": ["reachable": false, "url": .string(settings.apiURL.value.displayString), "error": .string("\(error)")],
                ]
            )
        }
    }

    package func shutdown() async {
        await client?.shutdown()
        await docs?.shutdown()
    }

    /// Closes the Prefect client only: the docs server is shared with other environments (``EnvironmentPool``).
    func shutdownClient() async {
        await client?.shutdown()
    }
}

extension JSONValue {
    /// The JSON of an encodable value, encoded as Core encodes Prefect data (dates as ISO 8601 UTC).
    init(encoding value: some Encodable) throws {
        self = try JSONCoding.encode(value)
    }
}
