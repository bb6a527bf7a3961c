import Core
import FoundationEssentials
import JSONValue
import MCP

extension PrefectTools {
    /// `get_work_pools`: every matching pool with workers, heartbeats, queues, late and active runs.
    static func getWorkPools(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "get_work_pools",
            title: "Get Work Pools",
            description: """
                Work pools with their health: status (READY, NOT_READY, PAUSED), paused flag, concurrency limit, \
                workers with status and heartbeat age, queues with paused flags, limits and last poll, and the \
                number of Late and of active (Running or Pending) runs in each pool. A pool with no ONLINE worker \
                cannot start runs. Workers are read at most 15 s before the answer (at once when the pool's status \
                changed). `filter` takes Prefect's WorkPoolFilter JSON, e.g. {"name": {"any_": ["prod"]}}.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "filter": FilterSchemas.workPoolFilter, "limit": SchemaFragments.limit(default: 50), "cursor": SchemaFragments.cursor,
                ],
            ],
            outputSchema: SchemaFragments.listOutput(
                key: "work_pools",
                item: [
                    "type": "object",
                    "required": ["name", "status", "is_paused", "online_workers", "late_runs", "active_runs", "workers", "queues", "ui_url"],
                    "properties": [
                        "name": ["type": "string"], "status": SchemaFragments.nullableString, "is_paused": ["type": "boolean"],
                        "online_workers": ["type": "integer"], "late_runs": ["type": "integer"], "active_runs": ["type": "integer"],
                        "workers": ["type": "array"], "queues": ["type": "array"], "ui_url": ["type": "string"],
                    ],
                ]
            ),
            annotations: .readOnly
        ) { values, _ in
            let arguments = ToolArguments(values, tool: "get_work_pools")
            let cursor = try arguments.cursor()
            let filter = try arguments.filter(as: WorkPoolFilter.self)
            let limit = arguments.int("limit", default: 50)
            return try await environment.query { client, settings in
                let page = try await client.workPoolDetails(
                    filter: filter, limit: limit, offset: cursor.offset, ui: settings.uiURL, now: Date(timeIntervalSince1970: cursor.anchor))
                let output = ListOutput(
                    key: "work_pools", items: try page.items.map { try JSONValue(encoding: $0) }, next: .offset(cursor, truncated: page.truncated))
                let links = page.items.map {
                    ResourceLink(uri: "prefect://work-pools/\($0.health.name)", name: $0.health.name, mimeType: "application/json")
                }
                return ToolResult(output.json(), links: links)
            }
        }
    }
}
