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
                Why did this run fail (or crash, or why is it stuck)? Takes a flow run id or its exact name and \
                returns: the run with its state and message, the state history, task-run counts and the failed task \
                runs with their messages, the newest ERROR lines (the traceback, however long the log) and the last \
                log lines, retries, parameters that differ from the deployment's defaults, what blocks it if it waits \
                (paused, no worker, limits full), hints read from the error text (out of memory, missing module, \
                timeout, …) and next steps as prefect CLI commands.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false, "required": ["flow_run"],
                "properties": ["flow_run": ["type": "string", "minLength": 1, "description": "The flow run's id, or its exact name."]],
            ],
            outputSchema: [
                "type": "object",
                "required": ["run", "state_history", "failed_task_runs", "error_logs", "last_log_lines", "causes", "hints", "next_steps"],
                "properties": [
                    "run": SchemaFragments.flowRunRow,
                    "state_history": ["type": "array"], "task_run_counts": ["type": "object", "additionalProperties": ["type": "integer"]],
                    "failed_task_runs": ["type": "array"], "error_logs": ["type": "array"], "last_log_lines": ["type": "array"],
                    "retries": ["type": "object"], "parameter_differences": ["type": "array"], "causes": ["type": "array"],
                    "hints": ["type": "array", "items": ["type": "string"]], "next_steps": ["type": "array", "items": ["type": "string"]],
                ],
            ],
            annotations: .readOnly
        ) { values, _ in
            let reference = values["flow_run"]?.stringValue ?? ""
            return try await environment.query { client, settings in
                do {
                    let diagnosis = try await client.diagnoseFlowRun(idOrName: reference, ui: settings.uiURL)
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
                    throw ToolError("flow_run: no flow run has the id or name '\(reference.echoed)'. Find runs with get_flow_runs.")
                } catch let error as AmbiguousRunName {
                    throw ToolError("flow_run: \(error)")
                }
            }
        }
    }
}
