import Core
import FoundationEssentials
import JSONValue
import MCP

extension PrefectTools {
    /// `diagnose_late_runs`: the concrete cause of each Late or stuck-Pending run.
    static func diagnoseLateRuns(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "diagnose_late_runs",
            title: "Diagnose Late Runs",
            description: """
                Why are my runs late? For each Late run, and each run Pending for more than 5 minutes, the causes \
                computed from the server's state, most decisive first: deployment paused, work pool or queue paused, \
                no ONLINE worker in the pool (with the last heartbeat's age), pool / queue / deployment concurrency \
                limit full (naming the runs that hold it), no work pool. Each cause has a code, a message and the fix \
                (a prefect CLI command where one exists). Narrow with deployment_name (name or flow/deployment), \
                work_pool_name or work_queue_name.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "deployment_name": ["type": "string", "minLength": 1],
                    "work_pool_name": ["type": "string", "minLength": 1],
                    "work_queue_name": ["type": "string", "minLength": 1],
                    "limit": SchemaFragments.limit(default: 25, maximum: 100),
                ],
            ],
            outputSchema: [
                "type": "object", "required": ["runs", "late_count", "summary", "checked_at"],
                "properties": [
                    "runs": [
                        "type": "array",
                        "items": [
                            "type": "object", "required": ["run", "causes"],
                            "properties": [
                                "run": SchemaFragments.flowRunRow,
                                "causes": [
                                    "type": "array",
                                    "items": [
                                        "type": "object", "required": ["code", "message", "fix"],
                                        "properties": [
                                            "code": ["type": "string"], "message": ["type": "string"], "fix": SchemaFragments.nullableString,
                                        ],
                                    ],
                                ],
                            ],
                        ],
                    ],
                    "late_count": ["type": "integer", "description": "All Late runs in scope; runs lists at most `limit` of them."],
                    "summary": ["type": "object", "additionalProperties": ["type": "integer"], "description": "Diagnosed runs per cause code."],
                    "checked_at": ["type": "string"],
                ],
            ],
            annotations: .readOnly
        ) { values, _ in
            let arguments = ToolArguments(values, tool: "diagnose_late_runs")
            let scope = RunScope(deploymentName: arguments.string("deployment_name"), workPoolName: arguments.string("work_pool_name"))
            return try await environment.query { client, settings in
                let report = try await client.diagnoseLateRuns(
                    scope: scope, workQueueName: arguments.string("work_queue_name"), limit: arguments.int("limit", default: 25),
                    now: arguments.now, ui: settings.uiURL)
                return ToolResult(try JSONValue(encoding: report))
            }
        }
    }
}
