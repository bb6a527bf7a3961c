package import FoundationEssentials

/// What the dashboard's overview shows, read in one refresh: exact counts and pool health, the late runs with
/// their causes, and the recent runs.
package struct DashboardOverview: Sendable {
    package var status: ServerStatus
    package var lateRuns: LateRunsReport
    package var recentRuns: [FlowRunRow]
    /// When pool health and the late-run diagnosis were read (older than the rest when they were kept).
    package var slowPartsReadAt: Date
    /// When the late-run diagnosis was read (older than ``slowPartsReadAt`` when it was kept on its own).
    package var diagnosisReadAt: Date

    /// How long pool health and the late-run diagnosis are kept while their ``ServerStatus/Fingerprint`` holds:
    /// half a worker's heartbeat interval (30 s).
    package static let slowPartsMaxAge: TimeInterval = 15

    package init(status: ServerStatus, lateRuns: LateRunsReport, recentRuns: [FlowRunRow], slowPartsReadAt: Date, diagnosisReadAt: Date? = nil) {
        self.status = status
        self.lateRuns = lateRuns
        self.recentRuns = recentRuns
        self.slowPartsReadAt = slowPartsReadAt
        self.diagnosisReadAt = diagnosisReadAt ?? slowPartsReadAt
    }
}

extension PrefectClient {
    /// The overview, its parts read concurrently.
    ///
    /// With `previous` (the last overview, from a refresh that was not asked for by the user), what changes slowly
    /// and costs the most requests is kept while the counts and pool list read now say nothing moved, for at most
    /// ``DashboardOverview/slowPartsMaxAge``: the versions, the pools' workers (one request a pool) and the late-run
    /// diagnosis (about fifteen). An idle dashboard then asks six requests a refresh instead of about thirty.
    ///
    /// `keepDiagnosisFor`: when the caller learns of changes from Prefect's pushed events (a run turning Late, a pool
    /// or queue changing status all send one), the late-run diagnosis is also kept past that age, up to this long,
    /// while the fingerprint holds; the status (pool health, workers' heartbeats) is read again in full.
    package func dashboardOverview(
        settings: PrefectSettings, window: TimeWindow, recent: Int = 50, late: Int = 10, now: Date = Date(), previous: DashboardOverview? = nil,
        keepDiagnosisFor: TimeInterval = 0
    ) async throws -> DashboardOverview {
        async let recentRuns = recentFlowRuns(filter: nil, limit: recent, offset: 0, now: now, ui: settings.uiURL, upcomingShown: nil)
        // The status and the diagnosis read the same pools, workers and Late runs: each is read once.
        let shared = SharedReads()
        if let previous, now.timeIntervalSince(previous.slowPartsReadAt) >= DashboardOverview.slowPartsMaxAge,
            now.timeIntervalSince(previous.diagnosisReadAt) < keepDiagnosisFor
        {
            let status = try await status(settings: settings, window: window, now: now, shared: shared)
            if status.fingerprint == previous.status.fingerprint {
                return DashboardOverview(
                    status: status, lateRuns: previous.lateRuns, recentRuns: try await recentRuns.page.items, slowPartsReadAt: now,
                    diagnosisReadAt: previous.diagnosisReadAt)
            }
            let lateRuns = try await diagnoseLateRuns(limit: late, now: now, ui: settings.uiURL, shared: shared)
            return DashboardOverview(status: status, lateRuns: lateRuns, recentRuns: try await recentRuns.page.items, slowPartsReadAt: now)
        }
        guard let previous, now.timeIntervalSince(previous.slowPartsReadAt) < DashboardOverview.slowPartsMaxAge else {
            async let status = status(settings: settings, window: window, now: now, shared: shared)
            async let lateRuns = diagnoseLateRuns(limit: late, now: now, ui: settings.uiURL, shared: shared)
            return DashboardOverview(
                status: try await status, lateRuns: try await lateRuns, recentRuns: try await recentRuns.page.items, slowPartsReadAt: now)
        }
        let status = try await status(settings: settings, window: window, now: now, reusing: previous.status, shared: shared)
        guard status.fingerprint == previous.status.fingerprint else {
            let lateRuns = try await diagnoseLateRuns(limit: late, now: now, ui: settings.uiURL, shared: shared)
            return DashboardOverview(status: status, lateRuns: lateRuns, recentRuns: try await recentRuns.page.items, slowPartsReadAt: now)
        }
        return DashboardOverview(
            status: status, lateRuns: previous.lateRuns, recentRuns: try await recentRuns.page.items, slowPartsReadAt: previous.slowPartsReadAt,
            diagnosisReadAt: previous.diagnosisReadAt)
    }
}
