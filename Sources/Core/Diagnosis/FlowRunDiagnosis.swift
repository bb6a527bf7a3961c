package import FoundationEssentials
package import JSONValue

/// Everything needed to say why a run failed, crashed or is stuck, and what to do next.
package struct FlowRunDiagnosis: Codable, Sendable, EncodesAbsentAsNull {
    package struct StateChange: Codable, Sendable {
        package var type: String
        package var name: String?
        package var timestamp: Date?
        package var message: String?
    }

    package struct TaskSummary: Codable, Sendable {
        package var id: String
        package var name: String
        package var stateName: String?
        package var message: String?
        package var tags: [String]

        enum CodingKeys: String, CodingKey {
            case id, name, message, tags
            case stateName = "state_name"
        }

        package init(id: String, name: String, stateName: String?, message: String?, tags: [String]) {
            self.id = id
            self.name = name
            self.stateName = stateName
            self.message = message
            self.tags = tags
        }

        package init(_ task: TaskRun) {
            id = task.id
            name = task.name
            stateName = task.stateName
            message = task.state?.message
            tags = task.tags ?? []
        }
    }

    package struct ParameterDifference: Codable, Sendable {
        package var name: String
        package var run: JSONValue?
        package var deployment: JSONValue?
    }

    package var run: FlowRunRow
    /// How the run was chosen when none was named (the most recent failure); nil when it was named.
    package var selection: String?
    package var stateHistory: [StateChange]
    package var taskRunCounts: [String: Int]
    package var failedTaskRuns: [TaskSummary]
    /// For a run that failed because a subflow failed: the chain down to the deepest failed run and its traceback.
    package var subflowFailure: SubflowFailure?
    /// The newest ERROR and CRITICAL lines, oldest first, wherever they are in the log.
    package var errorLogs: [LogLine]
    /// The newest lines of the log, oldest first.
    package var lastLogLines: [LogLine]
    package var retries: JSONValue
    package var parameterDifferences: [ParameterDifference]
    /// Why it waits, for Late, Scheduled-in-the-past or Pending runs; why it may be stuck, for Running ones.
    package var causes: [Cause]
    package var hints: [String]
    package var nextSteps: [String]

    enum CodingKeys: String, CodingKey {
        case run, retries, causes, hints, selection
        case stateHistory = "state_history"
        case taskRunCounts = "task_run_counts"
        case failedTaskRuns = "failed_task_runs"
        case subflowFailure = "subflow_failure"
        case errorLogs = "error_logs"
        case lastLogLines = "last_log_lines"
        case parameterDifferences = "parameter_differences"
        case nextSteps = "next_steps"
    }
}

/// What the dashboard's run detail shows: the diagnosis, every parameter and every task run.
package struct FlowRunDetail: Sendable {
    package var diagnosis: FlowRunDiagnosis
    package var parameters: [String: JSONValue]
    /// Oldest first.
    package var taskRuns: [TaskRun]

    package init(diagnosis: FlowRunDiagnosis, parameters: [String: JSONValue], taskRuns: [TaskRun]) {
        self.diagnosis = diagnosis
        self.parameters = parameters
        self.taskRuns = taskRuns
    }
}

/// A run name that matches several runs.
package struct AmbiguousRunName: Error, CustomStringConvertible {
    package var name: String
    package var candidates: [FlowRun]
    package var description: String {
        "Several flow runs are named '\(name.echoed)': "
            + candidates.prefix(5).map { "\($0.id) (\($0.stateName ?? "?"), expected \($0.expectedStartTime.map(PrefectDate.format) ?? "?"))" }
            .joined(separator: "; ")
            + ". Pass one of these ids."
    }
}

