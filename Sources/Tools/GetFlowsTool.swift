import Core
import FoundationEssentials
import JSONValue
import MCP

extension PrefectTools {
    /// `get_flows`: flows by name with their deployment counts.
    static func getFlows(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "get_flows",
            title: "Get Flows",
            description: """
                Flows, by name, each with its tags, number of deployments and UI link. `filter` takes Prefect's \
                FlowFilter JSON, e.g. {"name": {"like_": "etl"}} (a case-insensitive substring).
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": ["filter": FilterSchemas.flowFilter, "limit": SchemaFragments.limit(default: 50), "cursor": SchemaFragments.cursor],
            ],
            outputSchema: SchemaFragments.listOutput(
                key: "flows",
                item: [
                    "type": "object", "required": ["id", "name", "tags", "deployments", "ui_url"],
                    "properties": [
                        "id": ["type": "string"], "name": ["type": "string"], "tags": ["type": "array", "items": ["type": "string"]],
                        "deployments": ["type": "integer"], "created": SchemaFragments.nullableString, "updated": SchemaFragments.nullableString,
                        "ui_url": ["type": "string"],
                    ],
                ]
            ),
            annotations: .readOnly
        ) { values, _ in
            let arguments = ToolArguments(values, tool: "get_flows")
            let cursor = try arguments.cursor()
            let filter = try arguments.filter(as: FlowFilter.self)
            return try await environment.query { client, settings in
                let page = try await client.flowRows(
                    filter: filter, limit: arguments.int("limit", default: 50), offset: cursor.offset, ui: settings.uiURL)
                return ToolResult(
                    ListOutput(
                        key: "flows", items: try page.items.map { try JSONValue(encoding: $0) }, next: .offset(cursor, truncated: page.truncated)
                    ).json())
            }
        }
    }

    /// `orientation`: how to use this server well; with writes on, which tools change Prefect.
    static func orientation(writes: Bool) -> ToolDefinition {
        ToolDefinition(
            name: "orientation",
            title: "Orientation",
            description:
                "How to use the prefect-mcp tools well: which tool answers which question, and how to make changes (through the prefect CLI).",
            inputSchema: ["type": "object", "properties": [:], "additionalProperties": false],
            outputSchema: ["type": "object", "required": ["guide"], "properties": ["guide": ["type": "string"]]],
            annotations: .readOnly
        ) { _, _ in
            let guide =
                writes
                ? orientationGuide.replacing("; it never changes anything.", with: "; it changes Prefect only through the tools below.")
                    + writesGuide
                : orientationGuide
            return ToolResult(["guide": .string(guide)])
        }
    }

    /// The part of the guide only a server with writes on adds.
    static let writesGuide = """

        Writes are on (the user started prefect-mcp with --allow-writes). Use them only when the user asks for that \
        action, and say what you will change first; dry_run: true shows the exact request without sending it:
        - run_deployment: starts a run of a deployment with parameters, tags, job variables and a start time, all \
        validated before anything is sent.
        - cancel_flow_run: cancels a run as the prefect CLI does (Cancelling; its worker stops it).
        - retry_flow_run: runs a finished deployment run again (Scheduled; a worker picks it up).
        - set_paused: pauses or resumes a deployment, a work pool or a work queue.
        """

    static let orientationGuide = """
        prefect-mcp reads a Prefect 3 server or Prefect Cloud workspace; it never changes anything.
        - Which server, which credentials: get_identity.
        - How things stand: get_dashboard (exact run counts by state for a window, late/running/pending/upcoming now, \
        work pool health, concurrency limits with their occupancy).
        - Runs: get_flow_runs (recent = expected at or before now, newest first; future runs are counted apart as \
        upcoming). Filter with Prefect's FlowRunFilter JSON, e.g. {"state": {"type": {"any_": ["FAILED", "CRASHED"]}}}, \
        or {"state": {"name": {"any_": ["Late"]}}} for Late runs; narrow with flow_name, deployment_name, work_pool_name.
        - Why a run failed: get_flow_run_logs with tail: true shows the newest lines, where the traceback is, however \
        long the log; level: "ERROR" keeps errors only.
        - After a run is started: wait_for_flow_run waits until it finishes (or reaches a state named in until, e.g. \
        Running) and says how it ended and, for a failure, why; progress is reported while it waits.
        - Workers and queues: get_work_pools (a pool with no ONLINE worker cannot start runs; paused pools and queues \
        hold runs back).
        - Flows: get_flows; deployments: get_deployments; task runs: get_task_runs; events: read_events.
        - Diagnosis, computed from the server's state: diagnose_flow_run (why a run failed or is stuck), \
        diagnose_late_runs (why runs do not start: no worker, paused, which limit is full and who holds it), \
        diagnose_deployment (why a deployment does not run).
        - Which deployments are dormant, spinning, broken or productive: get_deployment_activity (per deployment over \
        window_days: run counts, last run and completion, the automations that run it, its own events).
        - HTTP 429s on Prefect Cloud: review_rate_limits. How to do X with the prefect CLI: search_docs.
        - Also: get_automations, get_concurrency_limits (occupancy included), get_flow_run_history (counts per time \
        bucket), get_variables, get_artifacts, get_object_schema (to write an automation; action_type narrows it to one \
        action).
        Lists page: pass next_cursor back unchanged to get the next page; truncated says whether more exists.
        Times accept ISO 8601 or how long ago (15m, 24h, 7d). Ids are UUIDs.
        To change something, give the user the prefect CLI command, for example: prefect deployment run FLOW/DEPLOYMENT, \
        prefect flow-run cancel ID, prefect deployment schedule pause FLOW/DEPLOYMENT --all, prefect work-pool resume NAME, \
        prefect work-queue resume NAME --pool POOL.
        """
}
