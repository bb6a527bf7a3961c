package import FoundationEssentials

// Pages of the simpler objects, each with an exact "more" signal.

extension PrefectClient {
    /// Task runs, newest expected first.
    package func taskRuns(filter: TaskRunFilter?, flowRunFilter: FlowRunFilter? = nil, limit: Int, offset: Int) async throws -> Page<TaskRun> {
        try await page(limit: limit, offset: offset) { size, offset in
            try await self.send(
                PrefectAPI.taskRuns(
                    TaskRunsQuery(flowRuns: flowRunFilter, taskRuns: filter, sort: .expectedStartTimeDescending, limit: size, offset: offset)))
        }
    }

    /// Variables by name.
    package func variables(filter: VariableFilter?, limit: Int, offset: Int) async throws -> Page<Variable> {
        try await page(limit: limit, offset: offset) { size, offset in
            try await self.send(PrefectAPI.variables(VariablesQuery(variables: filter, sort: .nameAscending, limit: size, offset: offset)))
        }
    }

    /// Artifacts, newest first.
    package func artifacts(filter: ArtifactFilter?, limit: Int, offset: Int) async throws -> Page<Artifact> {
        try await page(limit: limit, offset: offset) { size, offset in
            try await self.send(PrefectAPI.artifacts(ArtifactsQuery(artifacts: filter, sort: .createdDescending, limit: size, offset: offset)))
        }
    }

    /// Automations by name.
    package func automations(filter: AutomationFilter?, limit: Int, offset: Int) async throws -> Page<Automation> {
        try await page(limit: limit, offset: offset) { size, offset in
            try await self.send(PrefectAPI.automations(AutomationsQuery(automations: filter, sort: .nameAscending, limit: size, offset: offset)))
        }
    }

    /// Events in `[since, until]`, newest first, optionally by name prefix; continue with the returned token.
    package func events(prefix: String?, since: Date, until: Date, limit: Int) async throws -> EventPage {
        let filter = EventFilter(
            occurred: EventFilter.Occurred(since: since, until: until),
            event: prefix.map { EventFilter.EventNames(prefix: [$0]) }, order: .descending)
        return try await send(PrefectAPI.events(EventsQuery(filter: filter, limit: limit)))
    }

    /// The next page of an event listing.
    package func events(pageToken: String) async throws -> EventPage {
        try await send(PrefectAPI.events(pageToken: pageToken))
    }

    /// Run counts by state per time bucket (`interval` seconds) over `[start, end)`.
    package func flowRunHistory(
        start: Date, end: Date, interval: Double, flowRuns: FlowRunFilter? = nil, deploymentName: String? = nil, workPoolName: String? = nil
    ) async throws -> [HistoryBucket] {
        var query = FlowRunsHistory(historyStart: start, historyEnd: end, historyIntervalSeconds: interval, flowRuns: flowRuns)
        if let deploymentName { query.deployments = DeploymentFilter(name: AnyLike(any: [deploymentName])) }
        if let workPoolName { query.workPools = WorkPoolFilter(name: AnyOf(any: [workPoolName])) }
        return try await send(PrefectAPI.flowRunHistory(query))
    }
}
