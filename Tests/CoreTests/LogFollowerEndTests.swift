import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Core

@Suite("When following a run's log stops (logs --follow and the dashboard)")
struct LogFollowerEndTests {
    /// No new lines ever; the run is RUNNING until `finishedAfter` state reads, then COMPLETED.
    static func server(finishedAfter reads: Int) -> FakeTransport {
        let stateReads = StateReads()
        return FakeTransport { request, _ in
            if request.url.path.hasSuffix("/logs/filter") { return HTTPResponseData(status: 200, body: Data("[]".utf8)) }
            let state = stateReads.next() >= reads ? "COMPLETED" : "RUNNING"
            return HTTPResponseData(status: 200, body: Data(#"{"id":"r","name":"run","flow_id":"f","state_type":"\#(state)"}"#.utf8))
        }
    }

    @Test("A finished run stops after two quiet polls")
    func finished() async throws {
        let transport = Self.server(finishedAfter: 0)
        let client = PrefectClient.fake(transport)
        var follower = LogFollower(flowRunID: "r", runFinished: true)
        #expect(try await !follower.isDone(after: [], client: client))
        #expect(try await follower.isDone(after: [], client: client))
        #expect(transport.requests.isEmpty)  // nothing asked: the caller knew it had finished
    }

    @Test("A running run's state is read every third quiet poll; once it has finished, two more quiet polls end it")
    func running() async throws {
        let transport = Self.server(finishedAfter: 1)
        let client = PrefectClient.fake(transport)
        var follower = LogFollower(flowRunID: "r")
        var polls = 0
        while try await !follower.isDone(after: [], client: client) {
            polls += 1
            #expect(polls < 20)
            if polls >= 20 { break }
        }
        #expect(transport.requests.count == 2)  // at quiet polls 3 (RUNNING) and 6 (COMPLETED)
        #expect(polls == 7)  // then quiet polls 1 and 2 after finishing
        #expect(follower.runFinished)
    }

    @Test("Lines keep a finished run's log open")
    func linesKeepItOpen() async throws {
        let client = PrefectClient.fake(Self.server(finishedAfter: 0))
        var follower = LogFollower(flowRunID: "r", runFinished: true)
        let line = LogLine(id: "1", timestamp: Date(), level: 20, levelName: "INFO", message: "late flush")
        #expect(try await !follower.isDone(after: [], client: client))
        #expect(try await !follower.isDone(after: [line], client: client))
        #expect(try await !follower.isDone(after: [], client: client))
        #expect(try await follower.isDone(after: [], client: client))
    }
}

private final class StateReads: Sendable {
    private let value = Mutex(0)
    /// The count before this call.
    func next() -> Int {
        value.withLock { count in
            defer { count += 1 }
            return count
        }
    }
}
