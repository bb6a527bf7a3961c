import Foundation
import JSONValue
import TestSupport
import Testing

@testable import Core

/// Prefect's live streams (`/events/out`, `/logs/out`) and their polling fallback, against real servers: the runner
/// server streams log lines, the secured one does not (and wants its auth string); the recovery and proxy tests start
/// what they need. Writes go to those servers only, never to the seeded one.
@Suite("Live streams from Prefect, with fallback", .serialized)
struct StreamIntegrationTests {
    static func runFilter(_ run: String) -> EventFilter {
        EventFilter(anyResource: .init(id: ["prefect.flow-run.\(run)"]))
    }

    @Test("Events arrive live on the runner server, each once, well before a poll could see them")
    func eventsLive() async throws {
        let client = try StreamWrites.client(url: try TestServers.runnerAPIURL())
        defer { Task { await client.shutdown() } }
        let run = try await StreamWrites.flowRun(client)
        let feed = FeedRecorder(client.eventFeed(Self.runFilter(run), since: Date().addingTimeInterval(-60)))
        defer { feed.stop() }
        #expect(await feed.wait(seconds: 10) { $0.modes.first != nil })
        #expect(feed.modes.first == .live)
        try await Task.sleep(for: .milliseconds(300))
        var latencies: [Double] = []
        for (type, name) in [("RUNNING", "Running"), ("COMPLETED", "Completed")] {
            let sent = Date()
            try await StreamWrites.setState(client, run: run, type, name)
            let arrived = await feed.wait(seconds: 4) { $0.items.contains { $0.event == "prefect.flow-run.\(name)" } }
            #expect(arrived, "prefect.flow-run.\(name) arrives live (polling would take 5 s or more)")
            if let index = feed.items.firstIndex(where: { $0.event == "prefect.flow-run.\(name)" }) {
                latencies.append(feed.arrivals[index].timeIntervalSince(sent))
            }
        }
        // The first check read comes at 8 s: it must find nothing missed and keep the feed live.
        try await Task.sleep(for: .seconds(9))
        #expect(feed.modes == [.live])
        let ids = feed.items.map(\.id)
        #expect(Set(ids).count == ids.count, "no event twice")
        print("live event latency (s): \(latencies.map { String(format: "%.3f", $0) })")
    }

    @Test("Events arrive live on the secured server with the auth string; a wrong one is refused as an auth error")
    func securedEvents() async throws {
        let url = try TestServers.securedAPIURL()
        let client = try StreamWrites.client(url: url, authString: try TestServers.securedAuthString())
        defer { Task { await client.shutdown() } }
        // Events, not runs: a test counts the secured server's flow runs.
        let resource = "stream-test.\(UUID().uuidString.lowercased())"
        let ofResource = EventFilter(resource: .init(id: [resource]))
        let feed = FeedRecorder(client.eventFeed(ofResource, since: Date().addingTimeInterval(-60)))
        defer { feed.stop() }
        #expect(await feed.wait(seconds: 10) { $0.modes.first != nil })
        #expect(feed.modes.first == .live)
        let sent = try await StreamWrites.emitEvents(client, resource: resource, ["stream-test.one", "stream-test.two"])
        #expect(await feed.wait(seconds: 4) { $0.items.map(\.id) == sent })

        let wrong = try StreamWrites.client(url: url, authString: "admin:wrong")
        defer { Task { await wrong.shutdown() } }
        let filter = try StreamFilter.events(ofResource, since: Date())
        let socket = PrefectSocket.subscribe(configuration: wrong.configuration, path: .events, filter: filter, handshakeTimeout: .seconds(5))
        do {
            for try await _ in socket {}
            Issue.record("the socket should have been refused")
        } catch let failure as StreamFailure {
            guard case .unauthorized(let text) = failure else {
                Issue.record("expected an auth error, got \(failure)")
                return
            }
            #expect(text.contains("1008"))
        }
        let refused = FeedRecorder(wrong.eventFeed(ofResource, since: Date()))
        defer { refused.stop() }
        #expect(await refused.wait(seconds: 10) { !$0.modes.isEmpty })
        guard case .polling(let reason)? = refused.modes.first else {
            Issue.record("expected polling, got \(refused.modes)")
            return
        }
        #expect(reason.contains("refused the credential"))
    }

