package import FoundationEssentials

extension Dictionary<StateKey, Int> {
    /// The counts in lifecycle order.
    var sortedCounts: [ServerStatus.StateCount] {
        sorted { $0.key < $1.key }.map { ServerStatus.StateCount(type: $0.key.type, name: $0.key.name, count: $0.value) }
    }
}

extension PrefectClient {
    /// Builds ``ServerStatus``: versions, run counts over `window`, and every work pool with its workers.
    /// All requests run concurrently: the window's history, the upcoming count, the pool list and one read of the live
    /// runs (``LiveRunCounts``: the late, running and pending counts, overall and by pool), then one request for each
    /// pool's workers (Prefect has no read of workers across pools) unless the client kept them (``KeptReads``), and
    /// the versions unless kept. Health is not asked: the answer's other reads reaching Prefect say it.
    /// - Parameters:
    ///   - settings: for reporting where the URL and credentials came from.
    ///   - window: counts cover runs expected to start in `[now - window, now)`.
    ///   - historyColumns: over 1, the same history read returns the window in that many equal columns
    ///     (``ServerStatus/history``), which add up to the counts: no request more.
    ///   - now: the end of the window.
    ///   - shared: reads shared with another part of the same answer (the dashboard's late-run diagnosis), and how
    ///     old kept workers may be (``SharedReads/workerPolicy``; without it, ``WorkerReads/fresh``).
    ///   - keepingPools: an earlier status whose pools, with their workers, are kept, only their late and active runs
    ///     counted again (when the live runs fit one page): for a refresh that only runs' state changes asked for,
    ///     which change no pool's status or workers.
    package func status(
        settings: PrefectSettings, window: TimeWindow = .day, historyColumns: Int = 1, now: Date = Date(), shared: SharedReads? = nil,
        keepingPools earlier: ServerStatus? = nil
    ) async throws -> ServerStatus {
        let columns = max(1, historyColumns)
        let start = now.addingTimeInterval(-Double(window.seconds))
        async let versions = keptVersions()
        async let history = send(
            PrefectAPI.flowRunHistory(
                FlowRunsHistory(historyStart: start, historyEnd: now, historyIntervalSeconds: Double(window.seconds) / Double(columns))
            )
        )
        async let live = liveRunsPage(shared: shared)
        async let upcoming = send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: .upcoming(after: now))))
        async let poolList: [WorkPool]? = earlier == nil ? try await allWorkPools(shared: shared) : nil

        let buckets = try await history
        let byState = buckets.stateCounts.sortedCounts
        let page = try await live
        let counts = try await liveRunCounts(page: page)
        let workPools: [ServerStatus.WorkPoolHealth]
        if let earlier, let page {
            let byPool = LiveRunCounts.tally(page).byPool
            workPools = earlier.workPools.map { pool in
                var pool = pool
                pool.lateRuns = byPool[pool.name]?.late ?? 0
                pool.activeRuns = byPool[pool.name]?.active ?? 0
                return pool
            }
        } else {
            let pools: [WorkPool]
            if let read = try await poolList { pools = read } else { pools = try await allWorkPools(shared: shared) }
            async let workers = self.workers(of: pools, shared: shared)
            let byPool = try await liveRunCounts(page: page, pools: pools.map(\.name))
            workPools = zip(pools, try await workers).map { pool, workers in
                ServerStatus.WorkPoolHealth(pool: pool, workers: workers, runs: byPool[pool.name] ?? LiveRunCounts())
            }
        }
        let (version, apiVersion) = try await versions
        var status = ServerStatus(
            server: connection(settings: settings, version: version, apiVersion: apiVersion, healthy: true),
            window: ServerStatus.Window(label: window.description, start: start, end: now),
            flowRuns: ServerStatus.FlowRunCounts(
                total: byState.reduce(0) { $0 + $1.count },
                byState: byState,
                late: counts.late,
                running: counts.running,
                pending: counts.pending,
                upcoming: try await upcoming
            ),
            workPools: workPools
        )
        if columns > 1 {
            status.history = buckets.sorted { $0.intervalStart < $1.intervalStart }.map { bucket in
                ServerStatus.HistoryColumn(
                    start: bucket.intervalStart, end: bucket.intervalEnd, counts: CollectionOfOne(bucket).stateCounts.sortedCounts)
            }
        }
        return status
    }

    /// Who and where we are connected: URL and where it came from, Cloud ids, credential source (never the
    /// secret), Prefect release and API version, health. Answers `status`'s header and MCP `get_identity`.
    package func connection(settings: PrefectSettings) async throws -> ServerStatus.Connection {
        // /health needs no auth: asked first, it tells "unreachable" apart from "unauthorized".
        let healthy = try await send(PrefectAPI.health)
        let (version, apiVersion) = try await readVersions()
        return connection(settings: settings, version: version, apiVersion: apiVersion, healthy: healthy)
    }

    private func connection(settings: PrefectSettings, version: String?, apiVersion: String?, healthy: Bool) -> ServerStatus.Connection {
        var accountID: String?
        var workspaceID: String?
        if case .cloud(let account, let workspace) = settings.server {
            accountID = account
            workspaceID = workspace
        }
        return ServerStatus.Connection(
            apiURL: settings.apiURL.value.displayString,
            apiURLSource: settings.apiURL.source.description,
            profile: settings.profile?.name,
            kind: settings.server.isCloud ? "cloud" : "self-hosted",
            accountID: accountID,
            workspaceID: workspaceID,
            credential: settings.credential?.summary,
            version: version,
            apiVersion: apiVersion,
            healthy: healthy,
            uiURL: settings.uiURL.absoluteString
        )
    }

    /// Prefect's release and API version, read now and kept (``KeptReads``).
    private func readVersions() async throws -> (String?, String?) {
        async let version = send(PrefectAPI.serverVersion)
        async let apiVersion = send(PrefectAPI.apiVersion)
        let read = (try await version, try await apiVersion)
        kept.keep(version: read.0, apiVersion: read.1, now: Date())
        return read
    }

    /// The versions kept from an earlier answer, else read now.
    private func keptVersions() async throws -> (String?, String?) {
        if let kept = kept.keptVersions(now: Date()) { return kept }
        return try await readVersions()
    }
}
