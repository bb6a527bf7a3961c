import Core
import FoundationEssentials
import JSONValue
import MCP

// The tools that change Prefect, registered only when the user started prefect-mcp with --allow-writes.
extension PrefectTools {
    /// What every write tool answers.
    static let actionOutcome: JSONValue = [
        "type": "object", "required": ["action", "target", "dry_run", "requests", "status", "state", "message"],
        "properties": [
            "action": ["type": "string"], "target": ["type": "string"], "dry_run": ["type": "boolean"],
            "requests": [
                "type": "array",
                "items": [
                    "type": "object", "required": ["method", "path"],
                    "properties": ["method": ["type": "string"], "path": ["type": "string"], "body": [:]],
                ],
            ],
            "status": SchemaFragments.nullableString, "state": SchemaFragments.nullableString, "message": ["type": "string"],
        ],
    ]

    static let dryRun: JSONValue = [
        "type": "boolean", "default": false,
        "description": "Validate and return the exact request(s) that would be sent, without sending anything.",
    ]

    /// A write on one flow run, named by `flow_run` (id or exact name), with `dry_run`.
    static func flowRunAction(
        name: String, title: String, description: String, destructive: Bool, environment: ToolEnvironment,
        perform: @escaping @Sendable (_ actions: PrefectActions, _ run: String, _ dryRun: Bool) async throws -> ActionOutcome
    ) -> ToolDefinition {
        ToolDefinition(
            name: name, title: title, description: description,
            inputSchema: [
                "type": "object", "additionalProperties": false, "required": ["flow_run"],
                "properties": [
                    "flow_run": ["type": "string", "minLength": 1, "description": "The flow run's id, or its exact name."],
                    "dry_run": dryRun,
                ],
            ],
            outputSchema: actionOutcome,
            annotations: ToolAnnotations(readOnlyHint: false, destructiveHint: destructive, idempotentHint: false, openWorldHint: true)
        ) { values, _ in
            let reference = values["flow_run"]?.stringValue ?? ""
            let dryRun = values["dry_run"]?.boolValue ?? false
            return try await environment.act { actions, _ in
                do {
                    return ToolResult(try JSONValue(encoding: try await perform(actions, reference, dryRun)))
                } catch PrefectError.notFound {
                    throw ToolError("flow_run: no flow run has the id or name '\(reference.echoed)'. Find runs with get_flow_runs.")
                } catch let error as AmbiguousRunName {
                    throw ToolError("flow_run: \(error)")
                }
            }
        }
    }

    /// `cancel_flow_run`: Cancelling, as `prefect flow-run cancel` does.
    static func cancelFlowRun(_ environment: ToolEnvironment) -> ToolDefinition {
        flowRunAction(
            name: "cancel_flow_run", title: "Cancel Flow Run",
            description: """
                Cancels a flow run as `prefect flow-run cancel` does: it proposes Cancelling, so the worker or process \
                that runs it stops its infrastructure and reports Cancelled (a run that has not started is cancelled at \
                once). A finished or already cancelling run is refused before anything is sent. Returns Prefect's \
                answer (ACCEPT, REJECT, ABORT, WAIT) and the state. Only when the user asks to cancel this run; \
                dry_run: true shows the request without sending it.
                """,
            destructive: true, environment: environment
        ) { actions, run, dryRun in try await actions.cancelFlowRun(idOrName: run, dryRun: dryRun) }
    }

    /// `retry_flow_run`: a finished deployment run, scheduled again.
    static func retryFlowRun(_ environment: ToolEnvironment) -> ToolDefinition {
        flowRunAction(
            name: "retry_flow_run", title: "Retry Flow Run",
            description: """
                Runs a finished flow run of a deployment again, as `prefect flow-run retry` does: the run goes back to \
                Scheduled (now) and a worker of its pool picks it up, with the same parameters. A run that has not \
                finished, or has no deployment (no worker can run it), is refused before anything is sent. Only when \
                the user asks to retry this run; dry_run: true shows the request without sending it.
                """,
            destructive: false, environment: environment
        ) { actions, run, dryRun in try await actions.retryFlowRun(idOrName: run, dryRun: dryRun) }
    }

    /// `set_paused`: pause or resume a deployment, a work pool or a work queue.
    static func setPaused(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "set_paused",
            title: "Pause or Resume",
            description: """
                Pauses (paused: true) or resumes (paused: false) a deployment (its schedules make no runs and its runs \
                are not picked up), a work pool (its workers get no runs) or a work queue (its runs wait). name is the \
                deployment's flow/deployment or id, the pool's name, or the queue as POOL/QUEUE. Doing it twice is the \
                same as once. Only when the user asks; dry_run: true shows the request without sending it.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false, "required": ["kind", "name", "paused"],
                "properties": [
                    "kind": ["type": "string", "enum": ["deployment", "work_pool", "work_queue"]],
                    "name": ["type": "string", "minLength": 1, "description": "flow/deployment or id; pool name; POOL/QUEUE."],
                    "paused": ["type": "boolean"],
                    "dry_run": dryRun,
                ],
            ],
            outputSchema: actionOutcome,
            annotations: ToolAnnotations(readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true)
        ) { values, _ in
            let kind = values["kind"]?.stringValue ?? ""
            let name = values["name"]?.stringValue ?? ""
            let paused = values["paused"]?.boolValue ?? true
            let dryRun = values["dry_run"]?.boolValue ?? false
            if kind == "work_queue", name.split(separator: "/").count != 2 {
                throw ToolError("name: a work queue is named POOL/QUEUE, e.g. prod-pool/critical; got '\(name.echoed)'.")
            }
            return try await environment.act { actions, _ in
                let outcome: ActionOutcome
                do {
                    switch kind {
                    case "deployment": outcome = try await actions.setDeploymentPaused(name, paused: paused, dryRun: dryRun)
                    case "work_pool": outcome = try await actions.setWorkPoolPaused(name, paused: paused, dryRun: dryRun)
                    default:
                        let parts = name.split(separator: "/").map(String.init)
                        outcome = try await actions.setWorkQueuePaused(pool: parts[0], queue: parts[1], paused: paused, dryRun: dryRun)
                    }
                } catch PrefectError.notFound {
                    throw ToolError("name: no \(kind.replacing("_", with: " ")) '\(name.echoed)'. List them with get_deployments or get_work_pools.")
                }
                return ToolResult(try JSONValue(encoding: outcome))
            }
        }
    }
}