    /// Follows `run` from its start through `updates`, writing three batches of lines, then ends the run: by its
    /// state, or, for a run that does not exist (`realRun` false), by its terminal state event alone.
    static func followWhileWriting(_ client: PrefectClient, run: String, realRun: Bool = true) async throws -> (FeedRecorder<LogLine>, [String]) {
        var follower = LogFollower(flowRunID: run)
        #expect(try await follower.start(client: client, newest: 100).isEmpty)
        let feed = FeedRecorder(follower.updates(client: client))
        #expect(await feed.wait(seconds: 15) { !$0.modes.isEmpty })
        if realRun { try await StreamWrites.setState(client, run: run, "RUNNING", "Running") }
        var written: [String] = []
        for batch in 0..<3 {
            written += try await StreamWrites.writeLogs(client, run: run, (0..<20).map { "batch \(batch) line \($0)" })
            try await Task.sleep(for: .milliseconds(400))
        }
        if realRun {
            try await StreamWrites.setState(client, run: run, "COMPLETED", "Completed")
        } else {
            try await StreamWrites.emitEvents(client, resource: "prefect.flow-run.\(run)", ["prefect.flow-run.Completed"])
        }
        #expect(await feed.wait(seconds: 30) { $0.finished }, "the follow ends once the run has completed")
        return (feed, written)
    }

    @Test("Log lines stream live on the log-streaming server: every line once, in order, and the follow ends with the run")
    func logsLive() async throws {
        let client = try StreamWrites.client(url: try TestServers.runnerAPIURL())
        defer { Task { await client.shutdown() } }
        #expect(await client.streamsLogs() == true)
        let run = try await StreamWrites.flowRun(client)
        let (feed, written) = try await Self.followWhileWriting(client, run: run)
        #expect(feed.modes == [.live])
        #expect(feed.items.map(\.message) == written)
    }

    @Test("Without log streaming the log is polled fast, says why, and still gets every line once")
    func logsPolling() async throws {
        let client = try StreamWrites.client(url: try TestServers.securedAPIURL(), authString: try TestServers.securedAuthString())
        defer { Task { await client.shutdown() } }
        #expect(await client.streamsLogs() == false)
        // Lines of a run that does not exist (Prefect takes them): a test counts the secured server's flow runs.
        let (feed, written) = try await Self.followWhileWriting(client, run: UUID().uuidString.lowercased(), realRun: false)
        guard case .polling(let reason)? = feed.modes.first else {
            Issue.record("expected polling, got \(feed.modes)")
            return
        }
        #expect(reason.contains("does not stream logs"))
        #expect(feed.modes.count == 1)
        #expect(feed.items.map(\.message) == written)
    }

    @Test("A deployment run by the real worker: its lines come live and the follow ends when it completes")
    func workerRunLive() async throws {
        let client = try StreamWrites.client(url: try TestServers.runnerAPIURL())
        defer { Task { await client.shutdown() } }
        let deployment = try await client.send(Endpoint<StreamWrites.Created>(.get, "/deployments/name/report/on-demand"))
        let body: JSONValue = ["parameters": ["customer": "stream-test"]]
        let run = try await client.send(
            Endpoint<StreamWrites.Created>(
                .post, "/deployments/{id}/create_flow_run", path: "/deployments/\(deployment.id)/create_flow_run", body: body))
        var follower = LogFollower(flowRunID: run.id)
        _ = try await follower.start(client: client, newest: 100)
        let feed = FeedRecorder(follower.updates(client: client))
        defer { feed.stop() }
        #expect(await feed.wait(seconds: 90) { $0.finished }, "the follow ends once the run has completed")
        #expect(feed.modes == [.live])
        #expect(feed.items.contains { $0.message.contains("customer=stream-test") })
        let ids = feed.items.map(\.id)
        #expect(Set(ids).count == ids.count)
    }

