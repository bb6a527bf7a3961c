import Core
import FoundationEssentials
import JSONValue
import MCP

extension PrefectTools {
    /// `diagnose_flow_run`: why this run failed, crashed or is stuck, and what to do next.
    static func diagnoseFlowRun(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "diagnose_flow_run",
            title: "Diagnose Flow Run",
            description: """
                Why did this run fail (or crash, or why is it stuck)? Takes a flow run id or its exact name (as \
                flow_run or flow_run_id); without one it diagnoses the most recent top-level run that ended Failed or \
                Crashed and says so in `selection`. Returns: the run with its state and message, the state history, \
                task-run counts and the failed task runs with their messages; for a run that failed because a subflow \
                failed, the chain of failed subflow runs down to the deepest one, with its failed task and traceback \
                (subflow_failure); the newest ERROR lines and the last log lines, retries (attempts, remaining, next \
                attempt), parameters that differ from the deployment's defaults, what it waits for (paused, no worker, \
                limits full; a Cancelling run's worker and the server's cancellation timeout; an AwaitingRetry run's \
                next attempt), hints read from the error text (out of memory, missing module, timeout, …) and next \
                steps as prefect CLI commands.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "flow_run": [
                        "type": "string", "minLength": 1, "description": "The flow run's id, or its exact name. Omit for the latest failure.",
                    ],
                    "flow_run_id": ["type": "string", "minLength": 1, "description": "The same as flow_run (the official server's name for it)."],
                ],
            ],
            outputSchema: [
                "type": "object",
                "required": ["run", "state_history", "failed_task_runs", "error_logs", "last_log_lines", "causes", "hints", "next_steps"],
                "properties": [
                    "run": SchemaFragments.flowRunRow, "selection": SchemaFragments.nullableString,
                    "subflow_failure": [
                        "type": ["object", "null"],
                        "properties": [
                            "path": ["type": "string"], "chain": ["type": "array"], "failed_task_runs": ["type": "array"],
                            "error_logs": ["type": "array"], "truncated": ["type": "boolean"],
                        ],
                    ],
                    "state_history": ["type": "array"], "task_run_counts": ["type": "object", "additionalProperties": ["type": "integer"]],
                    "failed_task_runs": ["type": "array"], "error_logs": ["type": "array"], "last_log_lines": ["type": "array"],
                    "retries": ["type": "object"], "parameter_differences": ["type": "array"], "causes": ["type": "array"],
                    "hints": ["type": "array", "items": ["type": "string"]], "next_steps": ["type": "array", "items": ["type": "string"]],
                ],
            ],
            annotations: .readOnly
        ) { values, _ in
            let named = values["flow_run"]?.stringValue
            let byID = values["flow_run_id"]?.stringValue
            if let named, let byID, named != byID {
                throw ToolError("flow_run and flow_run_id name different runs ('\(named.echoed)', '\(byID.echoed)'); pass one of them.")
            }
            let reference = named ?? byID
            return try await environment.query { client, settings in
                do {
                    let found =
                        if let reference {
                            try await client.diagnoseFlowRun(idOrName: reference, ui: settings.uiURL)
                        } else {
                            try await client.diagnoseLatestFailure(ui: settings.uiURL)
                        }
                    guard let diagnosis = found else {
                        throw ToolError("No flow run has ended Failed or Crashed, so there is no failure to diagnose; name a run to diagnose it.")
                    }
                    let id = diagnosis.run.id
                    return ToolResult(
                        ListOutput.clip(try JSONValue(encoding: diagnosis), limit: 8_000),
                        links: [
                            ResourceLink(uri: "prefect://flow-runs/\(id)", name: diagnosis.run.name, mimeType: "application/json"),
                            ResourceLink(
                                uri: "prefect://flow-runs/\(id)/logs", name: "\(diagnosis.run.name) logs", description: "The newest 200 log lines",
                                mimeType: "text/plain"),
                        ])
                } catch PrefectError.notFound {
                    throw ToolError("flow_run: no flow run has the id or name '\((reference ?? "").echoed)'. Find runs with get_flow_runs.")
                } catch let error as AmbiguousRunName {
                    throw ToolError("flow_run: \(error)")
                }
            }
        }
    }
}
