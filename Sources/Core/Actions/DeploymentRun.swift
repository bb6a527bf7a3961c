package import FoundationEssentials
package import JSONValue

/// What a new run of a deployment is given: parameters over the deployment's defaults, tags, job variables (the
/// runtime configuration its pool's workers apply: env, image, resources, …), when to start, and an idempotency key.
package struct DeploymentRunRequest: Sendable, Equatable {
    package var parameters: [String: JSONValue] = [:]
    /// Parameters typed as text (`--param batch_size=7`), read as the flow's parameter schema says (``TypedText``)
    /// once it is known; over ``parameters``.
    package var parameterTexts: [String: String] = [:]
    package var tags: [String] = []
    package var jobVariables: [String: JSONValue] = [:]
    /// Job variables typed as text (`--job-var env={"MODE":"x"}`), read as the pool's job template says.
    package var jobVariableTexts: [String: String] = [:]
    /// Nil: now.
    package var startAt: Date?
    /// The same key twice makes one run.
    package var idempotencyKey: String?
    /// Nil: Prefect names it.
    package var name: String?
    /// A queue of the deployment's pool other than its own; nil: the deployment's.
    package var workQueueName: String?

    package init() {}
}

extension PrefectActions {
    /// Starts a run of a deployment (by id or `flow/deployment`), everything validated before it is sent: the
    /// parameters, merged over the deployment's defaults, against the flow's parameter schema; the job variables
    /// against the schema of its work pool's base job template. Each refusal names the path that is wrong.
    package func runDeployment(_ idOrSlug: String, _ request: DeploymentRunRequest, dryRun: Bool) async throws -> ActionOutcome {
        let deployment = try await client.deployment(idOrSlug: idOrSlug)
        async let flowName = client.flowName(id: deployment.flowID)
        async let defaults = client.send(PrefectAPI.deploymentParameters(id: deployment.id))
        async let template: WorkPoolTemplate? =
            if let pool = deployment.workPoolName { try await client.send(PrefectAPI.workPoolTemplate(name: pool)) } else { nil }
        let target = Deployment.slug(flowName: await flowName, deploymentName: deployment.name)

        let declared = try await defaults
        var request = request
        for (name, text) in request.parameterTexts {
            request.parameters[name] = TypedText.value(text, schema: declared.parameterOpenAPISchema?["properties"]?[name])
        }
        if !request.jobVariableTexts.isEmpty {
            let variables = try await template?.baseJobTemplate?["variables"]?["properties"]
            for (name, text) in request.jobVariableTexts { request.jobVariables[name] = TypedText.value(text, schema: variables?[name]) }
        }
        var problems = Self.parameterProblems(request.parameters, declared: declared)
        if !request.jobVariables.isEmpty {
            guard let pool = try await template else {
                throw ActionRefused(description: "\(target) has no work pool, so no job variables apply to its runs.")
            }
            let variables = pool.baseJobTemplate?["variables"]
            if variables?["properties"]?.objectValue?.isEmpty ?? true {
                // A template without variables: a worker of this pool has nothing to apply them to.
                problems += request.jobVariables.keys.sorted().map {
                    "job_variables.\($0.echoed): work pool '\(pool.name)' declares no job variables (its base job template has none)"
                }
            } else {
                problems += Self.violations(
                    of: .object(request.jobVariables), against: variables, given: request.jobVariables, root: "job_variables",
                    what: "work pool '\(pool.name)' has no job variable")
            }
        }
        if let queue = request.workQueueName {
            problems += try await queueProblems(queue, pool: deployment.workPoolName, target: target)
        }
        if !problems.isEmpty {
            throw ActionRefused(description: "Not sent; \(target) would refuse it: " + problems.joined(separator: "; ") + ".")
        }
        let body = DeploymentRunBody(
            name: request.name, parameters: request.parameters.isEmpty ? nil : request.parameters,
            state: request.startAt.map { .init(type: .scheduled, stateDetails: .init(scheduledTime: $0)) },
            tags: request.tags.isEmpty ? nil : request.tags, idempotencyKey: request.idempotencyKey ?? Self.mintedKey(),
            workQueueName: request.workQueueName, jobVariables: request.jobVariables.isEmpty ? nil : request.jobVariables)
        let pool = deployment.workPoolName.map { "a worker of pool '\($0)'" } ?? "whatever serves it"
        return try await perform(
            "run_deployment", target: target, PrefectAPI.createFlowRun(deploymentID: deployment.id, body), dryRun: dryRun,
            outcome: { run, httpStatus in
                let state = run.stateName ?? run.stateType?.rawValue
                // Prefect answers 200 instead of 201 when the idempotency key was used before: the run it returns is that one.
                if httpStatus == 200, let key = request.idempotencyKey {
                    return (
                        nil, state,
                        "Nothing new: the idempotency key '\(key.echoed)' was already used, by \(run.name) (\(run.id)), now \(state ?? "?")."
                    )
                }
                let when = run.state?.stateDetails?.scheduledTime.map { " for \(PrefectDate.format($0))" } ?? ""
                return (nil, state, "Created \(run.name) (\(run.id)), scheduled\(when): \(pool) picks it up.")
            },
            created: { run in (run.id, run.name) })
    }

    /// Why `queue` cannot take the run: the deployment has no pool, or its pool has no such queue. Prefect itself would
    /// create a queue of a name it does not know (a typo becomes a new queue), so the name must exist.
    private func queueProblems(_ queue: String, pool: String?, target: String) async throws -> [String] {
        guard let pool else { return ["work_queue_name: \(target) has no work pool, so its runs go to no queue"] }
        let names = try await client.workQueues(inPool: pool).map(\.name)
        guard !names.contains(queue) else { return [] }
        return ["work_queue_name: work pool '\(pool)' has no queue '\(queue.echoed)' (its queues: \(names.sorted().joined(separator: ", ")))"]
    }

    /// The idempotency key of a run whose caller gave none: one per call, so the create can be retried when the server
    /// answers 503 or the connection drops (a busy SQLite server answers "database is locked") without making two runs.
    static func mintedKey() -> String {
        "prefect-mcp-\(UUID().uuidString.lowercased())"
    }

    /// What is wrong with `given` parameters, merged over the deployment's own, for the flow's parameter schema:
    /// each problem names its path (`parameters.batch_size: expected an integer, …`). runDeployment refuses to send
    /// while there is one; the dashboard's run form shows them beside the fields.
    package static func parameterProblems(_ given: [String: JSONValue], declared: DeploymentParameters) -> [String] {
        violations(
            of: .object((declared.parameters ?? [:]).merging(given) { _, given in given }),
            against: declared.parameterOpenAPISchema, given: given, root: "parameters", what: "the flow takes no parameter")
    }

    /// What breaks `value` against `schema` (nothing when there is no schema, or an empty one: Prefect's `{}` for a
    /// flow never inspected), and the given keys the schema does not declare (a flow called with an unknown parameter
    /// fails at run time).
    static func violations(of value: JSONValue, against schema: JSONValue?, given: [String: JSONValue], root: String, what: String) -> [String] {
        guard let schema, case .object(let rules) = schema, !rules.isEmpty else { return [] }
        var problems = JSONSchemaValidator(schema: schema).validate(value).map { "\(root).\($0.description)" }
        if let declared = rules["properties"]?.objectValue {
            let unknown = given.keys.filter { declared[$0] == nil }.sorted()
            problems += unknown.map { "\(root).\($0.echoed): \(what) '\($0.echoed)' (it has: \(declared.keys.sorted().joined(separator: ", ")))" }
        }
        return problems
    }
}
