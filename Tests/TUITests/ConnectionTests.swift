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
        _ = state.reduce(.refreshStarted(at: now.addingTimeInterval(2)))
        #expect(Renderer.connectionText(state, now: now.addingTimeInterval(4)).0 == "● live · 4s ago")
        #expect(
            Renderer.connectionText(state, now: now.addingTimeInterval(2 + DashboardState.overdueAfter + 1)).0
                == "◌ waiting for Prefect… · data 6s old")
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 3)), at: now.addingTimeInterval(9)))
        #expect(state.refreshStarted == nil)
        #expect(Renderer.connectionText(state, now: now.addingTimeInterval(10)).0 == "● live · 1s ago")
    }

    @Test("A failed refresh ends the wait too")
    func failedEndsWait() {
        var state = DashboardState()
        _ = state.reduce(.refreshStarted(at: now))
        _ = state.reduce(.refreshFailed(reason: "no answer within 60 s", unauthorized: false, at: now.addingTimeInterval(60)))
        #expect(state.refreshStarted == nil)
    }
}
