import FoundationEssentials
import JSONValue

/// The timings of ``LogFollower/updates(client:options:)``.
package struct LogFollowOptions: Sendable {
    /// Try `/logs/out` at all (else only poll).
    package var live: Bool
    /// How often the run's log is read while the socket is not live: fast, and only while something follows it.
    package var pollEvery: Duration
    /// How often a live follow reads the log anyway, to catch lines a silent socket never delivered.
    package var checkEvery: Duration
    /// Once the run has finished: how long without a new line before the last read and the end (Prefect's Python
    /// client sends its lines in batches every 2 s).
    package var drainQuiet: Duration
    /// How often the run's state is read while its state events do not come live (the fallback of the end).
    package var stateEvery: Duration
    /// The socket's handshake, from connecting to `auth_success`.
    package var handshakeTimeout: Duration
    /// For ``LogFollower/updatesUntilFailure(client:options:)``: how long reads of the log may keep failing
    /// (while it is polled) before the follow ends with the last failure.
    package var giveUpAfter: Duration

    package init(
        live: Bool = true, pollEvery: Duration = .milliseconds(250), checkEvery: Duration = .seconds(5), drainQuiet: Duration = .seconds(3),
        stateEvery: Duration = .seconds(10), handshakeTimeout: Duration = .seconds(5), giveUpAfter: Duration = .seconds(30)
    ) {
        self.live = live
        self.pollEvery = pollEvery
        self.checkEvery = checkEvery
        self.drainQuiet = drainQuiet
        self.stateEvery = stateEvery
        self.handshakeTimeout = handshakeTimeout
        self.giveUpAfter = giveUpAfter
    }
}

extension PrefectClient {
    /// Whether the server streams log lines on `/logs/out`: both `server.logs.stream_out_enabled` and
    /// `stream_publishing_enabled` of `GET /admin/settings` (docs/prefect-streams.md §3; off by default, and then
    /// the socket authenticates and stays silent). Nil when the settings cannot be read (Prefect Cloud, a proxy).
    package func streamsLogs() async -> Bool? {
        guard !configuration.server.isCloud, let settings = try? await send(PrefectAPI.serverSettings),
            let logs = settings["server"]?["logs"], let out = logs["stream_out_enabled"]?.boolValue,
            let publishing = logs["stream_publishing_enabled"]?.boolValue
        else { return nil }
        return out && publishing
    }
}

