package import FoundationEssentials
package import JSONValue
package import Logging

/// Proof that the user turned writes on (`--allow-writes`, or `PREFECT_MCP_ALLOW_WRITES=true`). Only the command line
/// makes one, so nothing an MCP client sends can: a face without it has no ``PrefectActions`` to call.
package struct WritePermission: Sendable {
    /// - Parameter source: what turned writes on, for the log (`--allow-writes`).
    package init(source: String) {
        self.source = source
    }

    package var source: String
}

/// A request a write sends, as a dry run shows it: what would be sent, exactly.
package struct PlannedRequest: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    package var method: String
    package var path: String
    package var body: JSONValue?
}

/// What an action did (or, for a dry run, would do).
package struct ActionOutcome: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    /// `cancel_flow_run`, `pause_deployment`, …
    package var action: String
    /// What it acted on, as people name it (`etl-daily/prod`, `nightly-run-1 (<id>)`).
    package var target: String
    package var dryRun: Bool
    /// The requests sent (or, for a dry run, that would be).
    package var requests: [PlannedRequest]
    /// Prefect's answer to a proposed state: `ACCEPT`, `REJECT`, `ABORT`, `WAIT`; nil for other writes or a dry run.
    package var status: String?
    /// The state after it, when there is one (`CANCELLING`, `PAUSED`).
    package var state: String?
    /// One sentence: what happened and what comes next.
    package var message: String
    /// The run the action created (run_deployment) or acted on (cancel, retry), once it was sent.
    package var flowRunID: String?
    package var flowRunName: String?
    /// How the run ended, when the caller asked to wait for it (``PrefectActions/wait(for:seconds:onPoll:)``).
    package var wait: RunWaitOutcome?

    enum CodingKeys: String, CodingKey {
        case action, target, requests, status, state, message, wait
        case dryRun = "dry_run"
        case flowRunID = "flow_run_id"
        case flowRunName = "flow_run_name"
    }
}

/// A write that cannot be done as asked, with why (a finished run cannot be cancelled).
package struct ActionRefused: Error, CustomStringConvertible, Sendable {
    package var description: String
}

/// The writes every face offers once writes are on: one home for how Prefect is changed, validated before anything is
/// sent, each able to show its requests without sending them, each logged in one line.
package struct PrefectActions: Sendable {
    package let client: PrefectClient
    let permission: WritePermission
    let logger: Logger

    /// - Parameter logger: every write is logged on it at `notice`, whatever the log level asked for.
    package init(client: PrefectClient, permission: WritePermission, logger: Logger = Logger(label: "prefect-mcp.actions")) {
        self.client = client
        self.permission = permission
        var logger = logger
        logger.logLevel = min(logger.logLevel, .notice)
        self.logger = logger
    }

    /// The request as it would go on the wire.
    static func planned<Response>(_ endpoint: Endpoint<Response>) throws -> PlannedRequest {
        PlannedRequest(method: endpoint.method.rawValue, path: endpoint.path, body: try endpoint.body.map { try JSONCoding.encode($0) })
    }

    /// Sends `endpoint` unless `dryRun`, and logs the outcome in one line (never a body, so never a parameter value;
    /// the command line's log handler neutralises the names in it, as it does every stderr line).
    func perform<Response>(
        _ action: String, target: String, _ endpoint: Endpoint<Response>, dryRun: Bool,
        outcome: (_ response: Response, _ httpStatus: Int) -> (status: String?, state: String?, message: String),
        created: (Response) -> (id: String, name: String)? = { _ in nil }
    ) async throws -> ActionOutcome {
        let plan = try Self.planned(endpoint)
        if dryRun {
            return ActionOutcome(
                action: action, target: target, dryRun: true, requests: [plan], message: "Dry run: nothing was sent; this request would be.")
        }
        do {
            let (response, httpStatus) = try await client.exchange(endpoint)
            let (status, state, message) = outcome(response, httpStatus)
            let run = created(response)
            let created = run.flatMap { target.contains($0.id) ? nil : ", run \($0.id)" } ?? ""
            logger.notice(
                "write \(action) \(target): \(status ?? "done")\(state.map { ", now \($0)" } ?? "")\(created) (\(permission.source))")
            return ActionOutcome(
                action: action, target: target, dryRun: false, requests: [plan], status: status, state: state, message: message,
                flowRunID: run?.id, flowRunName: run?.name)
        } catch {
            logger.notice("write \(action) \(target): failed: \(error)")
            throw error
        }
    }
}

extension PrefectActions {
    /// Waits up to `seconds` (at most ``RunWait/maximumSeconds``) for the run the action created or acted on to reach a
    /// final state, and adds how it ended to `outcome`. Nothing to wait for after a dry run, or with `seconds` 0.
    package func wait(
        for outcome: ActionOutcome, seconds: Double, ui: URL, onPoll: @Sendable (_ run: FlowRun, _ elapsed: Double) async -> Void = { _, _ in }
    ) async throws -> ActionOutcome {
        guard seconds > 0, !outcome.dryRun, let id = outcome.flowRunID else { return outcome }
        var outcome = outcome
        outcome.wait = try await client.waitForFinalState(flowRunID: id, timeout: seconds, ui: ui, onPoll: onPoll)
        return outcome
    }
}

extension PrefectClient {
    /// The writes, for a caller that holds the user's permission.
    package func actions(_ permission: WritePermission) -> PrefectActions {
        PrefectActions(client: self, permission: permission)
    }
}
