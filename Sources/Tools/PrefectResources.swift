import Core
import FoundationEssentials
import JSONValue
import MCP

/// Resource templates and prompts over the same Core queries as the tools.
extension PrefectTools {
    static func resourceTemplates(_ environment: ToolEnvironment) -> [ResourceTemplateDefinition] {
        let poolNames: CompletionProvider = { prefix, _ in
            try await environment.query { client, _ in try await client.workPoolNames(matching: prefix) }
        }
        return [
            ResourceTemplateDefinition(
                uriTemplate: "prefect://flow-runs/{id}", name: "flow-run", title: "Flow run",
                description: "One flow run: state, times, flow and deployment names, UI link."
            ) { variables, _ in
                let id = variables["id"] ?? ""
                return try await environment.query { client, settings in
                    let run = try await resourceLookup("flow run \(id)") { try await client.flowRun(idOrName: id) }
                    let row = try await client.rows(for: [run], ui: settings.uiURL)[0]
                    return [ResourceContents(uri: "prefect://flow-runs/\(id)", text: try jsonText(row))]
                }
            },
            ResourceTemplateDefinition(
                uriTemplate: "prefect://flow-runs/{id}/logs", name: "flow-run-logs", title: "Flow run logs",
                description: "The newest 200 log lines of a flow run, oldest first, as plain text.", mimeType: "text/plain"
            ) { variables, _ in
                let id = variables["id"] ?? ""
                return try await environment.query { client, _ in
                    let page = try await resourceLookup("flow run \(id)") {
                        try await client.flowRunLogs(flowRunID: id, newest: true, limit: 200, offset: 0)
                    }
                    let text = page.lines.map { line in
                        "\(PrefectDate.format(line.timestamp)) \(line.levelName)\(line.taskRunName.map { " [\($0)]" } ?? "") \(line.message)"
                    }.joined(separator: "\n")
                    return [ResourceContents(uri: "prefect://flow-runs/\(id)/logs", mimeType: "text/plain", text: text)]
                }
            },
            ResourceTemplateDefinition(
                uriTemplate: "prefect://deployments/{id}", name: "deployment", title: "Deployment",
                description: "One deployment (by id): paused, schedules, pool and queue, its limit."
            ) { variables, _ in
                let id = variables["id"] ?? ""
                return try await environment.query { client, settings in
                    let deployment = try await resourceLookup("deployment \(id)") { try await client.deployment(idOrSlug: id) }
                    let flowName = await client.flowName(id: deployment.flowID)
                    return [
                        ResourceContents(
                            uri: "prefect://deployments/\(id)", text: try jsonText(DeploymentRow(deployment, flowName: flowName, ui: settings.uiURL)))
                    ]
                }
            },
            ResourceTemplateDefinition(
                uriTemplate: "prefect://work-pools/{name}", name: "work-pool", title: "Work pool",
                description: "One work pool with workers, heartbeats, queues, late and active runs.",
                completions: ["name": poolNames]
            ) { variables, _ in
                let name = variables["name"] ?? ""
                return try await environment.query { client, settings in
                    let details = try await client.workPoolDetails(filter: WorkPoolFilter.named(name), ui: settings.uiURL)
                    guard let detail = details.first else { throw ToolError("Resource not found: no work pool named '\(name.echoed)'") }
                    return [ResourceContents(uri: "prefect://work-pools/\(name)", text: try jsonText(detail))]
                }
            },
        ]
    }

    static func prompts(_ environment: ToolEnvironment) -> [PromptDefinition] {
        let slugs: CompletionProvider = { text, _ in
            try await environment.query { client, _ in try await client.deploymentSlugs(matching: text) }
        }
        return [
            PromptDefinition(
                name: "debug_flow_run", title: "Debug a flow run",
                description: "Find out why a flow run failed, crashed or is stuck, and how to fix it.",
                arguments: [PromptArgument(name: "flow_run", description: "The flow run's id or exact name", required: true)]
            ) { arguments, _ in
                let run = arguments["flow_run"] ?? ""
                return PromptResult(
                    description: "Debug flow run \(run)",
                    messages: [
                        """
                        Find out why the Prefect flow run '\(run)' failed, crashed or is stuck. Call diagnose_flow_run with \
                        flow_run "\(run)". Read its error_logs (the traceback), failed_task_runs, causes and hints; if you need \
                        more of the log, call get_flow_run_logs with tail: true. Then explain the root cause in two or three \
                        sentences, quote the decisive error line, and give the fix, with the exact prefect CLI command from \
                        next_steps where a change in Prefect is needed.
                        """
                    ])
            },
            PromptDefinition(
                name: "debug_deployment", title: "Debug a deployment", description: "Find out why a deployment does not run, or runs badly.",
                arguments: [
                    PromptArgument(name: "deployment", description: "FLOW/DEPLOYMENT or the deployment's id", required: true, completion: slugs)
                ]
            ) { arguments, _ in
                let deployment = arguments["deployment"] ?? ""
                return PromptResult(
                    description: "Debug deployment \(deployment)",
                    messages: [
                        """
                        Find out why the Prefect deployment '\(deployment)' is not running as expected. Call diagnose_deployment \
                        with deployment "\(deployment)". If it has Late runs, call diagnose_late_runs with deployment_name \
                        "\(deployment)"; if recent runs failed, call diagnose_flow_run on the last failed one. Report each problem \
                        with its fix (prefect CLI commands where they exist), most important first.
                        """
                    ])
            },
            PromptDefinition(
                name: "triage_late_runs", title: "Triage late runs", description: "Why are runs late, and what unblocks them?", arguments: []
            ) { _, _ in
                PromptResult(
                    description: "Triage late runs",
                    messages: [
                        """
                        Find out why Prefect flow runs are late. Call diagnose_late_runs. Group the runs by cause (its summary \
                        counts them), and for each cause say which pools, queues or deployments are affected, what holds them \
                        (name the runs occupying full limits) and the fix, with the prefect CLI command. Mention late_count if \
                        it exceeds the runs listed.
                        """
                    ])
            },
        ]
    }

    /// Maps a Prefect "not found" to a resource error.
    private static func resourceLookup<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch PrefectError.notFound {
            throw ToolError("Resource not found: no \(what)")
        }
    }

    private static func jsonText(_ value: some Encodable) throws -> String {
        try JSONCoding.encode(value).jsonText
    }
}
