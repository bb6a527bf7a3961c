package import FoundationEssentials

extension PrefectClient {
    /// Prefect's events from `since` on that match `filter` (its `occurred` and `order` are the feed's), oldest
    /// first, each once, until the consumer stops iterating (or the task is cancelled).
    ///
    /// Reads `POST /events/filter` every `pollEvery`, from a little before the last read: Prefect stores events in
    /// batches up to about 5 s after they occur (docs/prefect-streams.md §2), so each read looks back
    /// ``EventFeedPoller/persistLag`` and drops the ids it has already yielded.
    package func eventFeed(_ filter: EventFilter, since: Date, pollEvery: Duration = .seconds(2)) -> AsyncStream<FeedUpdate<Event>> {
        AsyncStream(bufferingPolicy: .bufferingNewest(64)) { continuation in
            let task = Task {
                var poller = EventFeedPoller(filter: filter, since: since)
                continuation.yield(.mode(.polling(reason: "reading /events/filter")))
                while !Task.isCancelled {
                    do {
                        let fresh = try await poller.poll(client: self)
                        if !fresh.isEmpty { continuation.yield(.items(fresh)) }
                    } catch {
                        // A failed read is retried at the next interval; nothing is skipped, the window stays open.
                    }
                    try? await Task.sleep(for: pollEvery)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
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
        var query = filter
        query.occurred = EventFilter.Occurred(since: since, until: now.addingTimeInterval(86_400))
        query.order = .ascending
        var page = try await client.send(PrefectAPI.events(EventsQuery(filter: query, limit: PageLimit.eventsMaximum)))
        var events = page.events
        while let token = page.nextPageToken, !page.events.isEmpty {
            page = try await client.events(pageToken: token)
            events += page.events
        }
        return accept(events, readAt: now)
    }

    /// `events` minus those already yielded, oldest first; moves the window to `readAt` minus the persist lag.
    package mutating func accept(_ events: [Event], readAt: Date) -> [Event] {
        let fresh = events.filter { seen[$0.id] == nil }.sorted { $0.occurred < $1.occurred }
        for event in fresh { seen[event.id] = event.occurred }
        since = max(since, readAt.addingTimeInterval(-Self.persistLag))
        seen = seen.filter { $0.value >= since }
        return fresh
    }
}
