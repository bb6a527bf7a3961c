import Core
import FoundationEssentials
import JSONValue
import MCP

extension PrefectTools {
    /// A list tool: a Prefect `filter`, `limit` and `cursor` in; `{<key>: [...], count, truncated, next_cursor}` out.
    /// - Parameters:
    ///   - fetch: reads one page from Core.
    ///   - row: turns one item into its output row.
    static func listTool<Filter: Codable & Sendable, Item: Sendable>(
        name: String, title: String, description: String, key: String,
        filterSchema: JSONValue, filterType: Filter.Type, itemSchema: JSONValue, defaultLimit: Int = 50,
        environment: ToolEnvironment,
        fetch:
            @escaping @Sendable (_ client: PrefectClient, _ settings: PrefectSettings, _ filter: Filter?, _ limit: Int, _ offset: Int) async throws ->
            Page<Item>,
        row: @escaping @Sendable (_ item: Item, _ settings: PrefectSettings, _ now: Date) throws -> JSONValue
    ) -> ToolDefinition {
        ToolDefinition(
            name: name, title: title, description: description,
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": ["filter": filterSchema, "limit": SchemaFragments.limit(default: defaultLimit), "cursor": SchemaFragments.cursor],
            ],
            outputSchema: SchemaFragments.listOutput(key: key, item: itemSchema),
            annotations: .readOnly
        ) { values, _ in
            let arguments = ToolArguments(values, tool: name)
            let cursor = try arguments.cursor()
            let filter = try arguments.filter(as: Filter.self)
            let limit = arguments.int("limit", default: defaultLimit)
            return try await environment.query { client, settings in
                let page = try await fetch(client, settings, filter, limit, cursor.offset)
                let now = Date(timeIntervalSince1970: cursor.anchor)
                return ToolResult(
                    ListOutput(
                        key: key, items: try page.items.map { try row($0, settings, now) }, next: .offset(cursor, truncated: page.truncated)
                    ).json())
            }
        }
    }

    static func getDeployments(_ environment: ToolEnvironment) -> ToolDefinition {
        listTool(
            name: "get_deployments", title: "Get Deployments",
            description: """
                Deployments by name, each with its flow/deployment slug, paused flag, schedules (active or not, with \
                the cron or interval), work pool and queue, its own concurrency limit with active slots, tags, \
                parameters and UI link. `filter` takes Prefect's DeploymentFilter JSON, e.g. {"paused": {"eq_": true}} \
                or {"flow_or_deployment_name": {"like_": "etl"}}.
                """,
            key: "deployments", filterSchema: FilterSchemas.deploymentFilter, filterType: DeploymentFilter.self,
            itemSchema: ["type": "object", "required": ["id", "name", "slug", "paused", "schedules", "work_pool_name", "ui_url"]],
            environment: environment,
            fetch: { client, settings, filter, limit, offset in
                try await client.deploymentRows(filter: filter, limit: limit, offset: offset, ui: settings.uiURL)
            },
            row: { row, _, _ in try JSONValue(encoding: row) }
        )
    }

    static func getTaskRuns(_ environment: ToolEnvironment) -> ToolDefinition {
        listTool(
            name: "get_task_runs", title: "Get Task Runs",
            description: """
                Task runs, newest first, with state and message, tags, times, duration and retries. `filter` takes \
                Prefect's TaskRunFilter JSON, e.g. {"flow_run_id": {"any_": ["<flow run id>"]}} for one run's tasks, \
                or {"state": {"type": {"any_": ["FAILED"]}}}.
                """,
            key: "task_runs", filterSchema: FilterSchemas.taskRunFilter, filterType: TaskRunFilter.self,
            itemSchema: ["type": "object", "required": ["id", "name", "flow_run_id", "state_type", "state_name", "ui_url"]],
            environment: environment,
            fetch: { client, _, filter, limit, offset in try await client.taskRuns(filter: filter, limit: limit, offset: offset) },
            row: { task, settings, now in try JSONValue(encoding: TaskRunRow(task, ui: settings.uiURL, now: now)) }
        )
    }

    static func getVariables(_ environment: ToolEnvironment) -> ToolDefinition {
        listTool(
            name: "get_variables", title: "Get Variables",
            description:
                "Prefect variables by name, with their values and tags. `filter` takes Prefect's VariableFilter JSON, e.g. {\"name\": "
                + "{\"like_\": \"env\"}}.",
            key: "variables", filterSchema: FilterSchemas.variableFilter, filterType: VariableFilter.self,
            itemSchema: ["type": "object", "required": ["name", "value", "tags"]],
            environment: environment,
            fetch: { client, _, filter, limit, offset in try await client.variables(filter: filter, limit: limit, offset: offset) },
            row: { variable, _, _ in try JSONValue(encoding: VariableRow(variable)) }
        )
    }

    static func getArtifacts(_ environment: ToolEnvironment) -> ToolDefinition {
        listTool(
            name: "get_artifacts", title: "Get Artifacts",
            description:
                "Artifacts (reports, tables, links), newest first, with the runs that made them. `filter` takes Prefect's ArtifactFilter "
                + "JSON, e.g. {\"key\": {\"any_\": [\"daily-report\"]}}.",
            key: "artifacts", filterSchema: FilterSchemas.artifactFilter, filterType: ArtifactFilter.self,
            itemSchema: ["type": "object", "required": ["id", "key", "type"]],
            environment: environment,
            fetch: { client, _, filter, limit, offset in try await client.artifacts(filter: filter, limit: limit, offset: offset) },
            row: { artifact, _, _ in try JSONValue(encoding: ArtifactRow(artifact)) }
        )
    }

    static func getAutomations(_ environment: ToolEnvironment) -> ToolDefinition {
        listTool(
            name: "get_automations", title: "Get Automations",
            description: """
                Automations by name: enabled or not, the trigger (type, the events it expects or watches for, \
                threshold and window) and the actions. Use it to answer "why didn't my automation fire?". `filter` \
                takes Prefect's AutomationFilter JSON, e.g. {"name": {"any_": ["notify-on-failure"]}}.
                """,
            key: "automations", filterSchema: FilterSchemas.automationFilter, filterType: AutomationFilter.self,
            itemSchema: ["type": "object", "required": ["id", "name", "enabled", "trigger_type", "action_count"]],
            environment: environment,
            fetch: { client, _, filter, limit, offset in try await client.automations(filter: filter, limit: limit, offset: offset) },
            row: { automation, _, _ in try JSONValue(encoding: AutomationRow(automation)) }
        )
    }
}
