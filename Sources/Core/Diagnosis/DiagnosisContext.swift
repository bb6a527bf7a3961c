import FoundationEssentials

/// What the causes of waiting runs depend on, each object read once: pools with workers and occupancy, queues,
/// deployments with their limits and occupancy.
struct DiagnosisContext: Sendable {
    struct PoolState: Sendable {
        var pool: WorkPool
        var onlineWorkers: Int
        var lastHeartbeat: Date?
        var active: [FlowRun]
        var queues: [String: WorkQueue]
        var queueActive: [String: [FlowRun]]
    }

    struct DeploymentState: Sendable {
        var deployment: Deployment
        var flowName: String?
        var active: [FlowRun]
    }

    var pools: [String: PoolState]
    var deployments: [String: DeploymentState]
    var now: Date

    /// RUNNING and PENDING runs: the ones that hold pool, queue and deployment slots.
    static let occupying = FlowRunFilter.stateType([.running, .pending])

    /// Reads everything in batches: one request each for the pools, their queues, the deployments, their flows and
    /// the runs occupying them; only workers are read per pool (Prefect has no read of workers across pools).
    /// With `shared`, the pools and their workers come from the reads another part of the answer makes.
    static func load(for runs: [FlowRunRow], client: PrefectClient, now: Date, shared: SharedReads? = nil) async throws -> DiagnosisContext {
        let poolNames = Array(Set(runs.compactMap(\.workPoolName)))
        let deploymentIDs = Array(Set(runs.compactMap(\.deploymentID)))
        async let pools = loadPools(poolNames, client: client, shared: shared)
        async let deployments = loadDeployments(deploymentIDs, client: client)
        return DiagnosisContext(pools: try await pools, deployments: try await deployments, now: now)
    }