extension PrefectClient {
    /// Finds a run by id, or by its exact name.
    /// - Throws: ``PrefectError/notFound(route:detail:)`` when none matches; ``AmbiguousRunName`` when several do.
    package func flowRun(idOrName: String) async throws -> FlowRun {
        if UUID(uuidString: idOrName) != nil { return try await send(PrefectAPI.flowRun(id: idOrName.lowercased())) }
        let runs = try await send(
            PrefectAPI.flowRuns(FlowRunsQuery(flowRuns: FlowRunFilter(name: AnyLike(any: [idOrName])), sort: .expectedStartTimeDescending, limit: 5)))
        guard let run = runs.first else {
            throw PrefectError.notFound(route: "flow run '\(idOrName.echoed)'", detail: "no flow run has this id or name")
        }
        guard runs.count == 1 else { throw AmbiguousRunName(name: idOrName, candidates: runs) }
        return run
    }

    package func diagnoseFlowRun(idOrName: String, now: Date = Date(), ui: URL) async throws -> FlowRunDiagnosis {
        try await diagnose(try await flowRun(idOrName: idOrName), now: now, ui: ui).diagnosis
    }

    /// "Debug the last failed flow run": the top-level run (not a subflow: its chain leads to those) that most
    /// recently ended Failed or Crashed, diagnosed; nil when no run has failed.
    package func diagnoseLatestFailure(now: Date = Date(), ui: URL) async throws -> FlowRunDiagnosis? {
        var filter = FlowRunFilter.stateType([.failed, .crashed])
        filter.parentTaskRunID = NullableAnyOf(isNull: true)
        let runs = try await send(PrefectAPI.flowRuns(FlowRunsQuery(flowRuns: filter, sort: .endTimeDescending, limit: 1)))
        guard let run = runs.first else { return nil }
        var diagnosis = try await diagnose(run, now: now, ui: ui).diagnosis
        let ended = run.endTime.map { ", ended \($0.age(at: now))" } ?? ""
        diagnosis.selection =
            "No run was named: this is the most recent top-level run that ended Failed or Crashed (\(run.stateName ?? "?")\(ended))."
        return diagnosis
    }

    /// A run's diagnosis with everything a detail view shows besides: all parameters and every task run.
    package func flowRunDetail(id: String, now: Date = Date(), ui: URL) async throws -> FlowRunDetail {
        let run = try await send(PrefectAPI.flowRun(id: id))
        let (diagnosis, tasks) = try await diagnose(run, now: now, ui: ui)
        return FlowRunDetail(diagnosis: diagnosis, parameters: run.parameters ?? [:], taskRuns: tasks)
    }

