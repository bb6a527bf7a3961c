import Core
import JSONValue
import MCP

extension PrefectTools {
    /// `get_identity`: which Prefect this server talks to, and with which credential source.
    static func getIdentity(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "get_identity",
            title: "Get Identity",
            description: """
                Which Prefect server this MCP server is connected to: the API URL and where it came from (flag, \
                environment or profile), whether it is Prefect Cloud (with account and workspace ids) or self-hosted, \
                the Prefect version, health, and the credential source (never the secret). Call it first when \
                results look wrong or a call fails with an authorization error.
                """,
            inputSchema: ["type": "object", "properties": [:], "additionalProperties": false],
            outputSchema: [
                "type": "object",
                "required": [
                    "api_url", "api_url_source", "kind", "healthy", "ui_url", "version", "api_version", "credential", "profile", "account_id",
                    "workspace_id",
                ],
                "properties": [
                    "api_url": ["type": "string"],
                    "api_url_source": ["type": "string", "description": "flag --api-url, env PREFECT_API_URL or profile 'NAME' (PREFECT_API_URL)"],
                    "kind": ["type": "string", "enum": ["self-hosted", "cloud"]],
                    "account_id": ["type": ["string", "null"]],
                    "workspace_id": ["type": ["string", "null"]],
                    "profile": ["type": ["string", "null"]],
                    "credential": [
                        "type": ["string", "null"], "description": "how requests authenticate and where that came from; never the secret",
                    ],
                    "version": ["type": ["string", "null"], "description": "Prefect release of the server"],
                    "api_version": ["type": ["string", "null"]],
                    "healthy": ["type": "boolean"],
                    "ui_url": ["type": "string"],
                ],
            ],
            annotations: .readOnly
        ) { _, _ in
            let info = try await environment.query { client, settings in try await client.connection(settings: settings) }
            return ToolResult(try JSONValue(encoding: info))
        }
    }
}
