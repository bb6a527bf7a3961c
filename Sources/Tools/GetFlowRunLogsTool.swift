import Core
import FoundationEssentials
import JSONValue
import MCP

extension PrefectTools {
    /// `get_flow_run_logs`: a run's logs from either end, filtered by level and task run, paged both ways.
    static func getFlowRunLogs(_ environment: ToolEnvironment) -> ToolDefinition {
        let line: JSONValue = [
            "type": "object", "required": ["timestamp", "level_name", "message"],
            "properties": [
                "id": ["type": "string"], "timestamp": ["type": "string"], "level": ["type": "integer"], "level_name": ["type": "string"],
                "message": ["type": "string"], "logger": SchemaFragments.nullableString, "task_run_id": SchemaFragments.nullableString,
                "task_run_name": SchemaFragments.nullableString,
            ],
        ]
        return ToolDefinition(
            name: "get_flow_run_logs",
            title: "Get Flow Run Logs",
            description: """
                Log lines of one flow run, always shown oldest first. With tail: true the page is the newest lines: \
                use it to read a failed run's traceback, which is at the end however long the log is. `level` keeps \
                lines at or above a level (DEBUG, INFO, WARNING, ERROR, CRITICAL); `task_run_id` keeps one task's lines. \
                next_cursor continues in the reading direction (later lines, or with tail earlier ones); \
                previous_cursor goes back. Messages over 8000 characters are cut, with a marker.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false, "required": ["flow_run_id"],
                "properties": [
                    "flow_run_id": ["type": "string", "format": "uuid", "description": "The flow run's id."],
                    "tail": ["type": "boolean", "default": false, "description": "Read from the newest line backwards."],
                    "level": ["type": "string", "enum": ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], "description": "Minimum level."],
                    "task_run_id": ["type": "string", "format": "uuid", "description": "Only this task run's lines."],
                    "limit": SchemaFragments.limit(default: 100),
                    "cursor": SchemaFragments.cursor,
                ],
            ],
            outputSchema: SchemaFragments.listOutput(
                key: "logs", item: line,
                extra: [
                    "flow_run_id": ["type": "string"], "flow_run_name": ["type": "string"], "state_name": SchemaFragments.nullableString,
                    "order": ["type": "string", "enum": ["oldest_first"]], "previous_cursor": SchemaFragments.nullableString,
                ]
            ),
            annotations: .readOnly
        ) { values, _ in
            let arguments = ToolArguments(values, tool: "get_flow_run_logs")
            let cursor = try arguments.cursor()
            let runID = try arguments.uuid("flow_run_id")!
            let taskRunID = try arguments.uuid("task_run_id")
            let level = arguments.string("level").flatMap(LogLevel.init(name:))
            let newest = arguments.bool("tail", default: false)
            let limit = arguments.int("limit", default: 100)
            return try await environment.query { client, _ in
                let page: FlowRunLogPage
                do {
                    page = try await client.flowRunLogs(
                        flowRunID: runID, minimumLevel: level, taskRunID: taskRunID, newest: newest, limit: limit, offset: cursor.offset)
                } catch PrefectError.notFound {
                    throw ToolError("flow_run_id: no flow run has the id \(runID). Find runs with get_flow_runs.")
                }
                var previous = cursor
                previous.offset = max(0, cursor.offset - limit)
                // As read (newest first from the end), so a budget cut keeps the newest; shown oldest first.
                let lines = try page.linesAsRead.map { try JSONValue(encoding: $0) }
                let output = ListOutput(
                    key: "logs", items: lines, next: .offset(cursor, truncated: page.truncated),
                    extra: [
                        "flow_run_id": .string(page.run.id), "flow_run_name": .string(page.run.name),
                        "state_name": page.run.stateName.map(JSONValue.string) ?? .null, "order": "oldest_first",
                        "previous_cursor": cursor.offset > 0 ? .string(previous.encoded) : .null,
                    ],
                    longestString: 8_000, reversedForDisplay: newest
                )
                return ToolResult(output.json())
            }
        }
    }
}
