package import FoundationEssentials

/// What the dashboard's overview shows, read in one refresh: exact counts and pool health, the late runs with
/// their causes, and the recent runs.
package struct DashboardOverview: Sendable {
    package var status: ServerStatus
    package var lateRuns: LateRunsReport
    package var recentRuns: [FlowRunRow]
    /// When the late-run diagnosis was read (earlier than the rest when it was kept).
    package var diagnosisReadAt: Date

    /// How long the late-run diagnosis is kept while the ``ServerStatus/Fingerprint`` holds, unless the caller
    /// learns of changes from pushed events: half a worker's heartbeat interval (30 s).
    package static let diagnosisMaxAge: TimeInterval = 15

    package init(status: ServerStatus, lateRuns: LateRunsReport, recentRuns: [FlowRunRow], diagnosisReadAt: Date) {
        self.status = status
        self.lateRuns = lateRuns
        self.recentRuns = recentRuns
        self.diagnosisReadAt = diagnosisReadAt
    }
}

extension PrefectClient {
    /// The overview, its parts read concurrently.
    ///
    /// The status is read each time, cheaply: the client keeps the versions and, as `workers` allows, the pools'
    /// workers (``KeptReads``); with `onlyRunsChanged` (the caller learnt from events that only runs changed state)
    /// the pools are kept from `previous` too. The late-run diagnosis (about fifteen requests) is kept from
    /// `previous`:
    /// - while the counts and pools read now say nothing moved (the ``ServerStatus/Fingerprint`` holds), for at most
    ///   ``DashboardOverview/diagnosisMaxAge``, or `keepDiagnosisFor` when longer: a caller that learns of changes
    ///   from Prefect's pushed events passes more (a run turning Late, a pool or queue changing status all send one);
    /// - while only runs started or ended (the running and pending counts moved; no run turned Late or stopped being
    ///   Late, no pool changed), for at most ``DashboardOverview/diagnosisMaxAge``: a busy server then costs one
    ///   diagnosis every 15 s, not one a refresh.
    package func dashboardOverview(
        settings: PrefectSettings, window: TimeWindow, historyColumns: Int = 1, recent: Int = 50, late: Int = 10, now: Date = Date(),
        previous: DashboardOverview? = nil,
        keepDiagnosisFor: TimeInterval = 0, workers: WorkerReads = .fresh, onlyRunsChanged: Bool = false
    ) async throws -> DashboardOverview {
        async let recentRuns = recentFlowRuns(filter: nil, limit: recent, offset: 0, now: now, ui: settings.uiURL, upcomingShown: nil)
        // The status and the diagnosis read the same pools, workers and Late runs: each is read once.
        let shared = SharedReads(workers: workers)
        let keepFor = max(DashboardOverview.diagnosisMaxAge, keepDiagnosisFor)
        guard let previous, now.timeIntervalSince(previous.diagnosisReadAt) < keepFor else {
            async let status = status(settings: settings, window: window, historyColumns: historyColumns, now: now, shared: shared)
            async let lateRuns = diagnoseLateRuns(limit: late, now: now, ui: settings.uiURL, shared: shared)
            return DashboardOverview(
                status: try await status, lateRuns: try await lateRuns, recentRuns: try await recentRuns.page.items, diagnosisReadAt: now)
        }
        let status = try await status(
            settings: settings, window: window, historyColumns: historyColumns, now: now, shared: shared,
            keepingPools: onlyRunsChanged ? previous.status : nil)
        let age = now.timeIntervalSince(previous.diagnosisReadAt)
        let (after, before) = (status.fingerprint, previous.status.fingerprint)
        let keep = after == before || (after.differsOnlyInActiveRuns(from: before) && age < DashboardOverview.diagnosisMaxAge)
        guard keep else {
            let lateRuns = try await diagnoseLateRuns(limit: late, now: now, ui: settings.uiURL, shared: shared)
            return DashboardOverview(status: status, lateRuns: lateRuns, recentRuns: try await recentRuns.page.items, diagnosisReadAt: now)
        }
        return DashboardOverview(
            status: status, lateRuns: previous.lateRuns, recentRuns: try await recentRuns.page.items, diagnosisReadAt: previous.diagnosisReadAt)
    }
}