    @Test("A server restarted under a live feed: the feeds fall back, reconnect, and lose or repeat nothing")
    func restartRecovery() async throws {
        let dir = try TemporaryDirectory.make()
        let port = try TestProcesses.freePort()
        let environment = ["PREFECT_MCP_SERVER_PORT": String(port), "PREFECT_MCP_SERVER_LOG_STREAM": "1"]
        try await TestProcesses.prefectServer(["start", dir], environment: environment)
        do {
            try await Self.followAcrossRestart(dir: dir, port: port, environment: environment)
        } catch {
            try? await TestProcesses.prefectServer(["stop", dir])
            throw error
        }
        try await TestProcesses.prefectServer(["stop", dir])
    }

    static func followAcrossRestart(dir: String, port: Int, environment: [String: String]) async throws {
        let client = try StreamWrites.client(url: "http://127.0.0.1:\(port)/api")
        defer { Task { await client.shutdown() } }
        let run = try await StreamWrites.flowRun(client)
        let resource = "stream-test.\(run)"
        let events = FeedRecorder(
            client.eventFeed(EventFilter(resource: .init(id: [resource])), since: Date().addingTimeInterval(-60), pollEvery: .seconds(1)))
        defer { events.stop() }
        var follower = LogFollower(flowRunID: run)
        _ = try await follower.start(client: client, newest: 10)
        let logs = FeedRecorder(follower.updates(client: client))
        defer { logs.stop() }
        #expect(await events.wait(seconds: 10) { !$0.modes.isEmpty })
        #expect(await logs.wait(seconds: 10) { !$0.modes.isEmpty })
        #expect(events.modes.first == .live && logs.modes.first == .live)

        var sentEvents = try await StreamWrites.emitEvents(client, resource: resource, (0..<5).map { "stream-test.before.\($0)" })
        var sentLines = try await StreamWrites.writeLogs(client, run: run, (0..<10).map { "before restart \($0)" })
        #expect(await events.wait(seconds: 5) { $0.items.count == 5 })
        #expect(await logs.wait(seconds: 5) { $0.items.count == 10 })
        // Stored events lag by up to 5 s (the persister): let them reach the database before the server goes.
        try await Task.sleep(for: .seconds(6))

        try await TestProcesses.prefectServer(["stop", dir])
        #expect(await events.wait(seconds: 10) { $0.modes.count >= 2 }, "the event feed notices the cut")
        #expect(await logs.wait(seconds: 10) { $0.modes.count >= 2 }, "the log follow notices the cut")
        try await TestProcesses.prefectServer(["start", dir], environment: environment)

        sentEvents += try await StreamWrites.emitEvents(client, resource: resource, (0..<5).map { "stream-test.after.\($0)" })
        sentLines += try await StreamWrites.writeLogs(client, run: run, (0..<10).map { "after restart \($0)" })
        #expect(await events.wait(seconds: 90) { $0.items.count >= 10 && $0.modes.last == .live })
        #expect(await logs.wait(seconds: 90) { $0.items.count >= 20 && $0.modes.last == .live })
        try await Task.sleep(for: .seconds(2))
        #expect(events.items.map(\.id).sorted() == sentEvents.sorted(), "every event once")
        #expect(logs.items.map(\.message) == sentLines, "every line once, in order")
        #expect(events.modes.first == .live && events.modes.last == .live)
        print("event feed modes: \(events.modes); log follow modes: \(logs.modes)")
    }

