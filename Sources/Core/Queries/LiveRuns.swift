package import FoundationEssentials

/// Late, Running and Pending runs counted, overall or in one pool: what `status`, the dashboard and `get_work_pools`
/// say of the server (late, running, pending) and of each pool (late runs, active runs).
///
/// They are few on a server that works, so one `/flow_runs/filter` page (``PrefectClient/liveRunsPage()``) reads
/// them all and every count is taken from it; when they fill that page, each count is asked of `/flow_runs/count`
/// instead, exact at any scale.
package struct LiveRunCounts: Sendable, Equatable {
    package var late = 0
    package var running = 0
    package var pending = 0
    /// RUNNING or PENDING: the slots a pool limit counts.
    package var active: Int { running + pending }

    /// Late (`SCHEDULED`/`Late`), Running or Pending: matched on Prefect's side by type or name, then told apart here
    /// by the same columns the count filters read.
    static let filter = FlowRunFilter(
        state: FlowRunStateFilter(operator: .or, type: AnyNotAny(any: [.running, .pending]), name: AnyNotAny(any: ["Late"])))

    /// Counts `runs`, which must be every run ``filter`` matches: overall, and by pool name (a pool with none of them
    /// is absent).
    static func tally(_ runs: [FlowRun]) -> (overall: LiveRunCounts, byPool: [String: LiveRunCounts]) {
        var overall = LiveRunCounts()
        var byPool: [String: LiveRunCounts] = [:]
        for run in runs {
            let key: WritableKeyPath<LiveRunCounts, Int>
            switch run.stateType {
            case .scheduled where run.stateName == "Late": key = \.late
            case .running: key = \.running
            case .pending: key = \.pending
            default: continue
            }
            overall[keyPath: key] += 1
            if let pool = run.workPoolName { byPool[pool, default: LiveRunCounts()][keyPath: key] += 1 }
        }
        return (overall, byPool)
    }
}

extension PrefectClient {
    /// Every Late, Running and Pending run (in the pools matching `pools`, when given), when one page holds them all
    /// (fewer than ``PageLimit/maximum``); nil when they fill it and more may exist.
    ///
    /// Sorted by start time, which only orders the page: sorted by id, Prefect's SQLite walks the whole id index
    /// for the first page (150 ms at 100 000 runs); by start time it reads the state type and state name indexes and
    /// sorts the few rows found.
    func liveRunsPage(in pools: WorkPoolFilter? = nil) async throws -> [FlowRun]? {
        let runs = try await send(
            PrefectAPI.flowRuns(
                FlowRunsQuery(flowRuns: LiveRunCounts.filter, workPools: pools, sort: .startTimeDescending, limit: PageLimit.maximum)))
        return runs.count < PageLimit.maximum ? runs : nil
    }

    /// Each Late, Running and Pending run's id and state, read in one request: two that differ say a run started,
    /// ended or turned Late in between, which is most of what an overview shows change, without waiting for Prefect
    /// to store the event that says so (up to 5 s). nil when they fill a page.
    package func liveRunStates() async throws -> Set<String>? {
        guard let page = try await liveRunsPage() else { return nil }
        return Set(page.map { "\($0.id) \($0.stateType?.rawValue ?? "-") \($0.stateName ?? "-")" })
    }

    /// The counts over every pool (and none): from `page` when it holds every live run, else three counts.
    func liveRunCounts(page: [FlowRun]?) async throws -> LiveRunCounts {
        if let page { return LiveRunCounts.tally(page).overall }
        return try await countLiveRuns(pool: nil)
    }

    /// The counts in each of `pools`: from `page` when it holds every live run, else three counts a pool.
    func liveRunCounts(page: [FlowRun]?, pools: [String]) async throws -> [String: LiveRunCounts] {
        if let page {
            let byPool = LiveRunCounts.tally(page).byPool
            return Dictionary(pools.map { ($0, byPool[$0] ?? LiveRunCounts()) }, uniquingKeysWith: { first, _ in first })
        }
        let counted = try await pools.concurrentMap { pool in (pool, try await self.countLiveRuns(pool: pool)) }
        return Dictionary(counted, uniquingKeysWith: { first, _ in first })
    }

    private func countLiveRuns(pool: String?) async throws -> LiveRunCounts {
        let pools = pool.map { WorkPoolFilter(name: AnyOf(any: [$0])) }
        @Sendable func count(_ filter: FlowRunFilter) async throws -> Int {
            try await send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: filter, workPools: pools)))
        }
        // Running and pending are counted apart: Prefect's SQLite plans a count of both types joined to a pool
        // without the state index (about 60 ms at 100 000 runs, against a few ms for each type alone).
        async let late = count(.late)
        async let running = count(.stateType([.running]))
        async let pending = count(.stateType([.pending]))
        return LiveRunCounts(late: try await late, running: try await running, pending: try await pending)
    }

    /// One page of every work queue across pools (`everyQueue` in ``workQueues(inPools:everyQueue:)``).
    func everyQueuePage() async throws -> [WorkQueue] {
        try await send(PrefectAPI.workQueues(WorkQueuesQuery(limit: PageLimit.maximum)))
    }

    /// The work queues of each of `pools`, by pool name: for several pools, one `/work_queues/filter` read across
    /// pools (``everyQueuePage()``, or `everyQueue` when the caller read it already) when every queue fits in one
    /// page, else each pool's queues read apart (the cross-pool list is ordered by name alone, so its pages could skip
    /// or repeat queues of the same name).
    func workQueues(inPools pools: [WorkPool], everyQueue: [WorkQueue]? = nil) async throws -> [String: [WorkQueue]] {
        guard everyQueue != nil || pools.count > 1 else {
            guard let pool = pools.first else { return [:] }
            return [pool.name: try await workQueues(inPool: pool.name)]
        }
        let all: [WorkQueue]
        if let everyQueue { all = everyQueue } else { all = try await everyQueuePage() }
        if all.count < PageLimit.maximum {
            return Self.group(all, by: pools)
        }
        let read = try await pools.concurrentMap { pool in (pool.name, try await self.workQueues(inPool: pool.name)) }
        return Dictionary(read, uniquingKeysWith: { first, _ in first })
    }

    /// `queues` by the name of their pool, for each of `pools` (a pool without queues has an empty list).
    private static func group(_ queues: [WorkQueue], by pools: [WorkPool]) -> [String: [WorkQueue]] {
        let names = Dictionary(pools.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var byPool = Dictionary(pools.map { ($0.name, [WorkQueue]()) }, uniquingKeysWith: { first, _ in first })
        for queue in queues {
            guard let id = queue.workPoolID, let name = names[id] else { continue }
            byPool[name, default: []].append(queue)
        }
        return byPool
    }
}