    private func diagnose(_ run: FlowRun, now: Date, ui: URL) async throws -> (diagnosis: FlowRunDiagnosis, taskRuns: [TaskRun]) {
        async let states = send(PrefectAPI.flowRunStates(flowRunID: run.id))
        // Every task run (a mapped task makes thousands): the counts by state and the failed ones come from all of them.
        async let tasks = allPages { offset in
            try await self.send(
                PrefectAPI.taskRuns(
                    TaskRunsQuery(
                        taskRuns: TaskRunFilter(flowRunID: NullableAnyOf(any: [run.id])), sort: .expectedStartTimeAscending,
                        limit: PageLimit.maximum, offset: offset)))
        }
        async let errors = flowRunLogs(flowRunID: run.id, minimumLevel: .error, newest: true, limit: 5, offset: 0)
        async let last = flowRunLogs(flowRunID: run.id, newest: true, limit: 20, offset: 0)
        async let deployment = optionalDeployment(id: run.deploymentID)
        async let rows = rows(for: [run], ui: ui, now: now)
        let row = try await rows[0]

        // A Scheduled run waits only once its state's scheduled time has passed (a retry keeps its first expected start).
        let awaitingRetry = RunStateCauses.isAwaitingRetry(run)
        let due = run.stateType == .scheduled && !awaitingRetry && (RunStateCauses.scheduledTime(of: run) ?? now) < now
        let waiting = run.stateType == .pending || run.stateType == .running || due
        var causes: [Cause] = []
        if awaitingRetry {
            causes = [RunStateCauses.awaitingRetry(run, now: now)]
        } else if run.stateType == .cancelling {
            async let cleanup = cancellationCleanup()
            var runner: RunStateCauses.Runner?
            if let pool = row.workPoolName {
                let workers = try await self.workers(inPool: pool)
                runner = RunStateCauses.Runner(poolName: pool, onlineWorkers: workers.onlineCount, lastHeartbeat: workers.freshestHeartbeat)
            }
            causes = [RunStateCauses.cancelling(run, runner: runner, cleanup: await cleanup, now: now)]
        } else if waiting {
            let context = try await DiagnosisContext.load(for: [row], client: self, now: now)
            causes = context.causes(for: row)
            if run.stateType == .running {
                // A running run only needs a live worker: limits and pauses do not stop it, but its tasks can wait
                // on a full tag limit.
                causes = causes.filter { $0.code == "no_online_worker" }.map {
                    Cause(
                        "worker_gone", $0.message + " The worker that started this run may have died; the run will not finish on its own.",
                        fix: "prefect flow-run cancel \(run.id)")
                }
                causes += try await TagLimitWaits.load(client: self, flowRunIDs: [run.id]).causes(forFlowRun: run.id)
            }
        }

        let taskList = try await tasks
        var counts: [String: Int] = [:]
        for task in taskList { counts[task.stateName ?? task.stateType?.rawValue ?? "Unknown", default: 0] += 1 }
        let failedTasks = taskList.filter { [.failed, .crashed].contains($0.stateType ?? .completed) }
        let subflow =
            [.failed, .crashed].contains(run.stateType ?? .completed)
            ? try await subflowFailure(of: row, failedTasks: failedTasks, ui: ui, now: now) : nil
        let errorLines = try await errors.lines
        let lastLines = try await last.lines
        let history = try await states.suffix(20).map {
            FlowRunDiagnosis.StateChange(type: $0.type.rawValue, name: $0.name, timestamp: $0.timestamp, message: $0.message)
        }
        let deploymentValue = try await deployment
        var differences: [FlowRunDiagnosis.ParameterDifference] = []
        if let defaults = deploymentValue?.parameters {
            let given = run.parameters ?? [:]
            for name in Set(defaults.keys).union(given.keys).sorted() where defaults[name] != given[name] {
                differences.append(.init(name: name, run: given[name], deployment: defaults[name]))
            }
        }
        let policy = run.empiricalPolicy
        let configured = policy?["retries"]?.intValue ?? policy?["max_retries"]?.intValue
        let retries: JSONValue = [
            "run_count": .int(run.runCount ?? 0),
            "retries_configured": configured.map(JSONValue.int) ?? .null,
            // Retries not used yet (an AwaitingRetry run's next attempt is one of them).
            "retries_remaining": configured.map { .int(max(0, $0 - max((run.runCount ?? 0) - 1, 0))) } ?? .null,
            "retry_delay_seconds": policy?["retry_delay"] ?? policy?["retry_delay_seconds"] ?? .null,
            "retry_type": policy?["retry_type"] ?? .null,
            "next_attempt_at": awaitingRetry ? RunStateCauses.scheduledTime(of: run).map { .string(PrefectDate.format($0)) } ?? .null : .null,
        ]
        let subflowText = (subflow?.errorLogs.map(\.message) ?? []) + (subflow?.failedTaskRuns.compactMap(\.message) ?? [])
        let text = ([run.state?.message ?? ""] + errorLines.map(\.message) + failedTasks.compactMap { $0.state?.message } + subflowText)
            .joined(separator: "\n")
        let diagnosis = FlowRunDiagnosis(
            run: row, stateHistory: Array(history), taskRunCounts: counts,
            failedTaskRuns: failedTasks.map(FlowRunDiagnosis.TaskSummary.init), subflowFailure: subflow,
            errorLogs: errorLines, lastLogLines: lastLines, retries: retries, parameterDifferences: differences, causes: causes,
            hints: FailureHints.hints(for: text, state: run.stateType, infrastructurePID: run.infrastructurePID),
            nextSteps: Self.nextSteps(
                run: run, slug: deploymentValue.map { Deployment.slug(flowName: row.flowName, deploymentName: $0.name) }, causes: causes,
                subflow: subflow)
        )
        return (diagnosis, taskList)
    }

