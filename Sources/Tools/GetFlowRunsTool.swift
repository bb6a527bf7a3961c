import Core
import FoundationEssentials
import JSONValue
import MCP

extension PrefectTools {
    /// `get_flow_runs`: recent runs (expected at or before now), newest first; upcoming ones apart.
    static func getFlowRuns(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "get_flow_runs",
            title: "Get Flow Runs",
            description: """
                Flow runs, newest first by expected start time, each with flow and deployment names, state and \
                message, expected/start/end times, duration, how late a Late run is, and a UI link. "Recent" means \
                expected to start at or before now; future scheduled runs are not mixed in but counted under \
                `upcoming` (with the next few). `filter` takes Prefect's FlowRunFilter JSON, e.g. \
                {"state": {"type": {"any_": ["FAILED", "CRASHED"]}}} or {"state": {"name": {"any_": ["Late"]}}}; \
                setting `expected_start_time` yourself replaces the "at or before now" bound. flow_name, \
                deployment_name and work_pool_name narrow by name. Page with next_cursor.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "filter": FilterSchemas.flowRunFilter,
                    "flow_name": ["type": "string", "minLength": 1, "description": "Only runs of this flow."],
                    "deployment_name": [
                        "type": "string", "minLength": 1, "description": "Only runs of this deployment (its name, or flow/deployment).",
                    ],
                    "work_pool_name": ["type": "string", "minLength": 1, "description": "Only runs in this work pool."],
                    "limit": SchemaFragments.limit(default: 50),
                    "cursor": SchemaFragments.cursor,
                ],
            ],
            outputSchema: SchemaFragments.listOutput(
                key: "flow_runs", item: SchemaFragments.flowRunRow,
                extra: [
                    "upcoming": [
                        "type": "object", "required": ["count", "next"],
                        "properties": ["count": ["type": "integer"], "next": ["type": "array", "items": SchemaFragments.flowRunRow]],
                    ]
                ]
            ),
            annotations: .readOnly
        ) { values, _ in
            let arguments = ToolArguments(values, tool: "get_flow_runs")
            let cursor = try arguments.cursor()
            let filter = try arguments.filter(as: FlowRunFilter.self)
            let scope = RunScope(
                flowName: arguments.string("flow_name"), deploymentName: arguments.string("deployment_name"),
                workPoolName: arguments.string("work_pool_name"))
            return try await environment.query { client, settings in
                let result = try await client.recentFlowRuns(
                    filter: filter, scope: scope, limit: arguments.int("limit", default: 50), offset: cursor.offset,
                    now: Date(timeIntervalSince1970: cursor.anchor), ui: settings.uiURL)
                var extra: [String: JSONValue] = [:]
                if let count = result.upcomingCount {
                    extra["upcoming"] = ["count": .int(count), "next": .array(try result.upcoming.map { try JSONValue(encoding: $0) })]
                }
                let output = ListOutput(
                    key: "flow_runs", items: try result.page.items.map { try JSONValue(encoding: $0) },
                    next: .offset(cursor, truncated: result.page.truncated), extra: extra)
                let links = result.page.items.prefix(10).map {
                    ResourceLink(uri: "prefect://flow-runs/\($0.id)", name: $0.name, mimeType: "application/json")
                }
                return ToolResult(output.json(), links: links)
            }
        }
    }
}
