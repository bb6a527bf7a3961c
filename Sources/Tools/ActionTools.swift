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
            "flow_run_id": SchemaFragments.nullableString, "flow_run_name": SchemaFragments.nullableString,
            "wait": [
                "type": ["object", "null"],
                "required": ["finished", "state_type", "state_name", "waited_seconds", "duration_seconds", "failure", "message"],
                "properties": [
                    "finished": ["type": "boolean"], "state_type": SchemaFragments.nullableString, "state_name": SchemaFragments.nullableString,
                    "waited_seconds": ["type": "number"], "duration_seconds": ["type": ["number", "null"]],
                    "failure": SchemaFragments.nullableString, "message": ["type": "string"],
                ],
            ],
        ],
    ]

    static let waitSeconds: JSONValue = [
        "type": "integer", "minimum": 0, "maximum": .int(RunWait.maximumSeconds), "default": 0,
        "description": """
        Wait up to this many seconds for the run to finish and report its final state, duration and, for a \
        failure, why (progress is reported while waiting when the client asks for it). 0 returns at once.
        """,
    ]

    /// Before a destructive write: asks the user to confirm, when the client can ask (elicitation in the handshake
    /// era, `input_required` in 2026-07-28); where it cannot, the tool's annotations and the client's own approval
    /// decide. `plan` is the dry run that names the target and refuses what cannot be done, before anything is asked.
    /// - Throws: ``ToolError`` when the user declines or dismisses; nothing is sent then.
    static func confirm(_ plan: ActionOutcome, question: String, context: RequestContext) async throws {
        let schema: JSONValue = [
            "type": "object", "required": ["confirm"],
            "properties": ["confirm": ["type": "boolean", "title": "Confirm", "description": .string(question), "default": false]],
        ]
        let answer = try await context.elicit(key: "confirm", message: question, requestedSchema: schema)
        switch answer {
        case .unsupported:
            return
        case .accepted(let content) where content["confirm"]?.boolValue == true:
            return
        case .accepted, .declined, .cancelled:
            throw ToolError("Not done: the user did not confirm (\(plan.target.echoed)); nothing was sent.")
        }
    }

    /// Waits for the outcome's run when `wait_seconds` asks for it, reporting each state read as progress.
    static func waited(_ outcome: ActionOutcome, _ values: JSONValue, actions: PrefectActions, ui: URL, context: RequestContext)
        async throws -> ActionOutcome
    {
        let seconds = Double(values["wait_seconds"]?.intValue ?? 0)
        return try await actions.wait(for: outcome, seconds: seconds, ui: ui) { run, elapsed in
            context.reportProgress(elapsed, total: seconds, message: "\(run.stateName ?? "?") after \(Int(elapsed)) s")
        }
    }

    static let dryRun: JSONValue = [
        "type": "boolean", "default": false,
        "description": "Validate and return the exact request(s) that would be sent, without sending anything.",
    ]

    /// A write on one flow run, named by `flow_run` (id or exact name), with `dry_run`.
    static func flowRunAction(
        name: String, title: String, description: String, destructive: Bool, environment: ToolEnvironment,
        perform:
            @escaping @Sendable (_ actions: PrefectActions, _ run: String, _ dryRun: Bool, _ context: RequestContext) async throws -> ActionOutcome
    ) -> ToolDefinition {
        ToolDefinition(
            name: name, title: title, description: description,
            inputSchema: [
                "type": "object", "additionalProperties": false, "required": ["flow_run"],
                "properties": [
                    "flow_run": ["type": "string", "minLength": 1, "description": "The flow run's id, or its exact name."],
                    "wait_seconds": waitSeconds,
                    "dry_run": dryRun,
                ],
            ],
            outputSchema: actionOutcome,
            annotations: ToolAnnotations(readOnlyHint: false, destructiveHint: destructive, idempotentHint: false, openWorldHint: true)
        ) { values, context in
            let reference = values["flow_run"]?.stringValue ?? ""
            let dryRun = values["dry_run"]?.boolValue ?? false
            return try await environment.act { actions, settings in
                do {
                    let outcome = try await perform(actions, reference, dryRun, context)
                    return ToolResult(
                        try JSONValue(encoding: try await waited(outcome, values, actions: actions, ui: settings.uiURL, context: context)))
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
                answer (ACCEPT, REJECT, ABORT, WAIT) and the state; wait_seconds waits until the run is Cancelled. \
                Only when the user asks to cancel this run; \
                dry_run: true shows the request without sending it.
                """,
            destructive: true, environment: environment
        ) { actions, run, dryRun, context in
            if !dryRun {
                let plan = try await actions.cancelFlowRun(idOrName: run, dryRun: true)
                try await confirm(plan, question: "Cancel flow run \(plan.target)? Its worker stops it and it ends Cancelled.", context: context)
            }
            return try await actions.cancelFlowRun(idOrName: run, dryRun: dryRun)
        }
    }

    /// `retry_flow_run`: a finished deployment run, scheduled again.
    static func retryFlowRun(_ environment: ToolEnvironment) -> ToolDefinition {
        flowRunAction(
            name: "retry_flow_run", title: "Retry Flow Run",
            description: """
                Runs a finished flow run of a deployment again, as `prefect flow-run retry` does: the run goes back to \
                Scheduled (now) and a worker of its pool picks it up, with the same parameters (wait_seconds waits for the \
                new attempt to finish). A run that has not \
                finished, or has no deployment (no worker can run it), is refused before anything is sent. Only when \
                the user asks to retry this run; dry_run: true shows the request without sending it.
                """,
            destructive: false, environment: environment
        ) { actions, run, dryRun, _ in try await actions.retryFlowRun(idOrName: run, dryRun: dryRun) }
    }

    /// `run_deployment`: a new run of a deployment, validated before it is sent.
    static func runDeployment(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "run_deployment",
            title: "Run Deployment",
            description: """
                Starts a run of a deployment (flow/deployment or id), like `prefect deployment run`: parameters are \
                merged over the deployment's defaults and checked against the flow's parameter schema, job_variables \
                (the runtime configuration its work pool applies: env, image, resources, …) against the pool's job \
                template, before anything is sent; a refusal names each path that is wrong. tags are added to the \
                run; start_in (10m) or start_at (ISO 8601) schedules it later; the same idempotency_key twice makes \
                one run. Returns the new run's id and name; wait_seconds (up to 600) waits for it to finish and \
                reports its final state, duration and, on failure, why. Only when the user asks to run it; dry_run: true shows \
                the request without sending it.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false, "required": ["deployment"],
                "properties": [
                    "deployment": ["type": "string", "minLength": 1, "description": "flow/deployment, or the deployment's id."],
                    "parameters": ["type": "object", "description": "Parameter values; the others keep the deployment's defaults."],
                    "tags": ["type": "array", "items": ["type": "string", "minLength": 1], "maxItems": 50],
                    "job_variables": ["type": "object", "description": "Job variables of the work pool, e.g. {\"env\": {\"MODE\": \"backfill\"}}."],
                    "start_in": ["type": "string", "pattern": "^[0-9]+[smhdw]$", "description": "Start this long from now, e.g. 10m."],
                    "start_at": ["type": "string", "format": "date-time", "description": "Start at this ISO 8601 time."],
                    "idempotency_key": ["type": "string", "minLength": 1, "maxLength": 200],
                    "name": ["type": "string", "minLength": 1, "maxLength": 200, "description": "The run's name; Prefect picks one by default."],
                    "work_queue_name": [
                        "type": "string", "minLength": 1, "maxLength": 200,
                        "description": "A queue of the deployment's work pool to put the run in (default: the deployment's own).",
                    ],
                    "wait_seconds": waitSeconds,
                    "dry_run": dryRun,
                ],
            ],
            outputSchema: actionOutcome,
            annotations: ToolAnnotations(readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true)
        ) { values, context in
            let arguments = ToolArguments(values, tool: "run_deployment")
            var request = DeploymentRunRequest()
            request.parameters = values["parameters"]?.objectValue ?? [:]
            request.jobVariables = values["job_variables"]?.objectValue ?? [:]
            request.tags = values["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
            request.idempotencyKey = arguments.string("idempotency_key")
            request.name = arguments.string("name")
            request.workQueueName = arguments.string("work_queue_name")
            switch (arguments.string("start_in"), arguments.string("start_at")) {
            case (.some, .some):
                throw ToolError("start_in and start_at both say when to start; pass one of them.")
            case (.some(let text), nil):
                guard let delay = TimeWindow(text) else {
                    throw ToolError("start_in: '\(text.echoed)' is not a duration; use \(TimeWindow.expectedFormat).")
                }
                request.startAt = arguments.now.addingTimeInterval(Double(delay.seconds))
            case (nil, .some(let text)):
                guard let date = PrefectDate.parse(text) else { throw ToolError("start_at: '\(text.echoed)' is not an ISO 8601 date-time.") }
                request.startAt = date
            case (nil, nil):
                break
            }
            let deployment = arguments.string("deployment") ?? ""
            let dryRun = arguments.bool("dry_run", default: false)
            return try await environment.act { actions, settings in
                do {
                    let outcome = try await actions.runDeployment(deployment, request, dryRun: dryRun)
                    return ToolResult(
                        try JSONValue(encoding: try await waited(outcome, values, actions: actions, ui: settings.uiURL, context: context)))
                } catch PrefectError.notFound {
                    throw ToolError("deployment: no deployment '\(deployment.echoed)'. List them with get_deployments.")
                }
            }
        }
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
        ) { values, context in
            let kind = values["kind"]?.stringValue ?? ""
            let name = values["name"]?.stringValue ?? ""
            let paused = values["paused"]?.boolValue ?? true
            let dryRun = values["dry_run"]?.boolValue ?? false
            if kind == "work_queue", name.split(separator: "/").count != 2 {
                throw ToolError("name: a work queue is named POOL/QUEUE, e.g. prod-pool/critical; got '\(name.echoed)'.")
            }
            return try await environment.act { actions, _ in
                let set: @Sendable (Bool) async throws -> ActionOutcome = { dryRun in
                    switch kind {
                    case "deployment": return try await actions.setDeploymentPaused(name, paused: paused, dryRun: dryRun)
                    case "work_pool": return try await actions.setWorkPoolPaused(name, paused: paused, dryRun: dryRun)
                    default:
                        let parts = name.split(separator: "/").map(String.init)
                        return try await actions.setWorkQueuePaused(pool: parts[0], queue: parts[1], paused: paused, dryRun: dryRun)
                    }
                }
                let outcome: ActionOutcome
                do {
                    // Pausing stops work: the user confirms it when the client can ask. Resuming does not ask.
                    if paused, !dryRun {
                        let plan = try await set(true)
                        let what = kind.replacing("_", with: " ")
                        try await confirm(
                            plan, question: "Pause \(what) \(plan.target)? Nothing it holds runs until it is resumed.", context: context)
                    }
                    outcome = try await set(dryRun)
                } catch PrefectError.notFound {
                    throw ToolError("name: no \(kind.replacing("_", with: " ")) '\(name.echoed)'. List them with get_deployments or get_work_pools.")
                }
                return ToolResult(try JSONValue(encoding: outcome))
            }
        }
    }
}
