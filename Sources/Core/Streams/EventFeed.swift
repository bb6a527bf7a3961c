package import FoundationEssentials
import JSONValue

extension PrefectClient {
    /// Prefect's events from `since` on that match `filter` (its `occurred` and `order` are the feed's), oldest
    /// first, each once, until the consumer stops iterating (or the task is cancelled).
    ///
    /// Live first: Prefect's `/events/out` websocket, subscribed from the feed's window with `occurred.until` a year
    /// ahead and backfill on; each (re)connect first catches up with one read of `POST /events/filter` from the
    /// last read's window (Prefect's backfill reaches back only 15 minutes), de-duplicated by id. While live, a
    /// slow check read (``EventFeedOptions/checkEvery``) that finds an event the socket should have delivered
    /// means the socket is silent. When the socket is refused, cut or silent, the feed says `.polling(reason:)` and
    /// reads `POST /events/filter` every `pollEvery` (docs/prefect-streams.md §2: stored events lag by up to 5 s),
    /// trying the socket again after 1, 2, 4 … 60 s. A socket that refuses the credential (close 1008) is not tried
    /// again.
    package func eventFeed(_ filter: EventFilter, since: Date, pollEvery: Duration = .seconds(2)) -> AsyncStream<FeedUpdate<Event>> {
        eventFeed(filter, since: since, pollEvery: pollEvery, options: EventFeedOptions())
    }

