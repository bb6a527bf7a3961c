import Core
import FoundationEssentials
import JSONValue
import MCP

extension PrefectTools {
    /// `get_dashboard`: exact run counts for a window, work pool health and concurrency limits, in one call.
    static func getDashboard(_ environment: ToolEnvironment) -> ToolDefinition {
        let counts: JSONValue = ["type": "object", "additionalProperties": ["type": "integer"]]
        return ToolDefinition(
            name: "get_dashboard",
            title: "Get Dashboard",
            description: """
                One-call overview of the server. flow_runs counts runs expected to start within `window` (default \
                24h) by state type and by state name, exactly (Prefect's count and history endpoints, no caps); \
                `late`, `running`, `pending` and `upcoming` are counts right now, whatever the window. work_pools \
                gives each pool's status, online workers, freshest heartbeat (workers read at most 15 s before), late \
                runs and active runs; \
                concurrency_limits lists tag, deployment and global limits with their real occupancy.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "window": [
                        "type": "string", "pattern": "^[0-9]+[smhdw]$", "default": "24h",
                        "description": "How far back to count: 15m, 1h, 24h, 7d, …",
                    ]
                ],
            ],
            outputSchema: [
                "type": "object", "required": ["flow_runs", "work_pools", "concurrency_limits", "server"],
                "properties": [
                    "flow_runs": [
                        "type": "object", "required": ["total", "by_state", "by_state_name", "late", "running", "pending", "upcoming", "window"],
                        "properties": [
                            "total": ["type": "integer"], "by_state": counts, "by_state_name": counts,
                            "late": ["type": "integer"], "running": ["type": "integer"], "pending": ["type": "integer"],
                            "upcoming": ["type": "integer"],
                            "window": [
                                "type": "object",
                                "properties": ["label": ["type": "string"], "start": ["type": "string"], "end": ["type": "string"]],
                            ],
                        ],
                    ],
                    "work_pools": ["type": "array", "items": ["type": "object", "required": ["name", "status", "online_workers", "late_runs"]]],
                    "concurrency_limits": ["type": "array", "items": ["type": "object", "required": ["name", "kind", "limit", "active_slots"]]],
                    "server": ["type": "object"],
                ],
            ],
            annotations: .readOnly
        ) { values, _ in
            let label = values["window"]?.stringValue ?? "24h"
            guard let window = TimeWindow(label) else {
                throw ToolError("window: '\(label.echoed)' is not a window; use \(TimeWindow.expectedFormat).")
            }
            return try await environment.query { client, settings in
                async let status = client.status(settings: settings, window: window)
                async let limits = client.concurrencyLimits()
                let overview = try await status
                let runs = overview.flowRuns
                return ToolResult([
                    "flow_runs": [
                        "total": .int(runs.total),
                        "by_state": try JSONValue(encoding: runs.byType), "by_state_name": try JSONValue(encoding: runs.byName),
                        "late": .int(runs.late), "running": .int(runs.running), "pending": .int(runs.pending), "upcoming": .int(runs.upcoming),
                        "window": try JSONValue(encoding: overview.window),
                    ],
                    "work_pools": try JSONValue(encoding: overview.workPools),
                    "concurrency_limits": try JSONValue(encoding: try await limits),
                    "server": try JSONValue(encoding: overview.server),
                ])
            }
        }
    }
}