    private static func loadPools(_ names: [String], client: PrefectClient, shared: SharedReads?) async throws -> [String: PoolState] {
        guard !names.isEmpty else { return [:] }
        let filter = WorkPoolFilter(name: AnyOf(any: names))
        async let pools =
            if let shared {
                try await shared.allPools(client).filter { [wanted = Set(names)] in wanted.contains($0.name) }
            } else {
                try await PageLimit.batches(names).concurrentMap { batch in
                    try await client.send(
                        PrefectAPI.workPools(WorkPoolsQuery(workPools: WorkPoolFilter(name: AnyOf(any: batch)), limit: PageLimit.maximum)))
                }.flatMap { $0 }
            }
        async let active = occupyingRuns(FlowRunsQuery(flowRuns: occupying, workPools: filter, sort: .startTimeDescending), client: client)
        let found = try await pools
        async let queuesByPool = client.workQueues(inPools: found)
        let details = zip(found, try await client.workers(of: found, shared: shared))
        let activeByPool = Dictionary(grouping: try await active.filter { $0.workPoolName != nil }, by: { $0.workPoolName! })
        let queueLists = try await queuesByPool
        var states: [String: PoolState] = [:]
        for (pool, workers) in details {
            let queues = queueLists[pool.name] ?? []
            let activeRuns = activeByPool[pool.name] ?? []
            states[pool.name] = PoolState(
                pool: pool,
                onlineWorkers: workers.onlineCount,
                lastHeartbeat: workers.freshestHeartbeat,
                active: activeRuns,
                queues: Dictionary(queues.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
                queueActive: Dictionary(grouping: activeRuns.filter { $0.workQueueName != nil }, by: { $0.workQueueName! })
            )
        }
        return states
    }

    private static func loadDeployments(_ ids: [String], client: PrefectClient) async throws -> [String: DeploymentState] {
        guard !ids.isEmpty else { return [:] }
        let filter = DeploymentFilter(id: AnyNotAny(any: ids))
        async let deployments = PageLimit.batches(ids).concurrentMap { batch in
            try await client.send(
                PrefectAPI.deployments(DeploymentsQuery(deployments: DeploymentFilter(id: AnyNotAny(any: batch)), limit: PageLimit.maximum)))
        }.flatMap { $0 }
        async let active = occupyingRuns(
            FlowRunsQuery(flowRuns: .stateType(ConcurrencyLimitSummary.deploymentSlotStates), deployments: filter, sort: .startTimeDescending),
            client: client)
        let found = try await deployments
        let names = (try? await client.flowNames(ids: found.map(\.flowID))) ?? [:]
        let activeByDeployment = Dictionary(grouping: try await active.filter { $0.deploymentID != nil }, by: { $0.deploymentID! })
        return Dictionary(
            found.map { deployment in
                (
                    deployment.id,
                    DeploymentState(deployment: deployment, flowName: names[deployment.flowID], active: activeByDeployment[deployment.id] ?? [])
                )
            }, uniquingKeysWith: { first, _ in first })
    }

    /// Every RUNNING or PENDING run the query matches, page by page (up to 2 000: beyond that every limit is full
    /// anyway).
    private static func occupyingRuns(_ query: FlowRunsQuery, client: PrefectClient) async throws -> [FlowRun] {
        try await client.page(limit: 2_000, offset: 0) { size, offset in
            var paged = query
            paged.limit = size
            paged.offset = offset
            return try await client.send(PrefectAPI.flowRuns(paged))
        }.items
    }

    /// Every cause that holds for `run`, most decisive first; `no_cause_found` when none does.
    func causes(for run: FlowRunRow) -> [Cause] {
        var causes: [Cause] = []
        if let id = run.deploymentID, let state = deployments[id] {
            let slug = Deployment.slug(flowName: state.flowName ?? run.flowName, deploymentName: state.deployment.name)
            if state.deployment.paused == true {
                causes.append(
                    Cause(
                        "deployment_paused", "Deployment '\(slug)' is paused, so workers do not pick up its runs.",
                        fix:
                            "Resume it on its page in the Prefect UI (the prefect 3.9 CLI has no deployment resume); prefect deployment "
                            + "schedule resume '\(slug)' --all re-activates its schedules"
                    ))
            }
            // The limit holds back runs still to take a slot (a run takes it on Pending), and Prefect counts its slots,
            // not the runs: a leaked slot blocks with nothing running, a missing one blocks nothing.
            if let limit = state.deployment.globalConcurrencyLimit, limit.active != false, run.stateType == StateType.scheduled.rawValue,
                (limit.activeSlots ?? 0) >= limit.limit
            {
                let holders = state.active.filter { $0.id != run.id }
                var slots = ConcurrencyLimitSummary(
                    id: limit.id, name: limit.name, kind: .deployment, limit: limit.limit, activeSlots: limit.activeSlots ?? 0, active: true)
                slots.reconcile(occupiedBy: state.active.count)
                let active = holders.isEmpty ? "" : "; active: \(Self.describe(holders))"
                causes.append(
                    Cause(
                        "deployment_limit_full",
                        "Deployment '\(slug)' allows \(limit.limit) concurrent run\(limit.limit == 1 ? "" : "s")"
                            + (slots.note.map { ". " + $0 } ?? " and Prefect holds \(slots.activeSlots) of \(limit.limit) slots\(active)."),
                        fix: slots.slotMismatch == .leaked
                            ? slots.resetCommand(keeping: state.active.count)
                            : "Wait for the active run to finish (or cancel it: prefect flow-run cancel ID), or deploy again with a "
                                + "higher limit: prefect deploy --name '\(state.deployment.name)' --concurrency-limit \(limit.limit + 1) "
                                + "(or concurrency_limit in prefect.yaml)"
                    ))
            }
        } else if run.deploymentID == nil {
            causes.append(
                Cause("no_work_pool", "The run has no deployment, so no worker will ever pick it up; it runs only where its flow is called."))
        }
        guard let poolName = run.workPoolName else {
            if run.deploymentID != nil { causes.append(Cause("no_work_pool", "The run has no work pool, so no worker will pick it up.")) }
            return causes.isEmpty ? [Self.noCause] : causes
        }
        guard let pool = pools[poolName] else {
            causes.append(
                Cause("no_work_pool", "Work pool '\(poolName)' does not exist.", fix: "prefect work-pool create '\(poolName)' --type process"))
            return causes
        }
        if pool.pool.isPaused == true || pool.pool.status == "PAUSED" {
            causes.append(Cause("pool_paused", "Work pool '\(poolName)' is paused.", fix: "prefect work-pool resume '\(poolName)'"))
        }
        if let queueName = run.workQueueName, let queue = pool.queues[queueName] {
            if queue.isPaused == true {
                causes.append(
                    Cause(
                        "queue_paused", "Work queue '\(queueName)' of pool '\(poolName)' is paused.",
                        fix: "prefect work-queue resume '\(queueName)' --pool '\(poolName)'"))
            }
            if let limit = queue.concurrencyLimit {
                let holders = (pool.queueActive[queueName] ?? []).filter { $0.id != run.id }
                if holders.count >= limit {
                    causes.append(
                        Cause(
                            "queue_limit_full",
                            "Work queue '\(queueName)' allows \(limit) concurrent run\(limit == 1 ? "" : "s") and \(holders.count) "
                                + "\(holders.count == 1 ? "is" : "are") active: \(Self.describe(holders)).",
                            fix: "prefect work-queue set-concurrency-limit '\(queueName)' \(limit + 1) --pool '\(poolName)'"))
                }
            }
        }
        if pool.onlineWorkers == 0, pool.pool.type != "prefect-agent" {
            let heartbeat =
                pool.lastHeartbeat.map { "the last heartbeat was \($0.age(at: now))" }
                ?? "no worker has ever polled it"
            causes.append(
                Cause(
                    "no_online_worker", "Work pool '\(poolName)' has no online worker (\(heartbeat)).",
                    fix: "prefect worker start --pool '\(poolName)'"))
        }
        if let limit = pool.pool.concurrencyLimit {
            let holders = pool.active.filter { $0.id != run.id }
            if holders.count >= limit {
                causes.append(
                    Cause(
                        "pool_limit_full",
                        "Work pool '\(poolName)' allows \(limit) concurrent run\(limit == 1 ? "" : "s") and \(holders.count) "
                            + "\(holders.count == 1 ? "is" : "are") active: \(Self.describe(holders)).",
                        fix: "prefect work-pool set-concurrency-limit '\(poolName)' \(limit + 1)"))
            }
        }
        return causes.isEmpty ? [Self.noCause] : causes
    }

    static let noCause = Cause(
        "no_cause_found",
        "Nothing blocks this run on the server's side: its pool has an online worker, nothing is paused and no limit is full. The worker "
            + "may be failing to submit it: read the worker's logs."
    )

    /// `'running-gpu' (Running), 'x' (Pending)`, at most three.
    private static func describe(_ runs: [FlowRun]) -> String {
        guard !runs.isEmpty else { return "none visible" }
        let names = runs.prefix(3).map { "'\($0.name)' (\($0.stateName ?? $0.stateType?.rawValue ?? "?"))" }
        return names.joined(separator: ", ") + (runs.count > 3 ? " and \(runs.count - 3) more" : "")
    }
}
