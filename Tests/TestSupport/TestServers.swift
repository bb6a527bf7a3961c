import Foundation

/// The real Prefect servers `scripts/test` starts and seeds. Integration tests call these and fail, never skip,
/// when the servers are not there.
public enum TestServers {
    public struct Missing: Error, CustomStringConvertible {
        public var variable: String
        public var description: String {
            "\(variable) is not set: integration tests need the real Prefect servers that scripts/test starts and seeds. Run scripts/test."
        }
    }

    static func value(_ variable: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else { throw Missing(variable: variable) }
        return value
    }

    /// The seeded, open server.
    public static func apiURL() throws -> String { try value("PREFECT_MCP_TEST_API_URL") }

    /// The server with basic auth and CSRF protection on.
    public static func securedAPIURL() throws -> String { try value("PREFECT_MCP_TEST_SECURED_API_URL") }

    /// Its `user:password`.
    public static func securedAuthString() throws -> String { try value("PREFECT_MCP_TEST_SECURED_AUTH_STRING") }

    /// The server where a real process worker executes runs (scripts/runner), the one that streams log lines: tests
    /// may create runs and write there.
    public static func runnerAPIURL() throws -> String { try value("PREFECT_MCP_TEST_RUNNER_API_URL") }

    /// What scripts/seed.py created, as it wrote it.
    public static func seed() throws -> SeedManifest {
        let path = try value("PREFECT_MCP_TEST_SEED")
        return try JSONDecoder().decode(SeedManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
