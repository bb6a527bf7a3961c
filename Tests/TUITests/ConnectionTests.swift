import Core
import Foundation
import Testing

@testable import TUI

@Suite("Connection state: backoff while disconnected, slow retries when unauthorized, recovery")
struct ConnectionTests {
    let now = Date(timeIntervalSince1970: 1_000_000)

    @Test("Failures back off 1, 2, 4, 8, 16, 30, 30 s; a success resets; 401 retries every 30 s")
    func backoff() {
        var state = Connection.connected(since: now)
        var delays: [TimeInterval] = []
        for _ in 0..<7 {
            state = state.failed(reason: "connection refused", unauthorized: false, now: now)
            delays.append(state.nextRefresh(after: now, interval: 2).timeIntervalSince(now))
        }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30])
        #expect(!state.isLive)
        state = .connected(since: now)
        #expect(state.nextRefresh(after: now, interval: 2) == now.addingTimeInterval(2))
        #expect(
            state.failed(reason: "x", unauthorized: false, now: now) == .disconnected(reason: "x", attempt: 1, retryAt: now.addingTimeInterval(1)))
        let denied = state.failed(reason: "401 from basic auth (env PREFECT_API_AUTH_STRING)", unauthorized: true, now: now)
        #expect(denied == .unauthorized(message: "401 from basic auth (env PREFECT_API_AUTH_STRING)", retryAt: now.addingTimeInterval(30)))
    }
}

@Suite("The header tells a frozen server from a live one")
struct OverdueRefreshTests {
    let now = Date(timeIntervalSince1970: 1_000_000)

    @Test("A refresh unanswered for more than a few seconds shows 'waiting for Prefect…', an answer shows live again")
    func overdue() {
        var state = DashboardState()
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 3)), at: now))
        let due1 = state.refreshDue(now: now.addingTimeInterval(2), interval: 2)
        #expect(due1 != nil)
        #expect(Renderer.connectionText(state, now: now.addingTimeInterval(4)).0 == "● polling · 4s ago")
        #expect(
            Renderer.connectionText(state, now: now.addingTimeInterval(2 + DashboardState.overdueAfter + 1)).0
                == "◌ waiting for Prefect… · data 6s old")
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 3)), at: now.addingTimeInterval(9)))
        #expect(state.refreshStarted == nil)
        #expect(Renderer.connectionText(state, now: now.addingTimeInterval(10)).0 == "● polling · 1s ago")
    }

    @Test("A failed refresh ends the wait too")
    func failedEndsWait() {
        var state = DashboardState()
        let due2 = state.refreshDue(now: now, interval: 2)
        #expect(due2 != nil)
        _ = state.reduce(.refreshFailed(reason: "no answer within 60 s", unauthorized: false, at: now.addingTimeInterval(60)))
        #expect(state.refreshStarted == nil)
    }
}

@Suite("When the dashboard asks Prefect")
struct RefreshScheduleTests {
    let now = Date(timeIntervalSince1970: 1_000_000)

    @Test("At once and in full at start; then every interval after an answer, kept light; never two at once")
    func polling() throws {
        var state = DashboardState()
        let firstDue = state.refreshDue(now: now, interval: 2)
        let first = try #require(firstDue)
        #expect(first.full && first.query == .overview(TimeWindow.day))
        let due3 = state.refreshDue(now: now.addingTimeInterval(10), interval: 2)
        #expect(due3 == nil)  // the first is under way
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 3)), at: now.addingTimeInterval(0.5)))
        let due4 = state.refreshDue(now: now.addingTimeInterval(1.9), interval: 2)
        #expect(due4 == nil)
        let secondDue = state.refreshDue(now: now.addingTimeInterval(2), interval: 2)
        let second = try #require(secondDue)
        #expect(!second.full)
    }

    @Test("A key that changes the view asks at once, in full, even mid-interval")
    func keys() throws {
        var state = DashboardState()
        _ = state.refreshDue(now: now, interval: 60)
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 3)), at: now))
        let due5 = state.refreshDue(now: now.addingTimeInterval(1), interval: 60)
        #expect(due5 == nil)
        #expect(state.reduce(.key(.character("2"))).contains(.refresh))
        let runsDue = state.refreshDue(now: now.addingTimeInterval(1), interval: 60)
        let runs = try #require(runsDue)
        #expect(runs.full)
        if case .runs = runs.query {} else { Issue.record("expected the Runs view's query, got \(runs.query)") }
    }

    @Test("While disconnected, the next ask waits for the backoff, not the interval")
    func backoff() {
        var state = DashboardState()
        _ = state.refreshDue(now: now, interval: 2)
        _ = state.reduce(.refreshFailed(reason: "connection refused", unauthorized: false, at: now))
        _ = state.refreshDue(now: now.addingTimeInterval(1), interval: 2)
        _ = state.reduce(.refreshFailed(reason: "connection refused", unauthorized: false, at: now.addingTimeInterval(1)))
        let due6 = state.refreshDue(now: now.addingTimeInterval(2.5), interval: 2)
        #expect(due6 == nil)  // second failure: retry 2 s later
        let due7 = state.refreshDue(now: now.addingTimeInterval(3), interval: 2)
        #expect(due7 != nil)
    }
}
