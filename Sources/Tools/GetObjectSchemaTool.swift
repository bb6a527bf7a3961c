import Core
import JSONValue
import MCP

extension PrefectTools {
    /// `get_object_schema`: the JSON Schema of an automation, to write one for `prefect automation create`.
    static let getObjectSchema = ToolDefinition(
        name: "get_object_schema",
        title: "Get Object Schema",
        description: """
            The JSON Schema of a Prefect object you may ask the user to create with the prefect CLI. Today: \
            "automation" (what `prefect automation create --from-json` accepts), with a worked example that catches \
            flow runs stuck in Pending (a proactive trigger).
            """,
        inputSchema: [
            "type": "object", "additionalProperties": false, "required": ["object_type"],
            "properties": ["object_type": ["type": "string", "enum": ["automation"]]],
        ],
        outputSchema: [
            "type": "object", "required": ["object_type", "schema", "create_with", "examples"],
            "properties": [
                "object_type": ["type": "string"], "schema": ["type": "object"], "create_with": ["type": "string"], "examples": ["type": "object"],
            ],
        ],
        annotations: .readOnly
    ) { _, _ in
        ToolResult([
            "object_type": "automation",
            "schema": FilterSchemas.automation,
            "create_with": "prefect automation create --from-json '<the automation as JSON>' (or --from-file automation.json)",
            "examples": [
                "proactive_stuck_pending_flow_runs": [
                    "name": "flow run stuck in Pending",
                    "description": "Fires when a flow run enters Pending and does not reach Running or Crashed within 5 minutes.",
                    "enabled": true,
                    "trigger": [
                        "type": "event", "posture": "Proactive",
                        "after": ["prefect.flow-run.Pending"], "expect": ["prefect.flow-run.Running", "prefect.flow-run.Crashed"],
                        "for_each": ["prefect.resource.id"], "match": ["prefect.resource.id": "prefect.flow-run.*"],
                        "threshold": 1, "within": 300,
                    ],
                    "actions": [["type": "cancel-flow-run"]],
                ]
            ],
        ])
    }
}
