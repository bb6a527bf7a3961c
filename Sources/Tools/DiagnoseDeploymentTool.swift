import Core
import JSONValue
import MCP

extension PrefectTools {
    /// `diagnose_deployment`: can this deployment run, and how have its runs gone?
    static func diagnoseDeployment(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "diagnose_deployment",
            title: "Diagnose Deployment",
            description: """
                Why isn't this deployment running? Takes a deployment id or FLOW/DEPLOYMENT name and returns the \
                deployment (paused, schedules, pool, queue, its own limit), its work pool's health (workers, queues), \
                the problems found (paused, no or no active schedule, pool or queue paused, no online worker, limit \
                full) with fixes, its run outcomes over the last 7 days, its Late runs, and the last and next runs.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false, "required": ["deployment"],
                "properties": ["deployment": ["type": "string", "minLength": 1, "description": "FLOW/DEPLOYMENT, or the deployment's id."]],
            ],
            outputSchema: [
                "type": "object", "required": ["deployment", "problems", "outcomes_last_7_days", "late_runs"],
                "properties": [
                    "deployment": ["type": "object"], "work_pool": ["type": ["object", "null"]], "problems": ["type": "array"],
                    "outcomes_last_7_days": ["type": "object", "additionalProperties": ["type": "integer"]],
                    "last_run": ["type": ["object", "null"]], "next_run": ["type": ["object", "null"]], "late_runs": ["type": "integer"],
                ],
            ],
            annotations: .readOnly
        ) { values, _ in
            let reference = values["deployment"]?.stringValue ?? ""
            return try await environment.query { client, settings in
                do {
                    return ToolResult(try JSONValue(encoding: try await client.diagnoseDeployment(idOrSlug: reference, ui: settings.uiURL)))
                } catch PrefectError.cannotBuildRequest(_, let detail) {
                    throw ToolError("deployment: '\(reference.echoed)' is not a deployment reference: \(detail).")
                } catch PrefectError.notFound {
                    throw ToolError("deployment: no deployment '\(reference.echoed)'. Name it as FLOW/DEPLOYMENT (see get_deployments) or by id.")
                }
            }
        }
    }
}
