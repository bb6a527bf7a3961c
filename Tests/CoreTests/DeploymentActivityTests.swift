import Foundation
import Testing

@testable import Core

/// The rules of ``DeploymentActivity/Classification``, one case each, in the order they are tried.
@Suite("Deployment activity classification")
struct DeploymentActivityTests {
    typealias Runs = DeploymentActivity.Runs

    static func runs(_ byName: [String: Int], types: [String: StateType] = [:]) -> Runs {
        let known: [String: StateType] = [
            "Completed": .completed, "Failed": .failed, "Crashed": .crashed, "Cancelled": .cancelled, "Late": .scheduled, "Pending": .pending,
            "Running": .running,
        ]
        return Runs(Dictionary(uniqueKeysWithValues: byName.map { (StateKey(type: types[$0.key] ?? known[$0.key]!, name: $0.key), $0.value) }))
    }

    static func lastRun(_ type: StateType, _ name: String) -> DeploymentActivity.LastRun {
        .init(id: "r", name: "brave-owl", stateType: type, stateName: name, startTime: nil, endTime: nil)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var runs: Runs
        var lastRun: DeploymentActivity.LastRun? = nil
        var paused = false
        var schedule = false
        var automations: [DeploymentActivity.AutomationReference]? = []
        var events: DeploymentActivity.OutputEvents? = nil
        var expected: DeploymentActivity.Classification
        var reason: String
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "no runs, paused", runs: runs([:]), paused: true, schedule: true, expected: .dormant,
            reason: "No runs in the last 30 days: paused; no completed run ever."),
        Case(
            label: "no runs, scheduled", runs: runs([:]), schedule: true, expected: .dormant,
            reason: "No runs in the last 30 days: has an active schedule yet no runs; no completed run ever."),
        Case(
            label: "no runs, nothing starts it", runs: runs([:]), expected: .dormant,
            reason: "No runs in the last 30 days: no active schedule and no automation runs it; no completed run ever."),
        Case(
            label: "no runs, automations unknown", runs: runs([:]), automations: nil, expected: .dormant,
            reason: "No runs in the last 30 days: no active schedule; no completed run ever."),
        Case(
            label: "newest started run crashed, though most completed", runs: runs(["Completed": 9, "Crashed": 1]),
            lastRun: lastRun(.crashed, "Crashed"), expected: .broken,
            reason: "The newest run that started (brave-owl) is Crashed; 1 of 10 runs in the last 30 days failed or crashed, 9 completed."),
        Case(
            label: "failures and no completion, newest still running", runs: runs(["Failed": 2, "Running": 1]), lastRun: lastRun(.running, "Running"),
            expected: .broken, reason: "2 of 3 runs in the last 30 days failed or crashed, 0 completed."),
        Case(
            label: "runs that never finish", runs: runs(["Late": 3, "Cancelled": 1]), expected: .spinning,
            reason: "4 runs in the last 30 days, none completed or failed: 3 Late, 1 Cancelled."),
        Case(
            label: "completions with an older failure", runs: runs(["Completed": 4, "Failed": 1]), lastRun: lastRun(.completed, "Completed"),
            events: .init(count: 12, latest: []), expected: .productive,
            reason: "4 of 5 runs in the last 30 days completed, 1 failed or crashed; 12 output events."),
        Case(
            label: "completions, no events of its own", runs: runs(["Completed": 1]), events: .init(count: 0, latest: []), expected: .productive,
            reason: "1 of 1 run in the last 30 days completed; no output events of its own."),
    ]

    @Test("Each rule", arguments: cases)
    func rule(_ c: Case) {
        let (classification, reason) = DeploymentActivity.classify(
            runs: c.runs, lastRun: c.lastRun, lastCompletedTime: nil, paused: c.paused, hasActiveSchedule: c.schedule, automations: c.automations,
            outputEvents: c.events, days: 30)
        #expect(classification == c.expected)
        #expect(reason == c.reason)
    }

    @Test("Counts by type add up a custom state name to its type")
    func counts() {
        let runs = Self.runs(["Completed": 2, "Cached": 3, "AwaitingRetry": 1], types: ["Cached": .completed, "AwaitingRetry": .scheduled])
        #expect(runs.total == 6 && runs.completed == 5 && runs.failed == 0)
        #expect(runs.byStateName == ["Completed": 2, "Cached": 3, "AwaitingRetry": 1])
    }

    @Test("A width-limited concurrent map keeps order and never runs more than its width at once")
    func width() async throws {
        let gauge = Gauge()
        let results = try await Array(0..<20).concurrentMap(width: 3) { value in
            await gauge.enter()
            try await Task.sleep(for: .milliseconds(2))
            await gauge.leave()
            return value * 2
        }
        #expect(results == Array(0..<20).map { $0 * 2 })
        #expect(await gauge.peak == 3)
    }
}

private actor Gauge {
    var now = 0
    var peak = 0
    func enter() {
        now += 1
        peak = max(peak, now)
    }
    func leave() { now -= 1 }
}
