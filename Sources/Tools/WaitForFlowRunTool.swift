import Core
import FoundationEssentials
import JSONValue
import MCP
import Synchronization

extension PrefectTools {
    /// How long `wait_for_flow_run` waits when not told.
    static let defaultWaitSeconds = 300

    /// `wait_for_flow_run`: after someone starts a run, wait for it to finish (or reach a state) and say how it went.
    static func waitForFlowRun(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "wait_for_flow_run",
            title: "Wait for Flow Run",
            description: """
                Waits until a flow run (its id or exact name) reaches a final state (Completed, Failed, Crashed, \
                Cancelled), or the state named in until (a state type such as Running, or a state name such as Late), \
                for at most timeout_seconds (default \(defaultWaitSeconds), at most \(RunWait.maximumSeconds)). Reports \
                progress while it waits when the client asks for it (the run's current state and for how long). \
                Returns the state it ended on (type, name, timestamp, message), whether the awaited state was reached \
                (passing it before the wait or between two reads counts: the run's state history says when) or the \
                wait timed out (the run goes on; call again to keep waiting), how long it waited, the run, and for a \
                Failed or Crashed run why it failed (diagnose_flow_run has the whole diagnosis). Only reads Prefect: \
                the run once a second, more slowly as the wait grows.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false, "required": ["flow_run"],
                "properties": [
                    "flow_run": ["type": "string", "minLength": 1, "description": "The flow run's id, or its exact name."],
                    "until": [
                        "type": "string", "minLength": 1, "default": "final",
                        "description": .string("What to wait for: \(RunWaitTarget.accepted). A run that ends elsewhere ends the wait."),
                    ],
                    "timeout_seconds": [
                        "type": "integer", "minimum": 0, "maximum": .int(RunWait.maximumSeconds), "default": .int(defaultWaitSeconds),
                        "description": "Give up after this many seconds (the run goes on); 0 reads the run once.",
                    ],
                ],
            ],
            outputSchema: [
                "type": "object", "required": ["until", "reached", "timed_out", "state", "waited_seconds", "failure", "message", "run"],
                "properties": [
                    "until": ["type": "string"], "reached": ["type": "boolean"], "timed_out": ["type": "boolean"],
                    "state": [
                        "type": "object", "required": ["type", "name", "timestamp", "message"],
                        "properties": [
                            "type": SchemaFragments.nullableString, "name": SchemaFragments.nullableString,
                            "timestamp": SchemaFragments.nullableString, "message": SchemaFragments.nullableString,
                        ],
                    ],
                    "waited_seconds": ["type": "number"], "failure": SchemaFragments.nullableString, "message": ["type": "string"],
                    "run": SchemaFragments.flowRunRow,
                ],
            ],
            annotations: .readOnly
        ) { values, context in
            let reference = values["flow_run"]?.stringValue ?? ""
            let text = values["until"]?.stringValue ?? "final"
            guard let target = RunWaitTarget(parsing: text) else {
                throw ToolError("until: '\(text.echoed)' is not a state Prefect gives runs; use \(RunWaitTarget.accepted).")
            }
            let timeout = Double(values["timeout_seconds"]?.intValue ?? defaultWaitSeconds)
            let reported = Mutex<Double>(-1)
            return try await environment.query { client, settings in
                do {
                    let report: @Sendable (FlowRun, Double) async -> Void = { run, elapsed in
                        // Progress only grows: two reads in the same instant report once.
                        let grows = reported.withLock { last in
                            guard elapsed > last else { return false }
                            last = elapsed
                            return true
                        }
                        guard grows else { return }
                        context.reportProgress(elapsed, total: timeout, message: progressMessage(run, elapsed: elapsed))
                    }
                    let wait = try await client.waitForFlowRun(
                        idOrName: reference, until: target, timeout: timeout, ui: settings.uiURL, onPoll: report)
                    return ToolResult(
                        try JSONValue(encoding: wait),
                        links: [ResourceLink(uri: "prefect://flow-runs/\(wait.run.id)", name: wait.run.name, mimeType: "application/json")])
                } catch PrefectError.notFound {
                    throw ToolError("flow_run: no flow run has the id or name '\(reference.echoed)'. Find runs with get_flow_runs.")
                } catch let error as AmbiguousRunName {
                    throw ToolError("flow_run: \(error)")
                }
            }
        }
    }

    /// `Running for 12s`: the run's state and how long it has been in it (from the state's timestamp), or how long the
    /// wait has lasted when the state has no timestamp.
    static func progressMessage(_ run: FlowRun, elapsed: Double, now: Date = Date()) -> String {
        let state = run.stateName ?? run.stateType?.rawValue.capitalized ?? "Unknown state"
        guard let since = run.state?.timestamp else { return "\(state) (waited \(RunWait.durationText(elapsed)))" }
        return "\(state) for \(RunWait.durationText(max(now.timeIntervalSince(since), 0)))"
    }
}
