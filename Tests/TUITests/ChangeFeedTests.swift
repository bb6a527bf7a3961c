import Core
import Foundation
import Testing

@testable import TUI

@Suite("Change feed: events refresh what they touch, soon and coalesced; nothing else asks Prefect but the backstop")
struct ChangeFeedTests {
    static let now = Samples.now

    /// A dashboard on the overview whose last refresh ended at `now` − 10 s, watching since `now` − 100 s.
    static func watching(mode: FeedMode = .live) -> DashboardState {
        var state = DashboardState()
        state.watchingSince = now.addingTimeInterval(-100)
        _ = state.reduce(.feed(.mode(mode), at: now.addingTimeInterval(-100)))
        let due = state.refreshDue(now: now.addingTimeInterval(-11), interval: 60)
        #expect(due != nil)
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 5)), at: now.addingTimeInterval(-10)))
        return state
    }

    /// Types `/`, clears what the prompt holds, types `text` and applies it.
    static func filter(_ state: inout DashboardState, _ text: String) {
        _ = state.reduce(.key(.character("/")))
        for _ in 0..<(state.prompt?.text.count ?? 0) { _ = state.reduce(.key(.backspace)) }
        for character in text { _ = state.reduce(.key(.character(character))) }
        _ = state.reduce(.key(.enter))
    }

    @Test("Idle with a feed: no refresh until the backstop interval, whatever the old polling interval was")
    func idleWaitsForBackstop() {
        var state = Self.watching()
        #expect(state.refreshDue(now: Self.now, interval: 60) == nil)
        #expect(state.refreshDue(now: Self.now.addingTimeInterval(48), interval: 60) == nil)
        #expect(state.refreshDue(now: Self.now.addingTimeInterval(49.5), interval: 60) != nil)
    }

    @Test("A state event refreshes the overview 250 ms later, once for a burst, and patches the row at once")
    func eventBringsRefreshForward() {
        var state = Self.watching()
        let run = state.overview!.recentRuns[2]
        _ = state.reduce(.feed(.items([Samples.stateEvent(run, type: "FAILED", name: "Failed", secondsAgo: 0)]), at: Self.now))
        #expect(state.overview?.recentRuns[2].stateName == "Failed")
        #expect(state.overview?.recentRuns[2].stateType == "FAILED")
        #expect(state.changedAt == Self.now)
        // More events of the same burst do not move the refresh later.
        _ = state.reduce(.feed(.items([Samples.stateEvent(run, type: "FAILED", name: "Failed", secondsAgo: -0.1)]), at: Self.now + 0.1))
        #expect(state.refreshDue(now: Self.now.addingTimeInterval(0.2), interval: 60) == nil)
        let due = state.refreshDue(now: Self.now.addingTimeInterval(0.25), interval: 60)
        #expect(due?.query == .overview(state.window.window) && due?.full == false)
        #expect(state.changedAt == nil)
    }

    @Test("Runs' state events alone ask for a refresh that keeps the pools; a pool's event, a key or the backstop do not")
    func refreshScope() {
        var state = Self.watching()
        let run = state.overview!.recentRuns[1]
        _ = state.reduce(.feed(.items([Samples.stateEvent(run, type: "RUNNING", name: "Running", secondsAgo: 0)]), at: Self.now))
        #expect(state.refreshDue(now: Self.now.addingTimeInterval(0.25), interval: 60)?.onlyRuns == true)
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 5)), at: Self.now.addingTimeInterval(0.3)))

        // A run's event and a pool's in the same burst: the pools are read.
        let pool = Samples.event("prefect.work-pool.not-ready", "work-pool.p-2", resourceName: "gpu-pool", secondsAgo: -2)
        _ = state.reduce(.feed(.items([Samples.stateEvent(run, type: "COMPLETED", name: "Completed", secondsAgo: -2), pool]), at: Self.now + 2))
        let mixed = state.refreshDue(now: Self.now.addingTimeInterval(2.5), interval: 60)
        #expect(mixed != nil && mixed?.onlyRuns == false)
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 5)), at: Self.now.addingTimeInterval(2.6)))
        #expect(state.changedKinds.isEmpty, "the kinds start over with each refresh")

        // The backstop reads everything, even with a run's event pending.
        _ = state.reduce(.feed(.items([Samples.stateEvent(run, type: "FAILED", name: "Failed", secondsAgo: -62.4)]), at: Self.now + 62.4))
        #expect(state.refreshDue(now: Self.now.addingTimeInterval(62.5), interval: 60)?.onlyRuns == false)
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 5)), at: Self.now.addingTimeInterval(62.6)))

        // A key asks for a full refresh, whatever events came.
        _ = state.reduce(.feed(.items([Samples.stateEvent(run, type: "CRASHED", name: "Crashed", secondsAgo: -70)]), at: Self.now + 70))
        _ = state.reduce(.key(.character("r")))
        let keyed = state.refreshDue(now: Self.now.addingTimeInterval(70.1), interval: 60)
        #expect(keyed?.full == true && keyed?.onlyRuns == false)
    }

    @Test("Runs that moved (read while events are polled) refresh the overview and the runs list as a run's event does")
    func runsMoved() {
        var state = Self.watching(mode: .polling(reason: "refused"))
        _ = state.reduce(.runsMoved(at: Self.now))
        #expect(state.changedAt == Self.now)
        let due = state.refreshDue(now: Self.now.addingTimeInterval(0.25), interval: 60)
        #expect(due?.onlyRuns == true && due?.full == false)
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 5)), at: Self.now.addingTimeInterval(0.3)))

        _ = state.reduce(.key(.character("3")))  // Deployments: it shows no run states
        _ = state.refreshDue(now: Self.now.addingTimeInterval(1), interval: 60)
        _ = state.reduce(.loaded(.deployments([], more: false), at: Self.now.addingTimeInterval(1.1)))
        _ = state.reduce(.runsMoved(at: Self.now.addingTimeInterval(5)))
        #expect(state.changedAt == nil && state.refreshDue(now: Self.now.addingTimeInterval(6), interval: 60) == nil)
    }

    @Test("A state told while a refresh was under way survives that refresh's older answer")
    func patchOutlivesStaleAnswer() {
        var state = Self.watching()
        let run = state.overview!.recentRuns[2]
        _ = state.reduce(.feed(.items([Samples.stateEvent(run, type: "RUNNING", name: "Running", secondsAgo: 0)]), at: Self.now))
        #expect(state.refreshDue(now: Self.now.addingTimeInterval(0.25), interval: 60) != nil)
        // While that refresh reads, the run fails; then the refresh answers with what it read before (Completed).
        _ = state.reduce(.feed(.items([Samples.stateEvent(run, type: "FAILED", name: "Failed", secondsAgo: -0.3)]), at: Self.now + 0.3))
        #expect(Samples.overview(runs: 5).recentRuns[2].stateName == "Completed")
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 5)), at: Self.now.addingTimeInterval(0.4)))
        #expect(state.overview?.recentRuns[2].stateName == "Failed")
        // The next answer is taken as it comes.
        _ = state.refreshDue(now: Self.now.addingTimeInterval(1.5), interval: 60)
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 5)), at: Self.now.addingTimeInterval(1.6)))
        #expect(state.overview?.recentRuns[2].stateName == "Completed")
    }

    @Test("Under a stream of events, at most one refresh a second and never two at once")
    func busyServerIsBounded() {
        var state = Self.watching()
        let run = state.overview!.recentRuns[0]
        var started: [Double] = []
        for tick in 0..<40 {
            let time = Self.now.addingTimeInterval(Double(tick) * 0.1)
            _ = state.reduce(.feed(.items([Samples.stateEvent(run, type: "RUNNING", name: "Running", secondsAgo: -Double(tick) * 0.1)]), at: time))
            if state.refreshDue(now: time, interval: 60) != nil {
                started.append(Double(tick) * 0.1)
                _ = state.reduce(.loaded(.overview(Samples.overview(runs: 5)), at: time.addingTimeInterval(0.05)))
            }
        }
        #expect(started.count >= 3 && started.count <= 4)
        for (earlier, later) in zip(started, started.dropFirst()) { #expect(later - earlier >= 0.99) }
    }

    @Test("Backfilled events and events the view does not show fill the Events view without a refresh")
    func irrelevantEventsWait() {
        var state = Self.watching()
        let old = Samples.stateEvent(Samples.run(3), type: "COMPLETED", name: "Completed", secondsAgo: 500)
        let custom = Samples.event("acme.invoice.sent", "acme.invoice.1", resourceName: nil, secondsAgo: 1)
        _ = state.reduce(.feed(.items([old, custom]), at: Self.now))
        #expect(state.changedAt == nil)
        #expect(state.events.map(\.id) == [custom.id, old.id])
        // On the Runs view a deployment's status is not shown; a run's state is.
        _ = state.reduce(.key(.character("2")))
        _ = state.reduce(.loaded(.runs(state.runSearch, [Samples.run(1)]), at: Self.now))
        _ = state.reduce(
            .feed(.items([Samples.event("prefect.deployment.ready", "deployment.d-1", resourceName: "prod", secondsAgo: 0)]), at: Self.now))
        #expect(state.changedAt == nil)
        _ = state.reduce(.feed(.items([Samples.stateEvent(Samples.run(1), type: "RUNNING", name: "Running", secondsAgo: 0)]), at: Self.now))
        #expect(state.changedAt == Self.now)
        #expect(state.runs?.rows.first?.stateName == "Running")
    }

    @Test("Without a feed the dashboard polls at its interval, as before")
    func noFeedPolls() {
        var state = DashboardState()
        #expect(state.refreshDue(now: Self.now, interval: 2) != nil)
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 1)), at: Self.now))
        #expect(state.refreshDue(now: Self.now.addingTimeInterval(1.9), interval: 2) == nil)
        #expect(state.refreshDue(now: Self.now.addingTimeInterval(2), interval: 2) != nil)
    }

    @Test("The header says live when events are pushed and polling when they are read")
    func header() {
        var state = Self.watching(mode: .live)
        #expect(Renderer.connectionText(state, now: Self.now).0 == "● live")
        _ = state.reduce(.feed(.mode(.polling(reason: "the websocket upgrade was refused")), at: Self.now))
        #expect(Renderer.connectionText(state, now: Self.now).0 == "● polling · 10s ago")
    }

    @Test("Events view: newest first, / filters by name, resource or related names, Enter opens what it is about")
    func eventsView() {
        var state = Self.watching()
        _ = state.reduce(.feed(.items(Samples.events), at: Self.now))
        _ = state.reduce(.key(.character("6")))
        #expect(state.view == .events)
        #expect(state.shownEvents.map(\.event).first == "prefect.flow-run.Failed")
        Self.filter(&state, "prefect.flow-run.")
        #expect(state.shownEvents.count == 2)
        _ = state.reduce(.key(.enter))
        #expect(state.view == .runDetail)
        #expect(state.detailRun?.id == Samples.run(2).id && state.detailRun?.stateName == "Failed")
        #expect(state.query == .runDetail(id: Samples.run(2).id))
        _ = state.reduce(.key(.escape))
        Self.filter(&state, "gpu")
        _ = state.reduce(.key(.enter))
        #expect(state.view == .workPoolDetail && state.detailWorkPoolName == "gpu-pool")
        _ = state.reduce(.key(.escape))
        Self.filter(&state, "ProcessWorker")
        _ = state.reduce(.key(.enter))
        #expect(state.view == .workPoolDetail && state.detailWorkPoolName == "prod-pool")
        _ = state.reduce(.key(.escape))
        Self.filter(&state, "deployment.ready")
        _ = state.reduce(.key(.enter))
        #expect(state.view == .deploymentDetail && state.detailDeploymentID == "d-1")
    }

    @Test("The log view says whether its lines are streamed or polled, for the run shown only")
    func logSource() {
        var state = Self.watching()
        state.size = (120, 40)
        _ = state.reduce(.key(.character("l")))
        let id = state.logRun?.id ?? ""
        _ = state.reduce(.log(.started(runID: id, lines: [], olderRemain: false)))
        _ = state.reduce(.log(.source(runID: "another run", .live)))
        #expect(!Renderer.render(state, now: Self.now).lines()[2].contains("streamed"))
        _ = state.reduce(.log(.source(runID: id, .polling(reason: "the server does not stream logs"))))
        #expect(Renderer.render(state, now: Self.now).lines()[2].contains("· polled"))
        _ = state.reduce(.log(.source(runID: id, .live)))
        #expect(Renderer.render(state, now: Self.now).lines()[2].contains("· streamed"))
    }

    @Test("A live stream that is cut brings a refresh forward: Prefect may have gone away")
    func cutStreamLooks() {
        var state = Self.watching(mode: .live)
        _ = state.reduce(.feed(.mode(.polling(reason: "closed without a close frame")), at: Self.now))
        #expect(state.refreshDue(now: Self.now.addingTimeInterval(0.3), interval: 60) != nil)
        var polling = Self.watching(mode: .polling(reason: "refused"))
        _ = polling.reduce(.feed(.mode(.polling(reason: "cannot connect")), at: Self.now))
        #expect(polling.refreshDue(now: Self.now.addingTimeInterval(0.3), interval: 60) == nil)
    }
}
