package import FoundationEssentials

/// Why each Late (or long-Pending) run has not started, and why Running runs wait on their tasks' tag limits.
package struct LateRunsReport: Codable, Sendable {
    package struct Entry: Codable, Sendable {
        package var run: FlowRunRow
        package var causes: [Cause]
    }

    package var runs: [Entry]
    /// Late runs in scope (all of them, not only those diagnosed).
    package var lateCount: Int
    /// How many diagnosed runs each cause code explains.
    package var summary: [String: Int]
    package var checkedAt: Date

    enum CodingKeys: String, CodingKey {
        case runs, summary
        case lateCount = "late_count"
        case checkedAt = "checked_at"
    }
}

extension PrefectClient {
    /// Diagnoses Late runs, and runs Pending for longer than `pendingAfter`, in the scope given.
    ///
    /// Each distinct pool, queue and deployment is read once and its occupancy counted (RUNNING and PENDING runs,
    /// which hold slots), so every cause is computed, not guessed: deployment or pool or queue paused, no ONLINE
    /// worker (with the last heartbeat's age), pool, queue or deployment limit full (naming the runs holding it).
    /// Running runs whose task runs wait for a full tag limit's slot are added with `tag_limit_full`.
    /// `shared` holds reads shared with another part of the same answer (the dashboard's status).
    package func diagnoseLateRuns(
        scope: RunScope = RunScope(), workQueueName: String? = nil, limit: Int = 25, pendingAfter: TimeInterval = 300,
        now: Date = Date(), ui: URL, shared: SharedReads? = nil
    ) async throws -> LateRunsReport {
        var late = FlowRunFilter.late
        var pending = FlowRunFilter.stateType([.pending])
        if let workQueueName {
            late.workQueueName = NullableAnyOf(any: [workQueueName])
            pending.workQueueName = NullableAnyOf(any: [workQueueName])
        }
        pending.expectedStartTime = TimeRange(before: now.addingTimeInterval(-pendingAfter))
        async let lateRuns = recentFlowRuns(filter: late, scope: scope, limit: limit, offset: 0, now: now, ui: ui, upcomingShown: nil)
        async let stuckRuns = recentFlowRuns(filter: pending, scope: scope, limit: limit, offset: 0, now: now, ui: ui, upcomingShown: nil)
        // Unscoped, the Late runs are all counted in the live runs' read when another part of the answer makes it.
        let everyLateRun = scope.filters.flows == nil && scope.filters.deployments == nil && scope.filters.workPools == nil && workQueueName == nil
        async let lateTotal =
            if let shared, everyLateRun {
                try await liveRunCounts(page: shared.liveRunsPage(self)).late
            } else {
                try await countFlowRuns(filter: late, scope: scope)
            }
        async let tagWaits = TagLimitWaits.load(client: self)
        let rows = try await lateRuns.page.items + stuckRuns.page.items
        let context = try await DiagnosisContext.load(for: rows, client: self, now: now, shared: shared)
        var entries = rows.map { LateRunsReport.Entry(run: $0, causes: context.causes(for: $0)) }

        // Running runs held up by their tasks: tag limits bind task runs, never a flow run's start.
        let waits = try await tagWaits
        if !waits.byFlowRun.isEmpty {
            var running = FlowRunFilter.stateType([.running])
            running.id = AnyNotAny(any: Array(waits.byFlowRun.keys))
            if let workQueueName { running.workQueueName = NullableAnyOf(any: [workQueueName]) }
            let held = try await recentFlowRuns(filter: running, scope: scope, limit: limit, offset: 0, now: now, ui: ui, upcomingShown: nil)
            entries += held.page.items.map { LateRunsReport.Entry(run: $0, causes: waits.causes(forFlowRun: $0.id)) }
        }
        var summary: [String: Int] = [:]
        for entry in entries {
            for code in Set(entry.causes.map(\.code)) { summary[code, default: 0] += 1 }
        }
        return LateRunsReport(runs: entries, lateCount: try await lateTotal, summary: summary, checkedAt: now)
    }

    /// Counts runs matching `filter` within `scope`.
    package func countFlowRuns(filter: FlowRunFilter, scope: RunScope) async throws -> Int {
        let scoped = scope.filters
        let query = FlowRunsCount(flows: scoped.flows, flowRuns: filter, deployments: scoped.deployments, workPools: scoped.workPools)
        return try await send(PrefectAPI.countFlowRuns(query))
    }
}
