package import Core
import Dispatch
import FoundationEssentials
import Synchronization

/// The dashboard at run time: the UI loop on a thread of its own (curses is single-threaded and its key wait
/// blocks), the Prefect queries in tasks, events between them through a mailbox.
package final class DashboardSession: Sendable {
    enum Work: Sendable {
        /// `full` when the user asked (a key, a new view): nothing from the last overview is kept. `onlyRuns` when
        /// only runs' state events asked for it: the overview keeps its pools.
        case refresh(Query, full: Bool, onlyRuns: Bool)
        case follow(runID: String)
        case olderLogs(runID: String, offset: Int)
        case loadForm(deploymentID: String, slug: String)
        case write(WriteRequest)
    }

    private let client: PrefectClient
    private let settings: PrefectSettings
    private let interval: Double
    private let mailbox = Mutex<[DashboardEvent]>([])
    private let interrupted = Atomic<Int32>(0)
    /// Whether Prefect pushes its events to the feed now: the overview may then keep its late-run diagnosis longer.
    private let eventsPushed = Atomic<Bool>(false)
    /// Whether the feed reads events by polling now (neither before it says, nor while pushed).
    private let eventsPolled = Atomic<Bool>(false)
    /// The writes, when the user started the dashboard with --allow-writes; nil binds no write key.
    private let actions: PrefectActions?
    /// Events before this fill the Events view (from ``eventsLookBack`` earlier) but change nothing else.
    private let startedAt = Date()
    /// How far back the Events view starts: what Prefect's event stream backfills.
    static let eventsLookBack: TimeInterval = 600

    package init(client: PrefectClient, settings: PrefectSettings, interval: Double, writes: WritePermission? = nil) {
        self.client = client
        self.settings = settings
        self.interval = interval
        self.actions = writes.map { client.actions($0) }
    }

    /// Ends the session at the next turn of the UI loop with `exitCode` (the caller's signal handler: 130 for
    /// SIGINT, 143 for SIGTERM), the terminal given back.
    package func interrupt(exitCode: Int32) {
        interrupted.store(exitCode, ordering: .relaxed)
    }

    /// Runs until `q` (0) or ``interrupt(exitCode:)``.
    package func run() async -> Int32 {
        let (work, requests) = AsyncStream<Work>.makeStream()
        let worker = Task { await self.serve(work) }
        let feed = Task { await self.watch(since: startedAt.addingTimeInterval(-Self.eventsLookBack)) }
        let runs = Task { await self.watchRuns() }
        let code = await withCheckedContinuation { (done: CheckedContinuation<Int32, Never>) in
            DispatchQueue(label: "prefect-mcp.dashboard.ui").async {
                done.resume(returning: self.loop(requests))
            }
        }
        requests.finish()
        worker.cancel()
        feed.cancel()
        runs.cancel()
        return code
    }

    private func post(_ event: DashboardEvent) {
        mailbox.withLock { $0.append(event) }
    }

    // MARK: - UI thread

    private func loop(_ requests: AsyncStream<Work>.Continuation) -> Int32 {
        let backend = NcursesBackend()
        defer { backend.shutdown() }
        var state = DashboardState()
        state.serverURL = settings.apiURL.value.displayString
        state.writes = actions != nil
        state.size = backend.size
        state.watchingSince = startedAt
        var drawnAt = Date.distantPast
        var dirty = true
        while !state.shouldQuit {
            let signal = interrupted.load(ordering: .relaxed)
            if signal != 0 { return signal }
            var effects: [Effect] = []
            if let event = backend.nextEvent() {
                effects += state.reduce(event)
                dirty = true
            }
            for event in mailbox.withLock({ events in
                defer { events = [] }; return events
            }) {
                effects += state.reduce(event)
                dirty = true
            }
            let now = Date()
            for effect in effects {
                switch effect {
                case .followLogs(let runID): requests.yield(.follow(runID: runID))
                case .loadOlderLogs(let runID, let offset): requests.yield(.olderLogs(runID: runID, offset: offset))
                case .loadRunForm(let id, let slug): requests.yield(.loadForm(deploymentID: id, slug: slug))
                case .write(let request): requests.yield(.write(request))
                case .refresh, .quit: break
                }
            }
            if let due = state.refreshDue(now: now, interval: interval) {
                requests.yield(.refresh(due.query, full: due.full, onlyRuns: due.onlyRuns))
            }
            // Ages and countdowns change every second even without events.
            if dirty || now.timeIntervalSince(drawnAt) >= 1 {
                backend.present(Renderer.render(state, now: now))
                drawnAt = now
                dirty = false
            }
        }
        return 0
    }

    // MARK: - Prefect side

    /// Prefect's events (all but task runs', which a busy server sends by the thousand) for the Events view and
    /// to learn what changed: pushed when the server streams them, else read by polling (the feed decides).
    private func watch(since: Date) async {
        let filter = EventFilter(excludingPrefixes: ["prefect.task-run."])
        for await update in client.eventFeed(filter, since: since, pollEvery: Self.eventsPollEvery) {
            switch update {
            case .mode(let mode):
                eventsPushed.store(mode.isLive, ordering: .relaxed)
                eventsPolled.store(!mode.isLive, ordering: .relaxed)
            case .items(let events):
                // A worker that started or stopped changes its pool's workers: the next refresh reads them.
                for pool in events.compactMap(\.workerChangedPool) { client.kept.forgetWorkers(inPool: pool) }
            }
            post(.feed(update, at: Date()))
        }
    }

    /// While polled, events are read this often: Prefect stores them up to 5 s after they happen, so reading more
    /// often finds little sooner; ``watchRuns()`` catches runs' changes faster.
    static let eventsPollEvery: Duration = .seconds(4)
    /// While events are polled, the Late, Running and Pending runs are read this often.
    static let runsCheckEvery: Duration = .seconds(3)

    /// While events are polled, Prefect's stored events tell a run's change up to 5 s late; the Late, Running and
    /// Pending runs are read every ``runsCheckEvery`` instead (one request), and a change among them (a run started,
    /// ended or turned Late) brings the refresh forward as a pushed event would. Nothing is read while events are
    /// pushed, or when those runs fill a page.
    private func watchRuns() async {
        var last: Set<String>?
        while !Task.isCancelled {
            do { try await Task.sleep(for: Self.runsCheckEvery) } catch { return }
            guard eventsPolled.load(ordering: .relaxed), let now = try? await client.liveRunStates() else {
                last = nil
                continue
            }
            if let last, now != last { post(.runsMoved(at: Date())) }
            last = now
        }
    }

    /// The overview's pools' workers: each refresh reads those never read or whose pool changed, and renews at most
    /// two more, the stalest, so an idle dashboard's requests do not grow with the number of pools. Workers starting
    /// or stopping send events, which make their pool's workers read at the next refresh.
    static let overviewWorkers = WorkerReads(maxAge: 15, refreshLimit: 2)

    private func serve(_ work: AsyncStream<Work>) async {
        var logs: Task<Void, Never>?
        var lastOverview: DashboardOverview?
        for await request in work {
            switch request {
            case .refresh(let query, let full, let onlyRuns):
                do {
                    let loaded = try await load(query, previous: full ? nil : lastOverview, onlyRuns: onlyRuns)
                    if case .overview(let overview) = loaded { lastOverview = overview }
                    post(.loaded(loaded, at: Date()))
                } catch {
                    post(.refreshFailed(reason: Self.describe(error), unauthorized: (error as? PrefectError)?.isAuthError == true, at: Date()))
                }
            case .follow(let runID):
                logs?.cancel()
                logs = Task { await self.follow(runID) }
            case .olderLogs(let runID, let offset):
                Task { await self.readOlder(runID, offset: offset) }
            case .loadForm(let id, let slug):
                Task {
                    do {
                        post(.formLoaded(deploymentID: id, slug: slug, try await client.send(PrefectAPI.deploymentParameters(id: id))))
                    } catch {
                        post(.writeFailed(nil, reason: "Cannot read the parameters of \(slug): \(Self.describe(error))"))
                    }
                }
            case .write(let request):
                Task { await self.write(request) }
            }
        }
        logs?.cancel()
    }

    /// One query, through the same Core calls the MCP tools and commands use; `previous` lets the overview keep
    /// its late-run diagnosis while nothing it depends on changed, and its pools when `onlyRuns`.
    private func load(_ query: Query, previous: DashboardOverview?, onlyRuns: Bool) async throws -> Loaded {
        let ui = settings.uiURL
        switch query {
        case .overview(let window):
            // Runs turning Late and pools or queues changing status send events: with those pushed, the diagnosis of
            // late runs is kept for up to five minutes while the counts and pools say nothing moved.
            let keep: TimeInterval = eventsPushed.load(ordering: .relaxed) ? 300 : 0
            return .overview(
                try await client.dashboardOverview(
                    settings: settings, window: window, previous: previous, keepDiagnosisFor: keep, workers: Self.overviewWorkers,
                    onlyRunsChanged: onlyRuns))
        case .runs(let search):
            return .runs(search, try await client.searchRuns(search, limit: DashboardState.runsShown, ui: ui))
        case .runDetail(let id):
            return .runDetail(try await client.flowRunDetail(id: id, ui: ui))
        case .deployments:
            let page = try await client.deploymentRows(filter: nil, limit: DashboardState.deploymentsShown, offset: 0, ui: ui)
            return .deployments(page.items, more: page.truncated)
        case .workPools:
            return .workPools(try await client.workPoolDetails(ui: ui))
        }
    }

    /// Follows a run's log until the run has finished and its last lines are in, or until another run's log is
    /// asked for: the newest lines first, then ``LogFollower/updates(client:options:)`` (Prefect's log stream where the
    /// server streams logs, else the log read every 250 ms; `logs --follow` follows the same way).
    private func follow(_ runID: String) async {
        var follower = LogFollower(flowRunID: runID)
        var first: [LogLine]?
        while !Task.isCancelled, first == nil {
            do {
                first = try await follower.start(client: client, newest: DashboardState.logPage)
            } catch {
                // The overview's refresh reports connection problems; the log just tries again.
                try? await Task.sleep(for: .seconds(1))
            }
        }
        guard let first, !Task.isCancelled else { return }
        post(.log(.started(runID: runID, lines: first, olderRemain: follower.olderRemain)))
        for await update in follower.updates(client: client) {
            if Task.isCancelled { return }
            switch update {
            case .mode(let mode): post(.log(.source(runID: runID, mode)))
            case .items(let lines): if !lines.isEmpty { post(.log(.appended(runID: runID, lines: lines))) }
            }
        }
    }

    /// The page of a run's log that ends `offset` lines before its newest, through the pager `get_flow_run_logs`
    /// uses; the reducer drops it if another run's log is shown by then.
    private func readOlder(_ runID: String, offset: Int) async {
        do {
            let page = try await client.flowRunLogs(flowRunID: runID, newest: true, limit: DashboardState.logPage, offset: offset)
            post(.log(.older(runID: runID, lines: page.lines, more: page.truncated)))
        } catch {
            post(.log(.olderFailed(runID: runID, reason: Self.describe(error))))
        }
    }

    /// Sends a confirmed write through Core's actions (the same ones the MCP tools and `run`/`cancel` call); a new
    /// run comes back as a row, for its log view.
    private func write(_ request: WriteRequest) async {
        guard let actions else { return }
        do {
            let outcome: ActionOutcome
            switch request {
            case .cancelRun(let id, _): outcome = try await actions.cancelFlowRun(idOrName: id, dryRun: false)
            case .retryRun(let id, _): outcome = try await actions.retryFlowRun(idOrName: id, dryRun: false)
            case .setDeploymentPaused(let id, _, let paused): outcome = try await actions.setDeploymentPaused(id, paused: paused, dryRun: false)
            case .setWorkPoolPaused(let name, let paused): outcome = try await actions.setWorkPoolPaused(name, paused: paused, dryRun: false)
            case .setWorkQueuePaused(let pool, let queue, let paused):
                outcome = try await actions.setWorkQueuePaused(pool: pool, queue: queue, paused: paused, dryRun: false)
            case .runDeployment(let id, _, let run): outcome = try await actions.runDeployment(id, run, dryRun: false)
            }
            var row: FlowRunRow?
            if case .runDeployment = request, let id = outcome.flowRunID {
                row = try await client.rows(for: [client.send(PrefectAPI.flowRun(id: id))], ui: settings.uiURL).first
            }
            post(.written(request, outcome, newRun: row))
        } catch let refused as ActionRefused {
            post(.writeFailed(request, reason: refused.description))
        } catch {
            post(.writeFailed(request, reason: Self.describe(error)))
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case PrefectError.unreachable(_, let reason): reason
        case PrefectError.timeout(_, let seconds): "no answer within \(Int(seconds)) s"
        default: String(describing: error)
        }
    }
}
