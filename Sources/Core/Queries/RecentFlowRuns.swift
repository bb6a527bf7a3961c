package import FoundationEssentials

/// Which runs to look at, by names people use.
package struct RunScope: Sendable, Hashable {
    package var flowName: String?
    /// A deployment name, or `flow/deployment`.
    package var deploymentName: String?
    package var workPoolName: String?
    /// Flow and deployment names match anywhere, case-insensitively, instead of exactly.
    package var partialNames: Bool

    package init(flowName: String? = nil, deploymentName: String? = nil, workPoolName: String? = nil, partialNames: Bool = false) {
        self.flowName = flowName
        self.deploymentName = deploymentName
        self.workPoolName = workPoolName
        self.partialNames = partialNames
    }

    /// The top-level filters this scope adds to a flow-run query. `flow/deployment` names both.
    var filters: (flows: FlowFilter?, deployments: DeploymentFilter?, workPools: WorkPoolFilter?) {
        let name = { (text: String) in partialNames ? AnyLike(like: text) : AnyLike(any: [text]) }
        var flows = flowName.map { FlowFilter(name: name($0)) }
        var deployments: DeploymentFilter?
        if let deploymentName {
            let parts = deploymentName.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                flows = FlowFilter(name: name(parts[0]))
                deployments = DeploymentFilter(name: name(parts[1]))
            } else {
                deployments = DeploymentFilter(name: name(deploymentName))
            }
        }
        return (flows, deployments, workPoolName.map { WorkPoolFilter(name: AnyOf(any: [$0])) })
    }
}

/// A page of recent runs, and the upcoming ones kept apart.
package struct RecentFlowRuns: Sendable {
    package var page: Page<FlowRunRow>
    /// Scheduled runs expected after now (nil when the caller bounded the time itself or asked for a later page).
    package var upcomingCount: Int?
    /// The next few of them, soonest first.
    package var upcoming: [FlowRunRow]
}

extension PrefectClient {
    /// Recent runs: expected to start at or before `now`, newest first (sorting by start time would put future
    /// scheduled runs first). A filter that sets `expected_start_time` itself replaces that bound. Upcoming runs
    /// are counted apart, with the next `upcomingShown`, on the first page only; nil skips them (no request).
    package func recentFlowRuns(
        filter: FlowRunFilter?, scope: RunScope = RunScope(), limit: Int, offset: Int, now: Date, ui: URL, upcomingShown: Int? = 5
    ) async throws -> RecentFlowRuns {
        var runFilter = filter ?? FlowRunFilter()
        let bounded = runFilter.expectedStartTime != nil
        if !bounded { runFilter.expectedStartTime = TimeRange(before: now) }
        let scoped = scope.filters
        let query = FlowRunsQuery(
            flows: scoped.flows, flowRuns: runFilter, deployments: scoped.deployments, workPools: scoped.workPools,
            sort: .expectedStartTimeDescending)

        let base = query
        // The upcoming runs do not depend on the page: read beside it, so the answer is one round trip deep.
        async let future = !bounded && offset == 0 ? upcomingRuns(of: base, after: now, shown: upcomingShown) : nil
        let page = try await self.page(limit: limit, offset: offset) { size, offset in
            var paged = base
            paged.limit = size
            paged.offset = offset
            return try await self.send(PrefectAPI.flowRuns(paged))
        }
        let upcoming = try await future
        let next = upcoming?.next ?? []
        let rows = try await self.rows(for: page.items + next, ui: ui, now: now)
        return RecentFlowRuns(
            page: Page(items: Array(rows.prefix(page.items.count)), truncated: page.truncated, nextOffset: page.nextOffset),
            upcomingCount: upcoming?.count,
            upcoming: Array(rows.suffix(next.count))
        )
    }

    /// Scheduled runs of `query` expected after `now`: how many, and the first `shown` of them soonest first. Nil
    /// when `shown` is nil (nothing is read).
    private func upcomingRuns(of query: FlowRunsQuery, after now: Date, shown: Int?) async throws -> (count: Int, next: [FlowRun])? {
        guard let shown else { return nil }
        var future = query
        future.flowRuns = (query.flowRuns ?? FlowRunFilter()).narrowedToUpcoming(after: now)
        future.sort = .expectedStartTimeAscending
        future.limit = shown
        let countEndpoint = PrefectAPI.countFlowRuns(future.countBody)
        let listEndpoint = PrefectAPI.flowRuns(future)
        async let count = send(countEndpoint)
        async let next = shown > 0 ? send(listEndpoint) : []
        return (try await count, try await next)
    }
}