    /// ``eventFeed(_:since:pollEvery:)`` with its timings chosen (tests shorten them; `live: false` only polls).
    package func eventFeed(_ filter: EventFilter, since: Date, pollEvery: Duration, options: EventFeedOptions) -> AsyncStream<FeedUpdate<Event>> {
        AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let task = Task {
                var runner = EventFeedRunner(
                    client: self, poller: EventFeedPoller(filter: filter, since: since), pollEvery: pollEvery, options: options)
                await runner.run { continuation.yield($0) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// The timings of a live feed.
package struct EventFeedOptions: Sendable {
    /// Try the websocket at all.
    package var live: Bool
    /// How often a live feed reads `events/filter` to catch what a silent socket missed: one request each, so an
    /// idle live feed costs 1.5 requests a minute.
    package var checkEvery: Duration
    /// The first check after a (re)connect, for events Prefect had not stored yet when the socket came up (§4).
    package var firstCheckAfter: Duration
    /// The socket's handshake, from connecting to `auth_success`.
    package var handshakeTimeout: Duration

    package init(
        live: Bool = true, checkEvery: Duration = .seconds(40), firstCheckAfter: Duration = .seconds(8), handshakeTimeout: Duration = .seconds(5)
    ) {
        self.live = live
        self.checkEvery = checkEvery
        self.firstCheckAfter = firstCheckAfter
        self.handshakeTimeout = handshakeTimeout
    }
}

/// The state of one event feed: its poller (window and ids yielded), its mode and the socket's backoff.
struct EventFeedRunner {
    let client: PrefectClient
    var poller: EventFeedPoller
    let pollEvery: Duration
    let options: EventFeedOptions
    var mode: FeedMode?
    var backoff = StreamBackoff()

    init(client: PrefectClient, poller: EventFeedPoller, pollEvery: Duration, options: EventFeedOptions) {
        self.client = client
        self.poller = poller
        self.pollEvery = pollEvery
        self.options = options
    }

    mutating func run(_ yield: (FeedUpdate<Event>) -> Void) async {
        guard options.live else {
            await poll(reason: "live streams are off", until: nil, yield)
            return
        }
        while !Task.isCancelled {
            let failure = await live(yield)
            if Task.isCancelled { return }
            if case .unauthorized = failure {
                await poll(reason: failure.description, until: nil, yield)
                return
            }
            let retry = ContinuousClock.now + backoff.next()
            await poll(reason: failure.description, until: retry, yield)
        }
    }

    private mutating func setMode(_ new: FeedMode, _ yield: (FeedUpdate<Event>) -> Void) {
        guard mode != new else { return }
        mode = new
        yield(.mode(new))
    }

    /// Polls every `pollEvery` until `until` (forever when nil, or until cancelled).
    private mutating func poll(reason: String, until: ContinuousClock.Instant?, _ yield: (FeedUpdate<Event>) -> Void) async {
        setMode(.polling(reason: reason), yield)
        while !Task.isCancelled {
            do {
                let fresh = try await poller.poll(client: client)
                if !fresh.isEmpty { yield(.items(fresh)) }
            } catch {
                // A failed read is retried at the next interval; nothing is skipped, the window stays open.
            }
            if let until, ContinuousClock.now >= until { return }
            let wait = until.map { min(pollEvery, max(.zero, $0 - ContinuousClock.now)) } ?? pollEvery
            do { try await Task.sleep(for: wait) } catch { return }
            if let until, ContinuousClock.now >= until { return }
        }
    }

    /// What a live session hears: the socket's signals, its end, and the check reads.
    private enum Input: Sendable {
        case socket(PrefectSocket.Signal)
        case ended(StreamFailure)
        case checked([Event], readAt: Date)
    }

    /// One socket session: returns why it ended.
    private mutating func live(_ yield: (FeedUpdate<Event>) -> Void) async -> StreamFailure {
        let filter: JSONValue
        do {
            filter = try StreamFilter.events(poller.filter, since: poller.since)
        } catch {
            return .protocolError("the feed's filter cannot be streamed: \(error)")
        }
        let (inputs, input) = AsyncStream<Input>.makeStream(bufferingPolicy: .unbounded)
        let socket = PrefectSocket.subscribe(
            configuration: client.configuration, path: .events, filter: filter, handshakeTimeout: options.handshakeTimeout)
        let window = SharedValue(poller.since)
        let client = self.client
        let filterForChecks = poller.filter
        let options = self.options
        let forward = Task {
            do {
                for try await signal in socket { input.yield(.socket(signal)) }
                input.yield(.ended(.cut("the events socket ended")))
            } catch let failure as StreamFailure {
                input.yield(.ended(failure))
            } catch {
                input.yield(.ended(.cut(PrefectSocket.describe(error))))
            }
        }
        var checks: Task<Void, Never>?
        defer {
            forward.cancel()
            checks?.cancel()
            input.finish()
        }
        var readyAt: Date?
        for await next in inputs {
            if Task.isCancelled { return .cut("cancelled") }
            switch next {
            case .ended(let failure):
                return failure
            case .socket(.ready):
                readyAt = Date()
                // Catch up from the window's start: Prefect's backfill reaches back 15 minutes at most.
                do {
                    let fresh = try await poller.poll(client: client)
                    setMode(.live, yield)
                    if !fresh.isEmpty { yield(.items(fresh)) }
                } catch {
                    return .cut("catching up through /events/filter failed: \(error)")
                }
                backoff.reset()
                window.set(poller.since)
                checks = Task {
                    var wait = options.firstCheckAfter
                    while !Task.isCancelled {
                        do { try await Task.sleep(for: wait) } catch { return }
                        wait = options.checkEvery
                        let readAt = Date()
                        let since = window.get()
                        if let events = try? await EventFeedPoller.read(client: client, filter: filterForChecks, since: since, now: readAt) {
                            input.yield(.checked(events, readAt: readAt))
                        }
                    }
                }
            case .socket(.message(let text)):
                guard case .event(let event) = StreamMessage(text: text), poller.acceptLive(event) else { continue }
                yield(.items([event]))
            case .checked(let events, let readAt):
                let fresh = poller.accept(events, readAt: readAt)
                window.set(poller.since)
                if !fresh.isEmpty { yield(.items(fresh)) }
                let missed = EventFeedPoller.missed(fresh, liveSince: readyAt, readAt: readAt)
                if missed > 0 {
                    return .cut("the events socket is silent: /events/filter has \(missed) event\(missed == 1 ? "" : "s") it never delivered")
                }
            }
        }
        return .cut("cancelled")
    }
}

/// The polling side of ``PrefectClient/eventFeed(_:since:pollEvery:)``: reads from a little before the last read,
/// drops what it has yielded, forgets ids older than its window.
package struct EventFeedPoller: Sendable {
    /// How far back each read looks before the previous read began: Prefect's event persister flushes every 5 s.
    package static let persistLag: TimeInterval = 15
    package var filter: EventFilter
    /// The start of the next read's window.
    package private(set) var since: Date
    private var seen: [String: Date] = [:]

    package init(filter: EventFilter, since: Date) {
        self.filter = filter
        self.since = since
    }

    /// The events stored since the last poll that were not yielded before, oldest first; reads every page.
    package mutating func poll(client: PrefectClient, now: Date = Date()) async throws -> [Event] {
        accept(try await Self.read(client: client, filter: filter, since: since, now: now), readAt: now)
    }

    /// Every stored event of `filter` that occurred from `since` on, oldest first, all pages.
    package static func read(client: PrefectClient, filter: EventFilter, since: Date, now: Date) async throws -> [Event] {
        var query = filter
        query.occurred = EventFilter.Occurred(since: since, until: now.addingTimeInterval(86_400))
        query.order = .ascending
        var page = try await client.send(PrefectAPI.events(EventsQuery(filter: query, limit: PageLimit.eventsMaximum)))
        var events = page.events
        while let token = page.nextPageToken, !page.events.isEmpty {
            page = try await client.events(pageToken: token)
            events += page.events
        }
        return events
    }

    /// `events` minus those already yielded, oldest first; moves the window to `readAt` minus the persist lag.
    package mutating func accept(_ events: [Event], readAt: Date) -> [Event] {
        let fresh = events.filter { seen[$0.id] == nil && $0.occurred >= since }.sorted { $0.occurred < $1.occurred }
        for event in fresh { seen[event.id] = event.occurred }
        since = max(since, readAt.addingTimeInterval(-Self.persistLag))
        seen = seen.filter { $0.value >= since }
        return fresh
    }

    /// Takes one event the socket delivered: true when it was not yielded before and lies in the window (an older
    /// one was the business of a read that has already happened).
    package mutating func acceptLive(_ event: Event) -> Bool {
        guard seen[event.id] == nil, event.occurred >= since else { return false }
        seen[event.id] = event.occurred
        return true
    }

    /// How many of `fresh` (read at `readAt`, never delivered by the socket) the socket should have delivered: those
    /// Prefect received a second or more after the socket was up and a second or more before the read. Earlier
    /// ones may have been waiting to be stored while the socket connected (they are in neither its backfill nor
    /// its live stream).
    package static func missed(_ fresh: [Event], liveSince: Date?, readAt: Date) -> Int {
        guard let liveSince else { return 0 }
        return fresh.filter { event in
            let received = event.received ?? event.occurred
            return received >= liveSince.addingTimeInterval(1) && received <= readAt.addingTimeInterval(-1)
        }.count
    }
}