    /// The deployment, or nil for a run without one (or whose deployment was deleted).
    private func optionalDeployment(id: String?) async throws -> Deployment? {
        guard let id else { return nil }
        do {
            return try await send(PrefectAPI.deployment(id: id))
        } catch PrefectError.notFound {
            return nil
        }
    }

    private static func nextSteps(run: FlowRun, slug: String?, causes: [Cause], subflow: SubflowFailure?) -> [String] {
        var steps = causes.compactMap(\.fix)
        switch run.stateType {
        case .failed?, .crashed?:
            if let subflow {
                let deepest = subflow.deepest
                let task = subflow.failedTaskRuns.first.map { ", in task \($0.name)" } ?? ""
                steps.append(
                    "The exception was raised in subflow run \(deepest.name) (\(deepest.flowName ?? "?"))\(task); its whole log: "
                        + "prefect flow-run logs \(deepest.id)")
            }
            steps.append("Read the whole log: prefect flow-run logs \(run.id)")
            steps.append("After fixing the cause, retry this run: prefect flow-run retry \(run.id)")
            if let slug { steps.append("Or start a new run: prefect deployment run '\(slug)'") }
        case .running?, .pending?:
            steps.append("See its newest lines: prefect flow-run logs \(run.id) --tail")
            steps.append("Stop it if it is stuck: prefect flow-run cancel \(run.id)")
        case .cancelling?:
            steps.append(RunStateCauses.forceCancelled(run))
        case .scheduled?:
            steps.append("Cancel it if it should not run: prefect flow-run cancel \(run.id)")
        default:
            break
        }
        return steps
    }
}

/// What the text of a failure suggests about its cause.
enum FailureHints {
    static func hints(for text: String, state: StateType?, infrastructurePID: String?) -> [String] {
        let lower = text.lowercased()
        var hints: [String] = []
        if lower.contains("exit code -9") || lower.contains("exited with code -9") || lower.contains("oomkilled") || lower.contains("code 137") {
            hints.append(
                "The process was killed (signal 9 / exit 137): usually out of memory. Give the job more memory or process less data at once.")
        }
        if lower.contains("modulenotfounderror") || lower.contains("importerror") || lower.contains("no module named") {
            hints.append("A Python import failed: the worker's environment lacks a dependency of the flow (check the image or requirements).")
        }
        if lower.contains("timed out") || lower.contains("timeouterror") || lower.contains("timeout") {
            hints.append("Something timed out: a task or the flow exceeded its timeout, or an external service did not answer.")
        }
        if lower.contains("permission denied") || lower.contains("403") || lower.contains("unauthorized") || lower.contains("401") {
            hints.append("An authorization error: check the credentials or blocks the flow uses.")
        }
        if lower.contains("connection refused") || lower.contains("connectionerror") || lower.contains("name or service not known") {
            hints.append("A network connection failed: the service the flow calls was unreachable.")
        }
        if lower.contains("validation error") || lower.contains("parameter") && lower.contains("invalid") {
            hints.append("Parameter validation failed: compare the run's parameters with the flow's signature.")
        }
        if state == .crashed {
            hints.append(
                "Crashed means the infrastructure failed, not the code: the process or container died"
                    + (infrastructurePID.map { " (infrastructure id \($0))" } ?? "") + ". Look at the worker's logs too.")
        }
        return hints
    }
}
