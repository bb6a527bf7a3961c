package import FoundationEssentials
import JSONValue

/// Is this deployment able to run, and how have its runs gone?
package struct DeploymentDiagnosis: Codable, Sendable, EncodesAbsentAsNull {
    package var deployment: DeploymentRow
    package var workPool: WorkPoolDetail?
    /// Problems that stop or hold back its runs, most decisive first.
    package var problems: [Cause]
    /// Run counts by state name over the last 7 days (by expected start).
    package var outcomesLast7Days: [String: Int]
    package var lastRun: FlowRunRow?
    package var nextRun: FlowRunRow?
    package var lateRuns: Int

    enum CodingKeys: String, CodingKey {
        case deployment, problems
        case workPool = "work_pool"
        case outcomesLast7Days = "outcomes_last_7_days"
        case lastRun = "last_run"
        case nextRun = "next_run"
        case lateRuns = "late_runs"
    }
}

extension PrefectClient {
    /// Finds a deployment by id or `flow/deployment` name.
    package func deployment(idOrSlug: String) async throws -> Deployment {
        if UUID(uuidString: idOrSlug) != nil { return try await send(PrefectAPI.deployment(id: idOrSlug.lowercased())) }
        let parts = idOrSlug.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            throw PrefectError.cannotBuildRequest(
                route: "deployment '\(idOrSlug.echoed)'", reason: "name a deployment as FLOW/DEPLOYMENT, or by its id")
        }
        return try await send(PrefectAPI.deployment(flowName: parts[0], deploymentName: parts[1]))
    }

    package func diagnoseDeployment(idOrSlug: String, now: Date = Date(), ui: URL) async throws -> DeploymentDiagnosis {
        let deployment = try await self.deployment(idOrSlug: idOrSlug)
        let byDeployment = DeploymentFilter(id: AnyNotAny(any: [deployment.id]))
        async let flowName = self.flowName(id: deployment.flowID)
        async let history = send(
            PrefectAPI.flowRunHistory(
                FlowRunsHistory(
                    historyStart: now.addingTimeInterval(-7 * 86_400), historyEnd: now, historyIntervalSeconds: 7 * 86_400, deployments: byDeployment)
            ))
        async let last = send(
            PrefectAPI.flowRuns(
                FlowRunsQuery(
                    flowRuns: FlowRunFilter(expectedStartTime: TimeRange(before: now)), deployments: byDeployment, sort: .expectedStartTimeDescending,
                    limit: 1)))
        async let next = send(
            PrefectAPI.flowRuns(
                FlowRunsQuery(
                    flowRuns: .upcoming(after: now),
                    deployments: byDeployment, sort: .expectedStartTimeAscending, limit: 1)))
        async let late = send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: .late, deployments: byDeployment)))
        let poolFilter = WorkPoolFilter(name: AnyOf(any: deployment.workPoolName.map { [$0] } ?? []))
        async let pool = deployment.workPoolName == nil ? [] : workPoolDetails(filter: poolFilter, ui: ui, now: now)

        let row = DeploymentRow(deployment, flowName: await flowName, ui: ui)
        let poolDetail = try await pool.first
        var outcomes: [String: Int] = [:]
        for bucket in try await history {
            for state in bucket.states { outcomes[state.stateName, default: 0] += state.countRuns }
        }
        let runs = try await rows(for: try await last + next, ui: ui, now: now)
        let lastRun = runs.first { $0.expectedStartTime.map { $0 <= now } ?? false }
        let nextRun = runs.first { $0.expectedStartTime.map { $0 > now } ?? false }

        var problems: [Cause] = []
        if deployment.paused == true {
            problems.append(
                Cause(
                    "deployment_paused", "The deployment is paused: its schedules create no runs and workers do not pick up its runs.",
                    fix: "Resume it on its page in the Prefect UI; prefect deployment schedule resume '\(row.slug)' --all re-activates its schedules")
            )
        }
        let schedules = deployment.schedules ?? []
        if schedules.isEmpty {
            problems.append(
                Cause("no_schedule", "The deployment has no schedule: it runs only when triggered (UI, API, automation or prefect deployment run)."))
        } else if !schedules.contains(where: { $0.active == true }) {
            problems.append(
                Cause(
                    "no_active_schedule",
                    "None of its \(schedules.count) schedule\(schedules.count == 1 ? " is" : "s are") active, so no runs are created.",
                    fix: "prefect deployment schedule resume '\(row.slug)' --all"))
        }
        if let name = deployment.workPoolName {
            if let detail = poolDetail {
                if detail.health.isPaused {
                    problems.append(Cause("pool_paused", "Its work pool '\(name)' is paused.", fix: "prefect work-pool resume '\(name)'"))
                }
                if detail.health.onlineWorkers == 0 {
                    problems.append(
                        Cause("no_online_worker", "Its work pool '\(name)' has no online worker.", fix: "prefect worker start --pool '\(name)'"))
                }
                if let queueName = deployment.workQueueName, let queue = detail.queues.first(where: { $0.name == queueName }), queue.isPaused {
                    problems.append(
                        Cause(
                            "queue_paused", "Its work queue '\(queueName)' is paused.",
                            fix: "prefect work-queue resume '\(queueName)' --pool '\(name)'"))
                }
            } else {
                problems.append(
                    Cause("no_work_pool", "Its work pool '\(name)' does not exist.", fix: "prefect work-pool create '\(name)' --type process"))
            }
        } else {
            problems.append(Cause("no_work_pool", "It has no work pool, so no worker runs it."))
        }
        if let limit = deployment.globalConcurrencyLimit, limit.active != false, (limit.activeSlots ?? 0) >= limit.limit {
            problems.append(Cause("deployment_limit_full", "Its concurrency limit (\(limit.limit)) is full: further runs wait until one finishes."))
        }
        return DeploymentDiagnosis(
            deployment: row, workPool: poolDetail, problems: problems, outcomesLast7Days: outcomes,
            lastRun: lastRun, nextRun: nextRun, lateRuns: try await late)
    }
}
