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
            flow runs stuck in Pending (a proactive trigger). With `action_type` (e.g. "run-deployment", \
            "cancel-flow-run") the schema is narrowed to that action: actions, actions_on_trigger and \
            actions_on_resolve take only it, and the definitions of the other actions are left out.
            """,
        inputSchema: [
            "type": "object", "additionalProperties": false, "required": ["object_type"],
            "properties": [
                "object_type": ["type": "string", "enum": ["automation"]],
                "action_type": [
                    "type": "string", "enum": .array(AutomationSchema.actionTypes.map(JSONValue.string)),
                    "description": "Only this action in the automation's action lists (a smaller schema).",
                ],
            ],
        ],
        outputSchema: [
            "type": "object", "required": ["object_type", "schema", "create_with", "examples"],
            "properties": [
                "object_type": ["type": "string"], "action_type": ["type": "string"], "schema": ["type": "object"],
                "create_with": ["type": "string"], "examples": ["type": "object"],
            ],
        ],
        annotations: .readOnly
    ) { values, _ in
        let actionType = values["action_type"]?.stringValue
        let schema: JSONValue
        do {
            schema = try actionType.map(AutomationSchema.pruned(toAction:)) ?? FilterSchemas.automation
        } catch let error as AutomationSchema.UnknownActionType {
            throw ToolError(error.description)
        }
        let example: JSONValue = [
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
        var result: [String: JSONValue] = [
            "object_type": "automation",
            "schema": schema,
            "create_with": "prefect automation create --from-json '<the automation as JSON>' (or --from-file automation.json)",
            // The example cancels the run: it is shown with the schemas it is valid against.
            "examples": actionType == nil || actionType == "cancel-flow-run" ? ["proactive_stuck_pending_flow_runs": example] : [:],
        ]
        if let actionType { result["action_type"] = .string(actionType) }
        return ToolResult(.object(result))
    }
}
