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
        case listProfiles
        case switchProfile(String)
    }

    /// The Prefect server talked to: replaced when another profile is picked. `generation` counts the switches, so
    /// that what the tasks of an earlier one still post is dropped.
    private struct Link: Sendable {
        var client: PrefectClient
        var settings: PrefectSettings
        /// The writes, when the user started the dashboard with --allow-writes; nil binds no write key.
        var actions: PrefectActions?
        var generation = 0
    }

    private let link: Mutex<Link>
    private var client: PrefectClient { link.withLock { $0.client } }
    private var settings: PrefectSettings { link.withLock { $0.settings } }
    private var actions: PrefectActions? { link.withLock { $0.actions } }
    private var generation: Int { link.withLock { $0.generation } }
    private let makeClient: @Sendable (PrefectSettings) -> PrefectClient
    private let writes: WritePermission?
    /// The event feed and the runs check of the server talked to.
    private let watchers = Mutex<[Task<Void, Never>]>([])
    private let options: DashboardOptions
    private let mailbox = Mutex<[DashboardEvent]>([])
    private let interrupted = Atomic<Int32>(0)
    /// Whether Prefect pushes its events to the feed now: the overview may then keep its late-run diagnosis longer.
    private let eventsPushed = Atomic<Bool>(false)
    /// Whether the feed reads events by polling now (neither before it says, nor while pushed).
    private let eventsPolled = Atomic<Bool>(false)
    /// Events before this fill the Events view (from ``eventsLookBack`` earlier) but change nothing else.
    private let startedAt = Date()
    /// How far back the Events view starts: what Prefect's event stream backfills.
    static let eventsLookBack: TimeInterval = 600

    /// - Parameters:
    ///   - makeClient: a client for some settings; the session shuts down each it made when done with it.
    package init(
        settings: PrefectSettings, options: DashboardOptions, writes: WritePermission? = nil,
        makeClient: @escaping @Sendable (PrefectSettings) -> PrefectClient
    ) {
        let client = makeClient(settings)
        self.link = Mutex(Link(client: client, settings: settings, actions: writes.map { client.actions($0) }))
        self.makeClient = makeClient
        self.writes = writes
        self.options = options
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
        startWatchers(since: startedAt)
        let code = await withCheckedContinuation { (done: CheckedContinuation<Int32, Never>) in
            DispatchQueue(label: "prefect-mcp.dashboard.ui").async {
                done.resume(returning: self.loop(requests))
            }
        }
        requests.finish()
        worker.cancel()
        for task in watchers.withLock({ $0 }) { task.cancel() }
        await client.shutdown()
        return code
    }

    /// The event feed (from ``eventsLookBack`` before `since`) and the runs check, for the server talked to now,
    /// in place of those of an earlier one.
    private func startWatchers(since: Date) {
        let generation = generation
        let started = [
            Task { await self.watch(since: since.addingTimeInterval(-Self.eventsLookBack), generation: generation) },
            Task { await self.watchRuns(generation: generation) },
        ]
        for task in watchers.withLock({ tasks in
            defer { tasks = started }; return tasks
        }) { task.cancel() }
    }

    /// Posts `event` unless it comes from the tasks of an earlier server than `generation` says.
    private func post(_ event: DashboardEvent, generation: Int? = nil) {
        if let generation, generation != self.generation { return }
        mailbox.withLock { $0.append(event) }
    }

    // MARK: - UI thread

    private func loop(_ requests: AsyncStream<Work>.Continuation) -> Int32 {
        let backend = NcursesBackend(colors: options.colors, theme: options.theme, mouse: options.mouse)
        defer { backend.shutdown() }
        var state = DashboardState()
        state.keyMap = options.keyMap
        state.colors = options.colors
        state.serverURL = settings.apiURL.value.displayString
        state.startingProfile = settings.profile?.name
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
                case .listProfiles: requests.yield(.listProfiles)
                case .switchProfile(let name): requests.yield(.switchProfile(name))
                case .refresh, .quit: break
                }
            }
            if let due = state.refreshDue(now: now, interval: options.refresh) {
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
    private func watch(since: Date, generation: Int) async {
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
            post(.feed(update, at: Date()), generation: generation)
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
    private func watchRuns(generation: Int) async {
        var last: Set<String>?
        while !Task.isCancelled {
            do { try await Task.sleep(for: Self.runsCheckEvery) } catch { return }
            guard eventsPolled.load(ordering: .relaxed), let now = try? await client.liveRunStates() else {
                last = nil
                continue
            }
            if let last, now != last { post(.runsMoved(at: Date()), generation: generation) }
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
            case .listProfiles:
                do {
                    post(.profiles(.success(try options.profiles.entries())))
                } catch {
                    post(.profiles(.failure(ProfileListError(description: error.description))))
                }
            case .switchProfile(let name):
                do {
                    let settings = try options.profiles.settings(profile: name)
                    logs?.cancel()
                    logs = nil
                    lastOverview = nil
                    let fresh = makeClient(settings)
                    let old = link.withLock { link in
                        defer {
                            link = Link(
                                client: fresh, settings: settings, actions: writes.map { fresh.actions($0) }, generation: link.generation + 1)
                        }
                        return link.client
                    }
                    let now = Date()
                    startWatchers(since: now)
                    post(.switched(profile: name, serverURL: settings.apiURL.value.displayString, at: now))
                    await old.shutdown()
                } catch {
                    post(.profileFailed(name: name, reason: error.description))
                }
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
                    settings: settings, window: window, historyColumns: DashboardState.historyColumns(for: window), previous: previous,
                    keepDiagnosisFor: keep, workers: Self.overviewWorkers,
                    onlyRunsChanged: onlyRuns))
        case .runs(let search):
            return .runs(search, try await client.searchRuns(search, limit: DashboardState.runsShown, ui: ui))
        case .runDetail(let id):
            return .runDetail(try await client.flowRunDetail(id: id, ui: ui))
        case .deployments:
            let page = try await client.deploymentRows(filter: nil, limit: DashboardState.deploymentsShown, offset: 0, ui: ui)
            return .deployments(page.items, more: page.truncated)
        case .deploymentDetail(let id):
            async let page = client.deploymentRows(filter: nil, limit: DashboardState.deploymentsShown, offset: 0, ui: ui)
            async let finished = client.finishedRuns(deploymentID: id, limit: DashboardState.finishedRunsShown, ui: ui)
            let rows = try await page
            return .deploymentDetail(rows.items, more: rows.truncated, id: id, try await finished)
        case .workPools:
            return .workPools(try await client.workPoolDetails(ui: ui))
        }
    }

    /// Follows a run's log until the run has finished and its last lines are in, or until another run's log is
    /// asked for: the newest lines first, then ``LogFollower/updates(client:options:)`` (Prefect's log stream where the
    /// server streams logs, else the log read every 250 ms; `logs --follow` follows the same way).
    private func follow(_ runID: String) async {
        let generation = generation
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
        post(.log(.started(runID: runID, lines: first, olderRemain: follower.olderRemain)), generation: generation)
        for await update in follower.updates(client: client) {
            if Task.isCancelled { return }
            switch update {
            case .mode(let mode): post(.log(.source(runID: runID, mode)), generation: generation)
            case .items(let lines): if !lines.isEmpty { post(.log(.appended(runID: runID, lines: lines)), generation: generation) }
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
