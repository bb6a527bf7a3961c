#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

extension PrefectClient {
    /// Builds ``ServerStatus``: health and versions, run counts over `window`, and every work pool with its workers.
    /// All requests run concurrently.
    /// - Parameters:
    ///   - settings: for reporting where the URL and credentials came from.
    ///   - window: counts cover runs expected to start in `[now - window, now)`.
    ///   - now: the end of the window.
    package func status(settings: PrefectSettings, window: TimeWindow = .day, now: Date = Date()) async throws -> ServerStatus {
        let start = now.addingTimeInterval(-Double(window.seconds))
        async let server = serverInfo(settings: settings)
        async let history = send(
            PrefectAPI.flowRunHistory(
                FlowRunsHistory(historyStart: start, historyEnd: now, historyIntervalSeconds: Double(window.seconds))
            )
        )
        async let late = send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: .late)))
        async let running = send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: .stateType([.running]))))
        async let pending = send(PrefectAPI.countFlowRuns(FlowRunsCount(flowRuns: .stateType([.pending]))))
        async let upcoming = send(
            PrefectAPI.countFlowRuns(
                FlowRunsCount(
                    flowRuns: FlowRunFilter(
                        state: FlowRunStateFilter(type: AnyNotAny(any: [.scheduled]), name: AnyNotAny(notAny: ["Late"])),
                        expectedStartTime: TimeRange(after: now)
                    )
                )
            )
        )
        async let pools = workPoolDetails(ui: settings.uiURL, now: now)

        var counts: [StateKey: Int] = [:]
        for bucket in try await history {
            for state in bucket.states { counts[state.key, default: 0] += state.countRuns }
        }
        let byState = counts.sorted { $0.key < $1.key }.map { ServerStatus.StateCount(type: $0.key.type, name: $0.key.name, count: $0.value) }

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
            workPools: try await pools.map(\.health)
        )
    }

    /// Who and where we are connected: URL and where it came from, Cloud ids, credential source (never the
    /// secret), Prefect release and API version, health. Answers `status`'s header and MCP `get_identity`.
    package func serverInfo(settings: PrefectSettings) async throws -> ServerStatus.ServerInfo {
        // /health needs no auth: asked first, it tells "unreachable" apart from "unauthorized".
        let healthy = try await send(PrefectAPI.health)
        async let version = send(PrefectAPI.serverVersion)
        async let apiVersion = send(PrefectAPI.apiVersion)
        var accountID: String?
        var workspaceID: String?
        if case .cloud(let account, let workspace) = settings.server {
            accountID = account
            workspaceID = workspace
        }
        return ServerStatus.ServerInfo(
            apiURL: settings.apiURL.value.absoluteString,
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

    /// Fetches page after page (offset paging, 200 a page) until a short page, up to `maximumItems`.
    package func allPages<Item: Sendable>(
        maximumItems: Int = 10_000,
        _ page: @Sendable (_ offset: Int) async throws -> [Item]
    ) async throws -> [Item] {
        var items: [Item] = []
        while items.count < maximumItems {
            let next = try await page(items.count)
            items.append(contentsOf: next)
            if next.count < PageLimit.maximum { break }
        }
        return items
    }
}
