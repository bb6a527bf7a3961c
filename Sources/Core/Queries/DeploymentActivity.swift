package import FoundationEssentials
import JSONValue

/// What one deployment did over a look-back window, and one word for it: `dormant`, `spinning`, `broken` or
/// `productive` (see ``DeploymentActivity/Classification``).
///
/// "In the window" means what it means in `get_dashboard` and `status`: runs whose **expected start time** is in
/// `[now - days, now)`, so runs that never started (Late, cancelled while scheduled, crashed before starting)
/// count too. `last_run` is the newest run that started at all (by start time), whenever that was.
package struct DeploymentActivity: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    /// Evaluated in this order; the first that holds wins.
    package enum Classification: String, Codable, Sendable, CaseIterable {
        /// No run expected to start in the window.
        case dormant
        /// The newest run that started failed or crashed, or the window has failed or crashed runs and no completed one.
        case broken
        /// Runs in the window, none completed, failed or crashed: they stay Late, Pending, Running or get cancelled.
        case spinning
        /// Completed runs in the window, and not broken.
        case productive
    }

    /// Runs expected to start in the window (exact, from Prefect's history endpoint).
    package struct Runs: Codable, Sendable, Equatable, EncodesAbsentAsNull {
        package var total: Int
        package var completed: Int
        package var failed: Int
        package var crashed: Int
        package var cancelled: Int
        /// By state name (`Late`, `Completed`, `AwaitingRetry`, …).
        package var byStateName: [String: Int]

        enum CodingKeys: String, CodingKey {
            case total, completed, failed, crashed, cancelled
            case byStateName = "by_state_name"
        }

        package init(total: Int, completed: Int, failed: Int, crashed: Int, cancelled: Int, byStateName: [String: Int]) {
            self.total = total
            self.completed = completed
            self.failed = failed
            self.crashed = crashed
            self.cancelled = cancelled
            self.byStateName = byStateName
        }

        /// The counts of one history read.
        package init(_ counts: [StateKey: Int]) {
            let byType = counts.byType
            self.init(
                total: counts.values.reduce(0, +), completed: byType[StateType.completed.rawValue] ?? 0,
                failed: byType[StateType.failed.rawValue] ?? 0,
                crashed: byType[StateType.crashed.rawValue] ?? 0, cancelled: byType[StateType.cancelled.rawValue] ?? 0, byStateName: counts.byName)
        }
    }

    /// The newest run that started.
    package struct LastRun: Codable, Sendable, Equatable, EncodesAbsentAsNull {
        package var id: String
        package var name: String
        package var stateType: StateType?
        package var stateName: String?
        package var startTime: Date?
        package var endTime: Date?

        enum CodingKeys: String, CodingKey {
            case id, name
            case stateType = "state_type"
            case stateName = "state_name"
            case startTime = "start_time"
            case endTime = "end_time"
        }
    }

    /// An enabled automation with a `run-deployment` action for this deployment.
    package struct AutomationReference: Codable, Sendable, Equatable {
        package var id: String
        package var name: String
    }

    /// Events of the deployment's own (not `prefect.*` or `prefect-cloud.*`) in the window.
    package struct OutputEvents: Codable, Sendable, Equatable {
        package var count: Int
        /// The newest few, newest first.
        package var latest: [Latest]

        package struct Latest: Codable, Sendable, Equatable, EncodesAbsentAsNull {
            package var event: String
            package var occurred: Date
            package var resourceID: String?

            enum CodingKeys: String, CodingKey {
                case event, occurred
                case resourceID = "resource_id"
            }
        }
    }

    package var id: String
    /// `flow/deployment` (``Deployment/slug(flowName:deploymentName:)``).
    package var slug: String
    package var name: String
    package var flowName: String?
    package var paused: Bool
    package var hasActiveSchedule: Bool
    package var runs: Runs
    package var lastRun: LastRun?
    /// When the newest completed run ended, whenever that was.
    package var lastCompletedTime: Date?
    /// Nil when automations could not be read (see the notes).
    package var runByAutomations: [AutomationReference]?
    /// Nil when events could not be read (see the notes).
    package var outputEvents: OutputEvents?
    package var classification: Classification
    /// One line saying why, with the numbers behind it.
    package var reason: String
    package var uiURL: String

    enum CodingKeys: String, CodingKey {
        case id, slug, name, paused, runs, classification, reason
        case flowName = "flow_name"
        case hasActiveSchedule = "has_active_schedule"
        case lastRun = "last_run"
        case lastCompletedTime = "last_completed_time"
        case runByAutomations = "run_by_automations"
        case outputEvents = "output_events"
        case uiURL = "ui_url"
    }
}

/// One page of ``DeploymentActivity`` rows, with the window they cover and what could not be read.
package struct DeploymentActivityReport: Sendable {
    package var page: Page<DeploymentActivity>
    package var windowStart: Date
    package var windowEnd: Date
    /// One line per part that could not be read (automations, events), with the server's answer.
    package var notes: [String]
}

