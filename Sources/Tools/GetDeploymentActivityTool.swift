import Core
import FoundationEssentials
import JSONValue
import MCP

extension PrefectTools {
    /// `get_deployment_activity`: per deployment over a window, what ran, how it ended, what triggers it, what it
    /// emitted, and whether it is dormant, spinning, broken or productive.
    static func getDeploymentActivity(_ environment: ToolEnvironment) -> ToolDefinition {
        let name = "get_deployment_activity"
        let nullableDate = SchemaFragments.nullableString
        let row: JSONValue = [
            "type": "object",
            "required": [
                "id", "slug", "name", "flow_name", "paused", "has_active_schedule", "runs", "last_run", "last_completed_time", "run_by_automations",
                "output_events", "classification", "reason", "ui_url",
            ],
            "properties": [
                "id": ["type": "string"], "slug": ["type": "string"], "name": ["type": "string"], "flow_name": SchemaFragments.nullableString,
                "paused": ["type": "boolean"], "has_active_schedule": ["type": "boolean"],
                "runs": [
                    "type": "object", "required": ["total", "completed", "failed", "crashed", "cancelled", "by_state_name"],
                    "properties": [
                        "total": ["type": "integer"], "completed": ["type": "integer"], "failed": ["type": "integer"],
                        "crashed": ["type": "integer"], "cancelled": ["type": "integer"],
                        "by_state_name": ["type": "object", "additionalProperties": ["type": "integer"]],
                    ],
                ],
                "last_run": [
                    "type": ["object", "null"], "required": ["id", "name", "state_type", "state_name", "start_time", "end_time"],
                    "properties": [
                        "id": ["type": "string"], "name": ["type": "string"], "state_type": SchemaFragments.nullableString,
                        "state_name": SchemaFragments.nullableString, "start_time": nullableDate, "end_time": nullableDate,
                    ],
                ],
                "last_completed_time": nullableDate,
                "run_by_automations": [
                    "type": ["array", "null"],
                    "items": ["type": "object", "required": ["id", "name"], "properties": ["id": ["type": "string"], "name": ["type": "string"]]],
                ],
                "output_events": [
                    "type": ["object", "null"], "required": ["count", "latest"],
                    "properties": [
                        "count": ["type": "integer"],
                        "latest": [
                            "type": "array",
                            "items": [
                                "type": "object", "required": ["event", "occurred", "resource_id"],
                                "properties": [
                                    "event": ["type": "string"], "occurred": ["type": "string"], "resource_id": SchemaFragments.nullableString,
                                ],
                            ],
                        ],
                    ],
                ],
                "classification": ["type": "string", "enum": .array(DeploymentActivity.Classification.allCases.map { .string($0.rawValue) })],
                "reason": ["type": "string"], "ui_url": ["type": "string"],
            ],
        ]
        return ToolDefinition(
            name: name,
            title: "Get Deployment Activity",
            description: """
                What each deployment did over the last `window_days` days (default 30), to tell dormant, spinning, \
                broken and productive deployments apart. Per deployment (named flow/deployment): exact counts of runs \
                expected to start in the window, as get_dashboard counts them (total, completed, failed, crashed, \
                cancelled, by state name); last_run, the newest run that started; last_completed_time; paused and \
                has_active_schedule; run_by_automations, the enabled automations whose run-deployment action targets \
                it; output_events, its own events in the window (related to it, not prefect.* or prefect-cloud.*): count \
                and the newest 3. classification, first rule that holds: dormant = no runs in the window; broken = the \
                newest started run failed or crashed, or runs failed or crashed and none completed; spinning = runs, \
                none completed, failed or crashed (Late, Pending, Running, Cancelled); productive = completed runs. \
                reason says why in one line. run_by_automations or output_events is null when it could not be read \
                (notes says why). Four requests per deployment: keep `limit` small. `filter` takes Prefect's \
                DeploymentFilter JSON, e.g. {"paused": {"eq_": false}}.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "window_days": [
                        "type": "integer", "minimum": 1, "maximum": 365, "default": 30, "description": "Days to look back (1–365, default 30).",
                    ],
                    "filter": FilterSchemas.deploymentFilter,
                    "limit": SchemaFragments.limit(default: 25, maximum: 50),
                    "cursor": SchemaFragments.cursor,
                ],
            ],
            outputSchema: SchemaFragments.listOutput(
                key: "deployments", item: row,
                extra: [
                    "window": [
                        "type": "object", "required": ["days", "start", "end"],
                        "properties": ["days": ["type": "integer"], "start": ["type": "string"], "end": ["type": "string"]],
                    ],
                    "notes": ["type": "array", "items": ["type": "string"]],
                ]
            ),
            annotations: .readOnly
        ) { values, _ in
            let arguments = ToolArguments(values, tool: name)
            let cursor = try arguments.cursor()
            let filter = try arguments.filter(as: DeploymentFilter.self)
            let limit = arguments.int("limit", default: 25)
            let days = arguments.int("window_days", default: 30)
            guard (1...365).contains(days) else { throw ToolError("window_days: \(days) is out of range; use 1 to 365.") }
            // Every page measures the window from the first page's now, so pages agree.
            let now = Date(timeIntervalSince1970: cursor.anchor)
            return try await environment.query { client, settings in
                let report = try await client.deploymentActivity(
                    filter: filter, limit: limit, offset: cursor.offset, days: days, now: now, ui: settings.uiURL)
                return ToolResult(
                    ListOutput(
                        key: "deployments", items: try report.page.items.map { try JSONValue(encoding: $0) },
                        next: .offset(cursor, truncated: report.page.truncated),
                        extra: [
                            "window": [
                                "days": .int(days), "start": .string(PrefectDate.format(report.windowStart)),
                                "end": .string(PrefectDate.format(report.windowEnd)),
                            ],
                            "notes": .array(report.notes.map(JSONValue.string)),
                        ]
                    ).json())
            }
        }
    }
}
