import Core
import Foundation
import JSONValue
import MCP
import TestSupport

@testable import Tools

/// The tools as `prefect-mcp mcp` registers them, over a fake transport: no Prefect server needed.
enum ToolsFixture {
    static let apiURL = URL(string: "http://prefect.test:4200/api")!

    static func settings(apiURL: URL = apiURL) -> PrefectSettings {
        PrefectSettings(apiURL: Sourced(apiURL, from: .environment("PREFECT_API_URL")))
    }

    /// With writes on, so every tool is there (the snapshots and the README cover the write tools too).
    static func environment(_ transport: FakeTransport = FakeTransport(status: 200, body: "[]"), apiURL: URL = apiURL, writes: Bool = true)
        -> ToolEnvironment
    {
        ToolEnvironment(
            settings: .success(settings(apiURL: apiURL)), client: PrefectClient.fake(transport),
            writes: writes ? WritePermission(source: "tests") : nil)
    }

    /// The tools that change Prefect.
    static let writeTools: Set<String> = ["run_deployment", "cancel_flow_run", "retry_flow_run", "set_paused"]

    static func registry(_ environment: ToolEnvironment = environment()) -> Registry {
        PrefectTools.registry(environment, testTools: false)
    }

    static let context = RequestContext(requestID: .int(1), era: .legacy(version: "2025-11-25"))

    /// Calls a registered tool's handler as the server would after validating its arguments.
    static func call(_ name: String, _ arguments: JSONValue = [:], in registry: Registry = registry()) async throws -> ToolResult {
        guard let tool = registry.tools.first(where: { $0.name == name }) else { throw ToolError("no tool \(name)") }
        return try await tool.handler(arguments, context)
    }
}