extension LogFollower {
    /// Follows the run's log from where ``start(client:newest:)`` left off: yields the mode (first), then new lines,
    /// oldest first, each once, with task-run names joined; finishes once the run has finished and its last lines
    /// are in (or when the consumer stops iterating).
    ///
    /// Live when the server streams logs (``PrefectClient/streamsLogs()``, or unknown): `/logs/out` filtered by the
    /// run, after one catch-up read; a read every ``LogFollowOptions/checkEvery`` that finds a line the socket
    /// never delivered means it is silent. Otherwise, or when the socket is refused or cut, the log is read every
    /// ``LogFollowOptions/pollEvery`` (`.polling(reason:)`), and the socket tried again after 1, 2, 4 … 60 s.
    /// The end comes from the run's terminal state event (``PrefectClient/eventFeed(_:since:pollEvery:)`` on
    /// `prefect.flow-run.<id>`), or, while those events are not live, from reading the run's state.
    /// Reads that fail are tried again at the next interval, however long the server is away (the dashboard waits
    /// for it to come back).
    package func updates(client: PrefectClient, options: LogFollowOptions = LogFollowOptions()) -> AsyncStream<FeedUpdate<LogLine>> {
        AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let task = Task {
                var runner = LogFollowRunner(follower: self, client: client, options: options, givesUp: false)
                _ = await runner.run { continuation.yield($0) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// ``updates(client:options:)`` for a command that must not wait for ever (`logs --follow`, `run --watch`): once
    /// reads of the log have failed for ``LogFollowOptions/giveUpAfter`` on end, it throws the last failure.
    package func updatesUntilFailure(client: PrefectClient, options: LogFollowOptions = LogFollowOptions())
        -> AsyncThrowingStream<FeedUpdate<LogLine>, any Error>
    {
        AsyncThrowingStream(bufferingPolicy: .unbounded) { continuation in
            let task = Task {
                var runner = LogFollowRunner(follower: self, client: client, options: options, givesUp: true)
                let failure = await runner.run { continuation.yield($0) }
                continuation.finish(throwing: failure)
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// The state of one ``LogFollower/updates(client:options:)``.
struct LogFollowRunner {
    var follower: LogFollower
    let client: PrefectClient
    let options: LogFollowOptions
    var mode: FeedMode?
    var backoff = StreamBackoff()
    /// Ids of lines yielded lately (by the socket or a read), with their timestamps: a line comes once.
    var yielded: [String: Date] = [:]
    /// Lines a check read found that the socket had not delivered, too fresh to call missed yet (their timestamps).
    var unconfirmed: [String: Date] = [:]
    /// Whether failing reads end the follow (after ``LogFollowOptions/giveUpAfter``).
    let givesUp: Bool
    /// Since when reads have failed, and the last failure.
    var failing: (since: Date, error: any Error)?

    init(follower: LogFollower, client: PrefectClient, options: LogFollowOptions, givesUp: Bool) {
        self.follower = follower
        self.client = client
        self.options = options
        self.givesUp = givesUp
    }

    private enum Input: Sendable {
        case tick
        case socket(session: Int, PrefectSocket.Signal)
        case socketEnded(session: Int, StreamFailure)
        case checked(session: Int, tail: LogTail, entries: [LogEntry], readAt: Date)
        case runEvent(final: Bool)
        case stateMode(FeedMode)
    }

    /// The socket session under way.
    private struct Session {
        var id: Int
        var forward: Task<Void, Never>
        var checks: Task<Void, Never>?
        var readyAt: Date?

        func cancel() {
            forward.cancel()
            checks?.cancel()
        }
    }

    private mutating func setMode(_ new: FeedMode, _ yield: (FeedUpdate<LogLine>) -> Void) {
        guard mode != new else { return }
        mode = new
        yield(.mode(new))
    }

    /// Follows until the run is over (nil), or until reads have failed too long (that failure, when it gives up).
    mutating func run(_ yield: (FeedUpdate<LogLine>) -> Void) async -> (any Error)? {
        let runID = follower.tail.flowRunID
        let (inputs, input) = AsyncStream<Input>.makeStream(bufferingPolicy: .unbounded)
        let ticker = Task { [options] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: options.pollEvery) } catch { return }
                input.yield(.tick)
            }
        }
        var watcher: Task<Void, Never>?
        var session: Session?
        defer {
            ticker.cancel()
            watcher?.cancel()
            session?.cancel()
            input.finish()
        }

        // Whether to use the socket: the server says whether it streams logs; unknown means try and check.
        var streams = options.live
        var pollReason = "live streams are off"
        if options.live, !follower.runFinished {
            switch await client.streamsLogs() {
            case false?:
                streams = false
                pollReason = "the server does not stream logs (server.logs.stream_out_enabled and stream_publishing_enabled are not both on)"
            default:
                break
            }
        }
        if follower.runFinished {
            streams = false
            pollReason = "the run has finished"
        }
        var finishedAt: Date? = follower.runFinished ? Date() : nil
        var lastLineAt = Date()
        var stateLive = false
        var lastStateRead = Date()
        if finishedAt == nil {
            let filter = EventFilter(event: .init(prefix: ["prefect.flow-run."]), resource: .init(id: ["prefect.flow-run.\(runID)"]))
            let feed = client.eventFeed(filter, since: Date().addingTimeInterval(-60), pollEvery: .seconds(5))
            watcher = Task {
                for await update in feed {
                    switch update {
                    case .mode(let mode): input.yield(.stateMode(mode))
                    case .items(let events): input.yield(.runEvent(final: events.contains { Self.isFinal($0) }))
                    }
                }
            }
        }
        var sessions = 0
        var retryAt: ContinuousClock.Instant? = streams ? .now : nil

        func startSession() -> Session? {
            let filter: JSONValue
            do {
                filter = try StreamFilter.logs(flowRunID: runID, minimumLevel: follower.tail.minimumLevel)
            } catch {
                return nil
            }
            sessions += 1
            let id = sessions
            let socket = PrefectSocket.subscribe(
                configuration: client.configuration, path: .logs, filter: filter, handshakeTimeout: options.handshakeTimeout)
            let forward = Task {
                do {
                    for try await signal in socket { input.yield(.socket(session: id, signal)) }
                    input.yield(.socketEnded(session: id, .cut("the log socket ended")))
                } catch let failure as StreamFailure {
                    input.yield(.socketEnded(session: id, failure))
                } catch {
                    input.yield(.socketEnded(session: id, .cut(PrefectSocket.describe(error))))
                }
            }
            return Session(id: id, forward: forward)
        }

        if !streams { setMode(.polling(reason: pollReason), yield) }
        if let due = retryAt, due <= .now {
            retryAt = nil
            session = startSession()
        }

        for await next in inputs {
            if Task.isCancelled { return nil }
            switch next {
            case .tick:
                // Read while polling (not before the first mode is known: a socket may be coming up).
                if let mode, !mode.isLive, session?.readyAt == nil {
                    if let lines = await read(), !lines.isEmpty {
                        lastLineAt = Date()
                        yield(.items(lines))
                    }
                    if givesUp, let failing, Date().timeIntervalSince(failing.since) >= options.giveUpAfter.timeInterval { return failing.error }
                    if session == nil, let due = retryAt, due <= .now {
                        retryAt = nil
                        session = startSession()
                    }
                }
                if finishedAt == nil, !stateLive, Date().timeIntervalSince(lastStateRead) >= options.stateEvery.timeInterval {
                    lastStateRead = Date()
                    if let run = try? await client.send(PrefectAPI.flowRun(id: runID)), run.stateType?.isFinal == true { finishedAt = Date() }
                }
                if let finishedAt, Date().timeIntervalSince(max(finishedAt, lastLineAt)) >= options.drainQuiet.timeInterval {
                    // The last lines: one read more, then the end.
                    if let lines = await read(), !lines.isEmpty { yield(.items(lines)) }
                    return nil
                }
            case .socket(let id, .ready):
                guard session?.id == id else { continue }
                session?.readyAt = Date()
                unconfirmed = [:]
                guard let lines = await read() else {
                    session?.cancel()
                    session = nil
                    retryAt = .now + backoff.next()
                    setMode(.polling(reason: "catching up through /logs/filter failed"), yield)
                    continue
                }
                setMode(.live, yield)
                backoff.reset()
                if !lines.isEmpty {
                    lastLineAt = Date()
                    yield(.items(lines))
                }
                let every = options.checkEvery
                let client = self.client
                var tail = follower.tail
                session?.checks = Task {
                    while !Task.isCancelled {
                        do { try await Task.sleep(for: every) } catch { return }
                        let readAt = Date()
                        var entries: [LogEntry] = []
                        do {
                            repeat {
                                entries += tail.accept(try await client.send(PrefectAPI.logs(tail.nextQuery())))
                            } while tail.hasMore && entries.count < 5000
                        } catch {
                            continue
                        }
                        input.yield(.checked(session: id, tail: tail, entries: entries, readAt: readAt))
                    }
                }
            case .socket(let id, .message(let text)):
                guard session?.id == id, case .log(let entry) = StreamMessage(text: text) else { continue }
                unconfirmed[entry.id] = nil
                guard yielded[entry.id] == nil else { continue }
                if let level = follower.tail.minimumLevel, entry.level < level.number { continue }
                yielded[entry.id] = entry.timestamp
                let lines = (try? await follower.named([entry], client: client)) ?? [LogLine(entry, taskRunName: nil)]
                lastLineAt = Date()
                yield(.items(lines))
            case .socketEnded(let id, let failure):
                guard session?.id == id else { continue }
                session?.cancel()
                session = nil
                if case .unauthorized = failure {
                    retryAt = nil
                } else {
                    retryAt = .now + backoff.next()
                }
                setMode(.polling(reason: failure.description), yield)
            case .checked(let id, let tail, let entries, let readAt):
                guard session?.id == id else { continue }
                follower.tail = tail
                let fresh = accept(entries)
                if !fresh.isEmpty {
                    lastLineAt = Date()
                    yield(.items((try? await follower.named(fresh, client: client)) ?? fresh.map { LogLine($0, taskRunName: nil) }))
                }
                // Lines read too soon after they were written to judge wait for the next check: by then the socket
                // must have delivered them too.
                var missed = unconfirmed.values.filter { $0 <= readAt.addingTimeInterval(-1) }.count
                unconfirmed = unconfirmed.filter { $0.value > readAt.addingTimeInterval(-1) }
                missed += Self.missed(fresh, liveSince: session?.readyAt, readAt: readAt)
                if let liveSince = session?.readyAt {
                    for entry in fresh where entry.timestamp >= liveSince.addingTimeInterval(1) && entry.timestamp > readAt.addingTimeInterval(-1) {
                        unconfirmed[entry.id] = entry.timestamp
                    }
                }
                if missed > 0 {
                    session?.cancel()
                    session = nil
                    retryAt = .now + backoff.next()
                    setMode(
                        .polling(reason: "the log socket is silent: /logs/filter has \(missed) line\(missed == 1 ? "" : "s") it never delivered"),
                        yield)
                }
            case .runEvent(let final):
                if final, finishedAt == nil { finishedAt = Date() }
            case .stateMode(let mode):
                stateLive = mode.isLive
            }
        }
        return nil
    }

    /// The lines stored since the last read that were not yielded (by the socket), named; nil when the read failed.
    private mutating func read() async -> [LogLine]? {
        var entries: [LogEntry] = []
        do {
            repeat {
                entries += follower.tail.accept(try await client.send(PrefectAPI.logs(follower.tail.nextQuery())))
            } while follower.tail.hasMore && entries.count < 5000
        } catch {
            if failing == nil { failing = (Date(), error) } else { failing?.error = error }
            return nil
        }
        failing = nil
        let fresh = accept(entries)
        return (try? await follower.named(fresh, client: client)) ?? fresh.map { LogLine($0, taskRunName: nil) }
    }

    /// `entries` minus those already yielded; remembers them, and forgets lines older than the tail's window (a read
    /// never returns them again) by a minute's margin.
    private mutating func accept(_ entries: [LogEntry]) -> [LogEntry] {
        let fresh = entries.filter { yielded[$0.id] == nil }
        for entry in fresh { yielded[entry.id] = entry.timestamp }
        if let last = follower.tail.lastTimestamp {
            let horizon = last.addingTimeInterval(-60)
            yielded = yielded.filter { $0.value >= horizon }
        }
        return fresh
    }

    /// Lines a read found that the socket should have delivered: stamped a second or more after it came up and a
    /// second or more before the read (a line is published when it is stored, so it was on the socket first).
    static func missed(_ fresh: [LogEntry], liveSince: Date?, readAt: Date) -> Int {
        guard let liveSince else { return 0 }
        return fresh.filter { $0.timestamp >= liveSince.addingTimeInterval(1) && $0.timestamp <= readAt.addingTimeInterval(-1) }.count
    }

    /// A run's state event that ends it: `validated_state.type` final, else the event's name (`prefect.flow-run.Completed`).
    static func isFinal(_ event: Event) -> Bool {
        if let type = event.payload?["validated_state"]?["type"]?.stringValue { return StateType(type).isFinal }
        let name = event.event.replacing("prefect.flow-run.", with: "")
        return ["Completed", "Failed", "Crashed", "Cancelled"].contains(name)
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var timeInterval: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