extension DeploymentActivity {
    /// Event name prefixes of Prefect itself; everything else related to a deployment is its output.
    package static let platformEventPrefixes = ["prefect.", "prefect-cloud."]
    /// How many of the newest output events a row shows.
    package static let latestEventCount = 3
    /// Deployments read at once: each sends 4 requests together, so two fill the client's 8 connections.
    static let deploymentsAtOnce = 2

    /// The classification and its reason, by the rules of ``Classification``, in their order.
    package static func classify(
        runs: Runs, lastRun: LastRun?, lastCompletedTime: Date?, paused: Bool, hasActiveSchedule: Bool,
        automations: [AutomationReference]?, outputEvents: OutputEvents?, days: Int
    ) -> (Classification, String) {
        let window = days == 1 ? "the last day" : "the last \(days) days"
        let failures = runs.failed + runs.crashed
        let total = runs.total == 1 ? "1 run" : "\(runs.total) runs"
        if runs.total == 0 {
            var why: [String] = []
            if paused {
                why.append("paused")
            } else if hasActiveSchedule {
                why.append("has an active schedule yet no runs")
            } else if automations?.isEmpty ?? true {
                why.append("no active schedule\(automations == nil ? "" : " and no automation runs it")")
            } else {
                why.append("no active schedule; only automations run it")
            }
            why.append(lastCompletedTime.map { "last completed run ended \(PrefectDate.format($0))" } ?? "no completed run ever")
            return (.dormant, "No runs in \(window): " + why.joined(separator: "; ") + ".")
        }
        let share = "\(failures) of \(total) in \(window) failed or crashed, \(runs.completed) completed"
        if let lastRun, let type = lastRun.stateType, type == .failed || type == .crashed {
            return (.broken, "The newest run that started (\(lastRun.name)) is \(lastRun.stateName ?? type.rawValue); \(share).")
        }
        if failures > 0, runs.completed == 0 {
            return (.broken, share + ".")
        }
        if runs.completed == 0 {
            let states = runs.byStateName.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.value) \($0.key)" }
            return (.spinning, "\(total) in \(window), none completed or failed: \(states.joined(separator: ", ")).")
        }
        var reason = "\(runs.completed) of \(total) in \(window) completed"
        if failures > 0 { reason += ", \(failures) failed or crashed" }
        if let outputEvents {
            reason += outputEvents.count > 0 ? "; \(outputEvents.count) output events" : "; no output events of its own"
        }
        return (.productive, reason + ".")
    }
}

extension PrefectClient {
    /// A page of deployments by name with what each did over the last `days` days before `now`.
    ///
    /// Requests: one for the page of deployments (two when `limit` is 200), one for flow names not read before, one
    /// per 200 automations, then four per deployment (run counts from `/flow_runs/history`, the newest started run,
    /// the newest completed run, the output events), two deployments at a time. Automations and events that cannot
    /// be read leave their field null and add a note; anything else fails the call.
    package func deploymentActivity(filter: DeploymentFilter?, limit: Int, offset: Int, days: Int, now: Date, ui: URL) async throws
        -> DeploymentActivityReport
    {
        let start = now.addingTimeInterval(-Double(days) * 86_400)
        let notes = NoteList()
        async let automationTargets = try notes.attempt("run_by_automations") { try await self.runDeploymentAutomations() }
        let page = try await self.page(limit: limit, offset: offset) { size, offset in
            try await self.send(PrefectAPI.deployments(DeploymentsQuery(deployments: filter, sort: .nameAscending, limit: size, offset: offset)))
        }
        let names = try await flowNames(ids: page.items.map(\.flowID))
        let targets = try await automationTargets
        let rows = try await page.items.concurrentMap(width: DeploymentActivity.deploymentsAtOnce) { deployment in
            try await self.activity(
                of: deployment, flowName: names[deployment.flowID], automations: targets.map { $0[deployment.id] ?? [] },
                start: start, now: now, days: days, ui: ui, notes: notes)
        }
        return DeploymentActivityReport(
            page: Page(items: rows, truncated: page.truncated, nextOffset: page.nextOffset), windowStart: start, windowEnd: now,
            notes: await notes.lines)
    }

    /// Enabled automations with a `run-deployment` action for a selected deployment, by deployment id. Every
    /// automation is read (one request per 200).
    package func runDeploymentAutomations() async throws -> [String: [DeploymentActivity.AutomationReference]] {
        let automations = try await allPages { offset in
            try await self.send(PrefectAPI.automations(AutomationsQuery(sort: .nameAscending, limit: PageLimit.maximum, offset: offset)))
        }
        var targets: [String: [DeploymentActivity.AutomationReference]] = [:]
        for automation in automations where automation.enabled ?? true {
            let actions = (automation.actions ?? []) + (automation.actionsOnTrigger ?? []) + (automation.actionsOnResolve ?? [])
            let deployments = Set(
                actions.compactMap { action in
                    action["type"]?.stringValue == "run-deployment" ? action["deployment_id"]?.stringValue?.lowercased() : nil
                })
            for id in deployments { targets[id, default: []].append(.init(id: automation.id, name: automation.name)) }
        }
        return targets
    }

