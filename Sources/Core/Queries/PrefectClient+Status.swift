package import FoundationEssentials

extension PrefectClient {
    /// Builds ``ServerStatus``: health and versions, run counts over `window`, and every work pool with its workers.
    /// All requests run concurrently: besides the connection, the window's history, the upcoming count, the pool list
    /// and one read of the live runs (``LiveRunCounts``: the late, running and pending counts, overall and by pool),
    /// then one request for each pool's workers (Prefect has no read of workers across pools).
    /// - Parameters:
    ///   - settings: for reporting where the URL and credentials came from.
    ///   - window: counts cover runs expected to start in `[now - window, now)`.
    ///   - now: the end of the window.
    ///   - previous: an earlier status whose slow parts may be kept: its versions always (only health is asked),
    ///     and its pools' workers (one request for each pool) when the ``ServerStatus/Fingerprint`` of the counts and
    ///     the pool list read now is the same as then. The dashboard passes its last one between full reads.
    ///   - shared: reads shared with another part of the same answer (the dashboard's late-run diagnosis).
    package func status(
        settings: PrefectSettings, window: TimeWindow = .day, now: Date = Date(), reusing previous: ServerStatus? = nil, shared: SharedReads? = nil
    ) async throws -> ServerStatus {
        let start = now.addingTimeInterval(-Double(window.seconds))
        async let server = connection(settings: settings, known: previous?.server)
        async let history = send(
            PrefectAPI.flowRunHistory(
                FlowRunsHistory(historyStart: start, historyEnd: now, historyIntervalSeconds: Double(window.seconds))
            )
        )
        async let live = liveRunsPage(shared: shared)
        async let upcoming = send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: .upcoming(after: now))))
        async let poolList = allWorkPools(shared: shared)

        let byState = try await history.stateCounts.sorted { $0.key < $1.key }.map {
            ServerStatus.StateCount(type: $0.key.type, name: $0.key.name, count: $0.value)
        }

        let pools = try await poolList
        @Sendable func readWorkers() async throws -> [[Worker]] {
            try await pools.concurrentMap { pool in try await self.workers(inPool: pool.name, shared: shared) }
        }
        // Without an earlier status the workers are read at once; with one, the counts decide first.
        async let eagerWorkers: [[Worker]]? = try await (previous == nil ? readWorkers() : nil)
        let page = try await live
        let counts = try await liveRunCounts(page: page)
        let workPools: [ServerStatus.WorkPoolHealth]
        if let previous,
            previous.fingerprint == ServerStatus.Fingerprint(late: counts.late, running: counts.running, pending: counts.pending, pools: pools)
        {
            // The workers are kept; the runs by pool are counted again when that costs nothing (they came in the page).
            if let page {
                let byPool = try await liveRunCounts(page: page, pools: pools.map(\.name))
                workPools = previous.workPools.map { pool in
                    var pool = pool
                    pool.lateRuns = byPool[pool.name]?.late ?? 0
                    pool.activeRuns = byPool[pool.name]?.active ?? 0
                    return pool
                }
            } else {
                workPools = previous.workPools
            }
        } else {
            let byPool = try await liveRunCounts(page: page, pools: pools.map(\.name))
            let workers: [[Worker]]
            if let eager = try await eagerWorkers {
                workers = eager
            } else {
                workers = try await readWorkers()
            }
            workPools = zip(pools, workers).map { pool, workers in
                ServerStatus.WorkPoolHealth(pool: pool, workers: workers, runs: byPool[pool.name] ?? LiveRunCounts())
            }
        }
        return ServerStatus(
            server: try await server,
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
    }

    /// Who and where we are connected: URL and where it came from, Cloud ids, credential source (never the
    /// secret), Prefect release and API version, health. Answers `status`'s header and MCP `get_identity`.
    /// With `known` (an earlier answer) only health is asked again: versions do not change while connected.
    package func connection(settings: PrefectSettings, known: ServerStatus.Connection? = nil) async throws -> ServerStatus.Connection {
        // /health needs no auth: asked first, it tells "unreachable" apart from "unauthorized".
        let healthy = try await send(PrefectAPI.health)
        if var known {
            known.healthy = healthy
            return known
        }
        async let version = send(PrefectAPI.serverVersion)
        async let apiVersion = send(PrefectAPI.apiVersion)
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
            version: try await version,
            apiVersion: try await apiVersion,
            healthy: healthy,
            uiURL: settings.uiURL.absoluteString
        )
    }
}
