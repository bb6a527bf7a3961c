import Foundation
import JSONValue
import Synchronization
import TestSupport
import Testing

@testable import Core

@Suite("Prefect's stream sockets: URLs, messages, filters, backoff, de-duplication")
struct StreamTests {
    @Test("The socket URL swaps http for ws and https for wss, under the API path")
    func socketURL() {
        #expect(PrefectSocket.url(api: URL(string: "http://127.0.0.1:4200/api")!, path: .events) == "ws://127.0.0.1:4200/api/events/out")
        #expect(PrefectSocket.url(api: URL(string: "https://prefect.example.com/api/")!, path: .logs) == "wss://prefect.example.com/api/logs/out")
        #expect(
            PrefectSocket.url(api: URL(string: "https://api.prefect.cloud/api/accounts/a/workspaces/w")!, path: .events)
                == "wss://api.prefect.cloud/api/accounts/a/workspaces/w/events/out")
        #expect(PrefectSocket.url(api: URL(string: "http://[::1]:4200/api")!, path: .events) == "ws://[::1]:4200/api/events/out")
        #expect(PrefectSocket.url(api: URL(string: "ftp://host/api")!, path: .events) == nil)
    }

    @Test("The auth token is the raw auth string, the API key, or null")
    func authMessage() throws {
        func token(_ credential: Credential?) throws -> JSONValue? {
            try JSONValue(parsing: Array(PrefectSocket.authMessage(credential).utf8))["token"]
        }
        #expect(try token(.basic(Secret("admin:x"), source: .defaultValue)) == .string("admin:x"))
        #expect(try token(.bearer(Secret("pnu_key"), source: .defaultValue)) == .string("pnu_key"))
        #expect(try token(nil) == .null)
        #expect(PrefectSocket.isAuthSuccess(#"{"type":"auth_success"}"#))
        #expect(!PrefectSocket.isAuthSuccess(#"{"type":"event"}"#))
    }

    @Test("An event filter is sent with until a year ahead, backfill on, no order")
    func eventFilter() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let since = now.addingTimeInterval(-600)
        var filter = EventFilter(event: .init(prefix: ["prefect.flow-run."]))
        filter.order = .descending
        let message = try StreamFilter.events(filter, since: since, now: now)
        #expect(message["type"] == "filter")
        #expect(message["backfill"] == .bool(true))
        let sent = try JSONCoding.decode(EventFilter.self, from: try #require(message["filter"]))
        #expect(sent.occurred?.since == since)
        #expect(try #require(sent.occurred?.until) >= now.addingTimeInterval(364 * 86_400))
        #expect(sent.order == nil)
        #expect(sent.event?.prefix == ["prefect.flow-run."])
    }

    @Test("Filters Prefect would refuse are refused before they are sent")
    func invalidFilters() {
        let now = Date()
        #expect(throws: StreamFilterError.self) {
            try StreamFilter.validate(EventFilter(occurred: .init(since: now, until: now.addingTimeInterval(-1))))
        }
        #expect(throws: StreamFilterError.self) { try StreamFilter.validate(EventFilter(occurred: .init(since: now, until: nil))) }
        #expect(throws: StreamFilterError.self) { try StreamFilter.events(EventFilter(event: .init(prefix: [""])), since: now) }
        #expect(throws: StreamFilterError.self) { try StreamFilter.logs(flowRunID: "", minimumLevel: nil) }
        #expect(throws: StreamFilterError.self) { try StreamFilter.logs(flowRunID: "a b", minimumLevel: nil) }
    }

    @Test("A log filter names the run and the level")
    func logFilter() throws {
        let message = try StreamFilter.logs(flowRunID: "r1", minimumLevel: .warning)
        #expect(message == ["type": "filter", "filter": ["flow_run_id": ["any_": ["r1"]], "level": ["ge_": 30]]])
        #expect(try StreamFilter.logs(flowRunID: "r1", minimumLevel: nil) == ["type": "filter", "filter": ["flow_run_id": ["any_": ["r1"]]]])
    }

    @Test("Backoff: 1, 2, 4 … 60 s, and back to 1 s once a socket worked")
    func backoff() {
        var backoff = StreamBackoff()
        let delays = (0..<9).map { _ in backoff.next() }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
        backoff.reset()
        #expect(backoff.next() == .seconds(1))
    }

    @Test("Messages decode into events and log lines; anything else is skipped")
    func messages() {
        let event =
            #"{"type":"event","event":{"id":"e1","occurred":"2026-11-30T16:07:55.246585Z","event":"prefect.flow-run.Running","resource":{"prefect.resource.id":"prefect.flow-run.r1"},"payload":{}}}"#
        guard case .event(let decoded) = StreamMessage(text: event) else {
            Issue.record("not an event")
            return
        }
        #expect(decoded.id == "e1" && decoded.resourceID == "prefect.flow-run.r1")
        let log =
            #"{"type":"log","log":{"id":"l1","created":null,"updated":null,"name":"prefect","level":20,"message":"hello","timestamp":"2026-11-30T16:07:55.246585Z","flow_run_id":"r1","task_run_id":null}}"#
        guard case .log(let line) = StreamMessage(text: log) else {
            Issue.record("not a log line")
            return
        }
        #expect(line.message == "hello" && line.flowRunID == "r1" && line.level == 20)
        guard case .other = StreamMessage(text: #"{"type":"ping"}"#), case .other = StreamMessage(text: "not json"),
            case .other = StreamMessage(text: #"{"type":"event","event":{"id":1}}"#)
        else {
            Issue.record("expected other")
            return
        }
    }

    @Test("A worker's started and stopped events name its pool (the dashboard then reads that pool's workers again)")
    func workerEvents() throws {
        // As Prefect's BaseWorker sends them: the worker as resource, its pool related by role.
        func event(_ name: String) throws -> Event {
            let text = """
                {"type":"event","event":{"id":"w1","occurred":"2026-11-30T16:07:55Z","event":"\(name)",\
                "resource":{"prefect.resource.id":"prefect.worker.process.runner-worker","prefect.resource.name":"runner-worker"},\
                "related":[{"prefect.resource.id":"prefect.work-pool.6d1e","prefect.resource.role":"work-pool","prefect.resource.name":"runner-pool"}],\
                "payload":{}}}
                """
            guard case .event(let event) = StreamMessage(text: text) else { throw CancellationError() }
            return event
        }
        #expect(try event("prefect.worker.started").workerChangedPool == "runner-pool")
        #expect(try event("prefect.worker.stopped").workerChangedPool == "runner-pool")
        #expect(try event("prefect.worker.submitted-flow-run").workerChangedPool == nil)
    }

    static func event(_ id: String, at seconds: TimeInterval, received: TimeInterval? = nil) -> Event {
        Event(
            id: id, occurred: Date(timeIntervalSince1970: seconds), received: received.map { Date(timeIntervalSince1970: $0) }, event: "e",
            resource: ["prefect.resource.id": "r"])
    }

    @Test("Across a reconnect nothing repeats: the catch-up read drops what the socket delivered, and vice versa")
    func dedupAcrossReconnect() {
        var poller = EventFeedPoller(filter: EventFilter(), since: Date(timeIntervalSince1970: 1000))
        var taken: [Bool] = []
        for (id, at) in [("a", 1010.0), ("b", 1020), ("a", 1010), ("old", 990)] { taken.append(poller.acceptLive(Self.event(id, at: at))) }
        // a repeat (backfilled) and one before the window (the business of an earlier read) are dropped
        #expect(taken == [true, true, false, false])
        // The socket is cut; the catch-up read after the reconnect returns a, b and the one missed meanwhile.
        let fresh = poller.accept(
            [Self.event("b", at: 1020), Self.event("a", at: 1010), Self.event("c", at: 1030)], readAt: Date(timeIntervalSince1970: 1040))
        #expect(fresh.map(\.id) == ["c"])
        #expect(poller.since == Date(timeIntervalSince1970: 1040 - EventFeedPoller.persistLag))
        let repeated = poller.acceptLive(Self.event("c", at: 1030))
        let new = poller.acceptLive(Self.event("d", at: 1041))
        #expect(!repeated, "the new socket's backfill repeats c")
        #expect(new)
    }

    @Test("A check read's event counts as missed only when Prefect received it after the socket was up")
    func missedEvents() {
        let live = Date(timeIntervalSince1970: 1000)
        let read = Date(timeIntervalSince1970: 1040)
        let events = [
            Self.event("before", at: 999, received: 999.5), Self.event("justAfter", at: 1000.5, received: 1000.5),
            Self.event("after", at: 1010, received: 1010), Self.event("atRead", at: 1039.5, received: 1039.5),
        ]
        #expect(EventFeedPoller.missed(events, liveSince: live, readAt: read) == 1)
        #expect(EventFeedPoller.missed(events, liveSince: nil, readAt: read) == 0)
    }

    @Test("A run's state event ends a follow when its state is final")
    func finalStateEvents() throws {
        var completed = Self.event("s", at: 0)
        completed.event = "prefect.flow-run.Completed"
        #expect(LogFollowRunner.isFinal(completed))
        var custom = Self.event("s", at: 0)
        custom.event = "prefect.flow-run.Done"
        custom.payload = ["validated_state": ["type": "COMPLETED", "name": "Done"]]
        #expect(LogFollowRunner.isFinal(custom))
        var running = Self.event("s", at: 0)
        running.event = "prefect.flow-run.Running"
        #expect(!LogFollowRunner.isFinal(running))
    }

    @Test("With no socket to be had, the event feed says so and polls")
    func refusedSocketPolls() async throws {
        let transport = FakeTransport { request, _ in
            let body =
                #"{"events":[{"id":"e1","occurred":"2026-11-30T16:07:55Z","event":"x","resource":{"prefect.resource.id":"r"}}],"total":1,"next_page":null}"#
            return HTTPResponseData(status: 200, body: Data(body.utf8))
        }
        let client = PrefectClient(configuration: .init(apiURL: URL(string: "http://127.0.0.1:1/api")!, timeout: 5), transport: transport)
        var updates: [String] = []
        for await update in client.eventFeed(EventFilter(), since: Date(timeIntervalSince1970: 1_700_000_000), pollEvery: .milliseconds(20)) {
            switch update {
            case .mode(.polling(let reason)): updates.append("polling: \(reason)")
            case .mode(.live): updates.append("live")
            case .items(let events): updates += events.map(\.id)
            }
            if updates.count >= 2 { break }
        }
        #expect(updates.count == 2)
        #expect(updates.first?.hasPrefix("polling: ws://127.0.0.1:1/api/events/out") == true)
        #expect(updates.last == "e1")
    }
}

@Suite("Following a log by polling, without a server that streams")
struct LogPollingFollowTests {
    /// A client whose socket is refused at once (nothing listens on port 1) and whose HTTP answers come from `transport`.
    static func client(_ transport: FakeTransport) -> PrefectClient {
        PrefectClient(
            configuration: .init(apiURL: URL(string: "http://127.0.0.1:1/api")!, timeout: 5, retry: RetryPolicy(maximumAttempts: 1)),
            transport: transport)
    }

    @Test("Lines are polled fast, each once, and the follow ends once the run's state is final and the lines stop")
    func pollsToTheEnd() async throws {
        let logReads = ReadCounter()
        let transport = FakeTransport { request, _ in
            let path = request.url.path
            if path.hasSuffix("/logs/filter") {
                let body =
                    logReads.next() == 0
                    ? #"[{"id":"l1","level":20,"message":"one","timestamp":"2026-11-30T16:00:00Z","flow_run_id":"r"},{"id":"l2","level":20,"message":"two","timestamp":"2026-11-30T16:00:01Z","flow_run_id":"r"}]"#
                    : "[]"
                return HTTPResponseData(status: 200, body: Data(body.utf8))
            }
            if path.hasSuffix("/events/filter") {
                return HTTPResponseData(status: 200, body: Data(#"{"events":[],"total":0,"next_page":null}"#.utf8))
            }
            return HTTPResponseData(status: 200, body: Data(#"{"id":"r","name":"run","flow_id":"f","state_type":"COMPLETED"}"#.utf8))
        }
        let follower = LogFollower(flowRunID: "r")
        let options = LogFollowOptions(live: false, pollEvery: .milliseconds(10), drainQuiet: .milliseconds(100), stateEvery: .milliseconds(50))
        var modes: [FeedMode] = []
        var lines: [String] = []
        for await update in follower.updates(client: Self.client(transport), options: options) {
            switch update {
            case .mode(let mode): modes.append(mode)
            case .items(let items): lines += items.map(\.message)
            }
        }
        #expect(modes == [.polling(reason: "live streams are off")])
        #expect(lines == ["one", "two"])
    }

    @Test("A command's follow ends with the failure once the log cannot be read for the give-up time")
    func givesUp() async throws {
        let transport = FakeTransport { _, _ in throw TransportError.unreachable("connection refused") }
        let follower = LogFollower(flowRunID: "r")
        let options = LogFollowOptions(live: false, pollEvery: .milliseconds(10), giveUpAfter: .milliseconds(200))
        let started = Date()
        do {
            for try await _ in follower.updatesUntilFailure(client: Self.client(transport), options: options) {}
            Issue.record("the follow should have failed")
        } catch let error as PrefectError {
            guard case .unreachable = error else {
                Issue.record("expected unreachable, got \(error)")
                return
            }
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }
}

/// Counts the calls of a fake server's route.
private final class ReadCounter: Sendable {
    private let value = Mutex(0)

    /// The count before this call.
    func next() -> Int {
        value.withLock { count in
            defer { count += 1 }
            return count
        }
    }
}