    private func activity(
        of deployment: Deployment, flowName: String?, automations: [DeploymentActivity.AutomationReference]?, start: Date, now: Date, days: Int,
        ui: URL, notes: NoteList
    ) async throws -> DeploymentActivity {
        let ofDeployment = NullableAnyOf<String>(any: [deployment.id])
        async let history = send(
            PrefectAPI.flowRunHistory(
                FlowRunsHistory(
                    historyStart: start, historyEnd: now, historyIntervalSeconds: now.timeIntervalSince(start),
                    flowRuns: FlowRunFilter(deploymentID: ofDeployment))))
        async let started = send(
            PrefectAPI.flowRuns(
                FlowRunsQuery(
                    flowRuns: FlowRunFilter(deploymentID: ofDeployment, startTime: NullableTimeRange(isNull: false)), sort: .startTimeDescending,
                    limit: 1)))
        async let completed = send(
            PrefectAPI.flowRuns(
                FlowRunsQuery(
                    flowRuns: FlowRunFilter(
                        deploymentID: ofDeployment, state: FlowRunStateFilter(type: AnyNotAny(any: [.completed])),
                        endTime: NullableTimeRange(isNull: false)),
                    sort: .endTimeDescending, limit: 1)))
        async let events = try notes.attempt("output_events") { try await self.outputEvents(of: deployment.id, start: start, now: now) }

        let runs = DeploymentActivity.Runs(try await history.stateCounts)
        let lastRun = try await started.first.map {
            DeploymentActivity.LastRun(
                id: $0.id, name: $0.name, stateType: $0.stateType, stateName: $0.stateName, startTime: $0.startTime, endTime: $0.endTime)
        }
        let lastCompletedTime = try await completed.first?.endTime
        let outputEvents = try await events
        let hasActiveSchedule = deployment.schedules?.contains { $0.active ?? false } ?? false
        let paused = deployment.paused ?? false
        let (classification, reason) = DeploymentActivity.classify(
            runs: runs, lastRun: lastRun, lastCompletedTime: lastCompletedTime, paused: paused, hasActiveSchedule: hasActiveSchedule,
            automations: automations, outputEvents: outputEvents, days: days)
        return DeploymentActivity(
            id: deployment.id, slug: Deployment.slug(flowName: flowName, deploymentName: deployment.name), name: deployment.name,
            flowName: flowName, paused: paused, hasActiveSchedule: hasActiveSchedule, runs: runs, lastRun: lastRun,
            lastCompletedTime: lastCompletedTime, runByAutomations: automations, outputEvents: outputEvents, classification: classification,
            reason: reason, uiURL: UILinks.deployment(deployment.id, ui: ui))
    }

    /// The deployment's own events in `[start, now]`: not Prefect's, with the deployment as their resource or a
    /// related one. The events shown are checked against the filter, since a server that ignored part of it would
    /// otherwise count every event.
    package func outputEvents(of deploymentID: String, start: Date, now: Date) async throws -> DeploymentActivity.OutputEvents {
        let resource = "prefect.deployment.\(deploymentID)"
        let filter = EventFilter(
            occurred: EventFilter.Occurred(since: start, until: now),
            event: EventFilter.EventNames(excludePrefix: DeploymentActivity.platformEventPrefixes),
            anyResource: EventFilter.Resource(id: [resource]), order: .descending)
        let page = try await send(PrefectAPI.events(EventsQuery(filter: filter, limit: DeploymentActivity.latestEventCount)))
        for event in page.events {
            let own = !DeploymentActivity.platformEventPrefixes.contains { event.event.hasPrefix($0) }
            let related = event.resourceID == resource || (event.related ?? []).contains { $0["prefect.resource.id"] == resource }
            guard own, related else {
                throw OutputEventsFilterIgnored(event: event.event)
            }
        }
        return DeploymentActivity.OutputEvents(
            count: page.total,
            latest: page.events.prefix(DeploymentActivity.latestEventCount).map {
                .init(event: $0.event, occurred: $0.occurred, resourceID: $0.resourceID)
            }
        )
    }
}

/// The events API answered with an event its filter excludes: it ignored part of the filter, so its total is not
/// this deployment's.
struct OutputEventsFilterIgnored: Error, CustomStringConvertible {
    var event: String
    var description: String {
        "the events API ignored the filter (it returned \(event.echoed), which is Prefect's own or not related to the deployment)"
    }
}

/// Notes of the parts that could not be read, one per part (the first failure's message).
private actor NoteList {
    private var byPart: [(part: String, line: String)] = []

    var lines: [String] { byPart.map(\.line) }

    /// The value, or nil with a note when `body` throws anything but a cancellation.
    nonisolated func attempt<T: Sendable>(_ part: String, _ body: @Sendable () async throws -> T) async throws -> T? {
        do {
            return try await body()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            await note(part, "\(part) unavailable: \(error)")
            return nil
        }
    }

    private func note(_ part: String, _ line: String) {
        if !byPart.contains(where: { $0.part == part }) { byPart.append((part, line)) }
    }
}
