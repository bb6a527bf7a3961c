import Core
package import MCP

/// The MCP face of Core: every tool, resource and prompt `prefect-mcp mcp` serves, in the order listed.
package enum PrefectTools {
    package static func registry(_ environment: ToolEnvironment, testTools: Bool) -> Registry {
        let writes = environment.writes != nil
        var tools = [
            orientation(writes: writes), getIdentity(environment), getDashboard(environment), diagnoseFlowRun(environment),
            diagnoseLateRuns(environment),
            diagnoseDeployment(environment),
            getFlowRuns(environment), getFlowRunLogs(environment), waitForFlowRun(environment),
            getWorkPools(environment), getDeployments(environment), getFlows(environment), getTaskRuns(environment),
            getDeploymentActivity(environment),
            readEvents(environment), getAutomations(environment), getConcurrencyLimits(environment), getFlowRunHistory(environment),
            getVariables(environment), getArtifacts(environment), getObjectSchema, reviewRateLimits(environment), searchDocs(environment),
        ].map { officialTakingWorkspaceID.contains($0.name) ? $0.acceptingWorkspaceID(environment) : $0 }
        if writes { tools += [runDeployment(environment), cancelFlowRun(environment), retryFlowRun(environment), setPaused(environment)] }
        if testTools { tools += TestingTools.all }
        return Registry(tools: tools, resourceTemplates: resourceTemplates(environment), prompts: prompts(environment))
    }

    /// The official server's tools that take `workspace_id`.
    static let officialTakingWorkspaceID: Set<String> = [
        "get_identity", "get_dashboard", "get_deployments", "get_flows", "get_flow_runs", "get_flow_run_logs", "get_task_runs",
        "get_work_pools", "read_events", "get_automations", "review_rate_limits",
    ]

    package static func serverInfo(version: String, writes: Bool = false) -> ServerInfo {
        ServerInfo(
            name: "prefect-mcp",
            version: version,
            title: "Prefect",
            description: writes
                ? "Monitoring, debugging and (the user turned writes on) actions on a Prefect 3 server or Prefect Cloud workspace."
                : "Read-only monitoring and debugging of a Prefect 3 server or Prefect Cloud workspace.",
            instructions: writes ? writeInstructions : instructions
        )
    }

    static let writeInstructions = """
        prefect-mcp reads a Prefect 3 server (self-hosted or Prefect Cloud); the orientation tool explains which tool \
        answers which question. Start with get_identity, and get_dashboard for exact run counts, work pool health and \
        concurrency. The user started it with writes on: run_deployment, cancel_flow_run, retry_flow_run and \
        set_paused change Prefect. Use them only \
        when the user asks for that action, name the target first, and prefer dry_run: true to show what would be sent. \
        For other changes, tell the user the `prefect` CLI command to run.
        """

    static let instructions = """
        prefect-mcp reads a Prefect 3 server (self-hosted or Prefect Cloud) and never changes it; the orientation \
        tool explains which tool answers which question. Start with get_identity to see which server and credentials are in use, and \
        get_dashboard for exact run \
        counts, work pool health and concurrency. get_flow_runs lists recent runs (newest first; future ones apart \
        as upcoming); get_flow_run_logs with tail: true reaches a failed run's traceback. \
        To change anything (run or cancel a flow run, pause a deployment or work pool, create an automation), \
        tell the user the `prefect` CLI command to run; this server has no write tools.
        """
}
