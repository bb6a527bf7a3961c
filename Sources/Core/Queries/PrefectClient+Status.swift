package import FoundationEssentials

extension PrefectClient {
    /// Builds ``ServerStatus``: health and versions, run counts over `window`, and every work pool with its workers.
    /// All requests run concurrently.
    /// - Parameters:
    ///   - settings: for reporting where the URL and credentials came from.
    ///   - window: counts cover runs expected to start in `[now - window, now)`.
    ///   - now: the end of the window.
    ///   - previous: an earlier status whose slow parts may be kept: its versions always (only health is asked),
    ///     and its pool health (two requests for each pool) when the ``ServerStatus/Fingerprint`` of the counts and
    ///     the pool list read now is the same as then. The dashboard passes its last one between full reads.
    package func status(settings: PrefectSettings, window: TimeWindow = .day, now: Date = Date(), reusing previous: ServerStatus? = nil) async throws
        -> ServerStatus
    {
        let start = now.addingTimeInterval(-Double(window.seconds))
        async let server = connection(settings: settings, known: previous?.server)
        async let history = send(
            PrefectAPI.flowRunHistory(
                FlowRunsHistory(historyStart: start, historyEnd: now, historyIntervalSeconds: Double(window.seconds))
            )
        )
        async let late = send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: .late)))
        async let running = send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: .stateType([.running]))))
        async let pending = send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: .stateType([.pending]))))
        async let upcoming = send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: .upcoming(after: now))))
        async let poolList = allPages { offset in
            try await self.send(PrefectAPI.workPools(WorkPoolsQuery(limit: PageLimit.maximum, offset: offset)))
        }

        let byState = try await history.stateCounts.sorted { $0.key < $1.key }.map {
            ServerStatus.StateCount(type: $0.key.type, name: $0.key.name, count: $0.value)
        }

        let pools = try await poolList
        let workPools: [ServerStatus.WorkPoolHealth]
        // Without an earlier status the pool details start at once; with one, the counts decide first.
        if let previous, try await previous.fingerprint == ServerStatus.Fingerprint(late: late, running: running, pending: pending, pools: pools) {
            workPools = previous.workPools
        } else {
            workPools = try await workPoolDetails(pools: pools, ui: settings.uiURL, now: now).map(\.health)
        }
        return ServerStatus(
            server: try await server,
            window: ServerStatus.Window(label: window.description, start: start, end: now),
            flowRuns: ServerStatus.FlowRunCounts(
                total: byState.reduce(0) { $0 + $1.count },
                byState: byState,
                late: try await late,
                running: try await running,
                pending: try await pending,
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