    @Test("Behind a proxy that refuses websockets the feeds poll, say why, and still deliver everything")
    func refusingProxy() async throws {
        let upstream = try #require(URL(string: try TestServers.runnerAPIURL()))
        let (proxy, stdin, port) = try TestProcesses.refusingProxy(upstreamPort: try #require(upstream.port))
        defer {
            try? stdin.fileHandleForWriting.close()
            proxy.terminate()
        }
        let client = try StreamWrites.client(url: "http://127.0.0.1:\(port)/api")
        defer { Task { await client.shutdown() } }
        let run = try await StreamWrites.flowRun(client)
        let events = FeedRecorder(client.eventFeed(Self.runFilter(run), since: Date().addingTimeInterval(-60), pollEvery: .seconds(1)))
        defer { events.stop() }
        #expect(await events.wait(seconds: 10) { !$0.modes.isEmpty })
        guard case .polling(let reason)? = events.modes.first else {
            Issue.record("expected polling, got \(events.modes)")
            return
        }
        #expect(reason.contains("refused the websocket upgrade"))
        let (logFeed, written) = try await Self.followWhileWriting(client, run: run)
        guard case .polling(let logReason)? = logFeed.modes.first else {
            Issue.record("expected polling, got \(logFeed.modes)")
            return
        }
        #expect(logReason.contains("refused the websocket upgrade"))
        #expect(logFeed.items.map(\.message) == written)
        #expect(await events.wait(seconds: 15) { $0.items.contains { $0.event == "prefect.flow-run.Completed" } })
        let names = events.items.map(\.event)
        #expect(names.contains("prefect.flow-run.Running"))
        #expect(Set(events.items.map(\.id)).count == events.items.count)
        #expect(!events.modes.contains(.live))
    }

    @Test("Behind a proxy whose websockets stay silent, the check reads notice, fall back and deliver everything once")
    func silentProxy() async throws {
        let upstream = try #require(URL(string: try TestServers.runnerAPIURL()))
        let (proxy, stdin, port) = try TestProcesses.refusingProxy(upstreamPort: try #require(upstream.port), silent: true)
        defer {
            try? stdin.fileHandleForWriting.close()
            proxy.terminate()
        }
        let client = try StreamWrites.client(url: "http://127.0.0.1:\(port)/api")
        defer { Task { await client.shutdown() } }
        let resource = "stream-test.\(UUID().uuidString.lowercased())"
        let options = EventFeedOptions(checkEvery: .seconds(3), firstCheckAfter: .seconds(3))
        let events = FeedRecorder(
            client.eventFeed(
                EventFilter(resource: .init(id: [resource])), since: Date().addingTimeInterval(-60), pollEvery: .seconds(1), options: options))
        defer { events.stop() }
        #expect(await events.wait(seconds: 10) { !$0.modes.isEmpty })
        #expect(events.modes.first == .live, "the silent socket looks live at first")
        try await Task.sleep(for: .milliseconds(1500))
        let sent = try await StreamWrites.emitEvents(client, resource: resource, ["stream-test.one", "stream-test.two"])
        // Stored within 5 s, found by a check read 3 s apart.
        #expect(await events.wait(seconds: 20) { $0.items.count >= 2 })
        let silent = events.modes.contains {
            if case .polling(let reason) = $0 { return reason.contains("silent") }
            return false
        }
        #expect(silent, "the feed says the socket is silent: \(events.modes)")
        #expect(events.items.map(\.id).sorted() == sent.sorted())

        let run = try await StreamWrites.flowRun(client)
        var follower = LogFollower(flowRunID: run)
        _ = try await follower.start(client: client, newest: 10)
        let logs = FeedRecorder(follower.updates(client: client, options: LogFollowOptions(checkEvery: .seconds(1))))
        defer { logs.stop() }
        #expect(await logs.wait(seconds: 10) { !$0.modes.isEmpty })
        try await Task.sleep(for: .milliseconds(1500))
        let written = try await StreamWrites.writeLogs(client, run: run, (0..<10).map { "through a silent proxy \($0)" })
        #expect(await logs.wait(seconds: 10) { $0.items.count >= 10 })
        // Lines read within a second of being written are judged at the next check.
        let silentLogs = await logs.wait(seconds: 10) { recorder in
            recorder.modes.contains {
                if case .polling(let reason) = $0 { return reason.contains("silent") }
                return false
            }
        }
        #expect(silentLogs, "the log follow says the socket is silent: \(logs.modes)")
        #expect(logs.items.map(\.message) == written)
        try await StreamWrites.setState(client, run: run, "COMPLETED", "Completed")
    }
}
