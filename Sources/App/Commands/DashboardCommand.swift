import ArgumentParser
import Core
import Dispatch
import FoundationEssentials
import Logging
import Synchronization
import TUI

#if canImport(Glibc)
    import Glibc
#endif

/// `prefect-mcp` / `prefect-mcp dashboard`: the full-screen dashboard.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the full-screen dashboard (the default command).",
        discussion: """
            Five views, on keys 1-5 or Tab: Overview (flow-run counts by state, work pools with workers and \
            heartbeats, late runs with their causes, recent runs); Runs (filter with /, e.g. `state:failed flow:etl \
            nightly`; Enter opens a run's history, parameters, tasks and diagnosis); Deployments; Work pools; and \
            the live log of a run (l). It polls every --refresh seconds and never blocks the keyboard on the \
            network; when the server is unreachable it says so, keeps the last data (marked stale) and reconnects by \
            itself (r retries at once). Press ? for every key; q quits.

            It needs a terminal; in scripts use `prefect-mcp status` and `prefect-mcp logs RUN`.

            \(Failure.exitCodesHelp)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: ArgumentHelp("Seconds between refreshes (0.5–300).", valueName: "seconds"))
    var refresh: Double = 2

    func validate() throws {
        guard (0.5...300).contains(refresh) else { throw ValidationError("--refresh must be between 0.5 and 300 seconds, not \(refresh).") }
    }

    func run() async throws {
        let settings = try connection.requiredSettings()
        guard isatty(0) == 1, isatty(1) == 1 else {
            StandardError.write("error: the dashboard needs a terminal; in scripts and pipes use `prefect-mcp status` and `prefect-mcp logs RUN`.\n")
            throw ExitCode(1)
        }
        // Nothing may write to the terminal while curses owns it.
        LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        let client = PrefectClient(settings: settings, userAgent: PrefectMCPCommand.userAgent)
        let session = DashboardSession(client: client, settings: settings, interval: refresh)
        let code = await session.run()
        await client.shutdown()
        if code != 0 { throw ExitCode(code) }
    }
}

/// The dashboard at run time: the UI loop on a thread of its own (curses is single-threaded and its key wait
/// blocks), the Prefect queries in tasks, events between them through a mailbox.
final class DashboardSession: Sendable {
    enum Work: Sendable {
        /// `full` when the user asked (a key, a new view): nothing from the last overview is kept.
        case refresh(Query, full: Bool)
        case follow(runID: String)
    }

    private let client: PrefectClient
    private let settings: PrefectSettings
    private let interval: Double
    private let mailbox = Mutex<[DashboardEvent]>([])
    private let interrupted = Atomic<Int32>(0)

    init(client: PrefectClient, settings: PrefectSettings, interval: Double) {
        self.client = client
        self.settings = settings
        self.interval = interval
    }

    /// Runs until `q` (0) or Ctrl-C / SIGTERM (130 / 143).
    func run() async -> Int32 {
        let (work, requests) = AsyncStream<Work>.makeStream()
        let signals = TerminationSignals { number in self.interrupted.store(128 + number, ordering: .relaxed) }
        let worker = Task { await self.serve(work) }
        let code = await withCheckedContinuation { (done: CheckedContinuation<Int32, Never>) in
            DispatchQueue(label: "prefect-mcp.dashboard.ui").async {
                done.resume(returning: self.loop(requests))
            }
        }
        requests.finish()
        worker.cancel()
        signals.cancel()
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
        state.size = backend.size
        var full = true
        var lastAttempt = Date.distantPast
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
                case .refresh:
                    lastAttempt = .distantPast
                    full = true
                case .followLogs(let runID):
                    requests.yield(.follow(runID: runID))
                case .quit:
                    break
                }
            }
            if state.refreshStarted == nil, now >= state.connection.nextRefresh(after: lastAttempt, interval: interval) {
                _ = state.reduce(.refreshStarted(at: now))
                lastAttempt = now
                requests.yield(.refresh(state.query, full: full))
                full = false
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

    private func serve(_ work: AsyncStream<Work>) async {
        var logs: Task<Void, Never>?
        var lastOverview: DashboardOverview?
        for await request in work {
            switch request {
            case .refresh(let query, let full):
                do {
                    let loaded = try await load(query, previous: full ? nil : lastOverview)
                    if case .overview(let overview) = loaded { lastOverview = overview }
                    post(.loaded(loaded, at: Date()))
                } catch {
                    post(.refreshFailed(reason: Self.describe(error), unauthorized: (error as? PrefectError)?.isAuthError == true, at: Date()))
                }
            case .follow(let runID):
                logs?.cancel()
                logs = Task { await self.follow(runID) }
            }
        }
        logs?.cancel()
    }

    /// One query, through the same Core calls the MCP tools and commands use; `previous` lets the overview keep
    /// its slow parts while nothing they depend on changed.
    private func load(_ query: Query, previous: DashboardOverview?) async throws -> Loaded {
        let ui = settings.uiURL
        switch query {
        case .overview(let window):
            return .overview(try await client.dashboardOverview(settings: settings, window: window, previous: previous))
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

    private func follow(_ runID: String) async {
        var follower = LogFollower(flowRunID: runID)
        var started = false
        while !Task.isCancelled {
            do {
                let lines = started ? try await follower.poll(client: client) : try await follower.start(client: client, newest: 1000)
                started = true
                if !lines.isEmpty, !Task.isCancelled { post(.logLines(lines)) }
            } catch {
                // The overview's refresh reports connection problems; the log just waits for the next poll.
            }
            try? await Task.sleep(for: .seconds(1))
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
