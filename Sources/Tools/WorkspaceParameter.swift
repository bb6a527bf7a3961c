import Core
import FoundationEssentials
import JSONValue
import MCP

extension ToolDefinition {
    /// Takes the official server's optional `workspace_id`, so prompts written for it carry over. prefect-mcp serves
    /// the one workspace its settings name: the same id is accepted and dropped; another id, or any id on a
    /// self-hosted server, is an error that says how to reach that workspace instead.
    func acceptingWorkspaceID(_ environment: ToolEnvironment) -> ToolDefinition {
        var tool = self
        if case .object(var schema) = inputSchema, case .object(var properties)? = schema["properties"] {
            properties["workspace_id"] = [
                "type": ["string", "null"], "format": "uuid",
                "description": "Prefect Cloud workspace; only the configured one is served (see get_identity).",
            ]
            schema["properties"] = .object(properties)
            tool.inputSchema = .object(schema)
        }
        let handler = self.handler
        tool.handler = { arguments, context in
            guard case .object(var values) = arguments, let requested = values.removeValue(forKey: "workspace_id") else {
                return try await handler(arguments, context)
            }
            if let id = requested.stringValue, case .success(let settings) = environment.settings {
                try Self.check(workspaceID: id, against: settings)
            }
            return try await handler(.object(values), context)
        }
        return tool
    }

    private static func check(workspaceID id: String, against settings: PrefectSettings) throws {
        let url = settings.apiURL.value.displayString
        switch settings.server {
        case .selfHosted:
            throw ToolError(
                "workspace_id: '\(id.echoed)' names a Prefect Cloud workspace, but this server (\(url)) is self-hosted and has none; omit "
                    + "workspace_id."
            )
        case .cloud(_, let configured?) where configured.lowercased() == id.lowercased():
            return
        case .cloud(let account, let configured):
            throw ToolError(
                """
                workspace_id: '\(id.echoed)' is not the workspace prefect-mcp is connected to (\(configured ?? "none")). To \
                read it, configure PREFECT_API_URL as \(ServerKind.cloudAPIRoot)/accounts/\(account ?? "ACCOUNT_ID")/workspaces/\(id) \
                (or a profile with it) and restart the MCP server; or omit workspace_id to use the configured one.
                """)
        }
    }
}
