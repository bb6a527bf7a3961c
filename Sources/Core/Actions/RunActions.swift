import FoundationEssentials
import JSONValue

extension PrefectActions {
    /// Cancels a run as `prefect flow-run cancel` does: it proposes CANCELLING, so the worker or runner that owns the
    /// infrastructure stops it and reports Cancelled (forcing CANCELLED would leave it running). A run that has not
    /// started yet has no infrastructure: Prefect's orchestration moves it to Cancelled itself.
    /// - Throws: ``ActionRefused`` for a run already in a final state or already cancelling.
    package func cancelFlowRun(idOrName: String, dryRun: Bool) async throws -> ActionOutcome {
        let run = try await client.flowRun(idOrName: idOrName)
        let target = "\(run.name) (\(run.id))"
        let state = run.stateType ?? run.state?.type
        if let state, state.isFinal {
            throw ActionRefused(description: "Flow run \(target) is already \(run.stateName ?? state.rawValue): there is nothing to cancel.")
        }
        if state == .cancelling {
            throw ActionRefused(
                description: "Flow run \(target) is already Cancelling; diagnose_flow_run says who must stop it and when Prefect gives up.")
        }
        let endpoint = PrefectAPI.setFlowRunState(
            id: run.id, SetStateBody(type: .cancelling, message: "Cancellation requested through prefect-mcp"))
        return try await perform(
            "cancel_flow_run", target: target, endpoint, dryRun: dryRun,
            outcome: { result, _ in
                let now = result.state?.type.rawValue
                switch result.status {
                case "ACCEPT":
                    return (
                        result.status, now,
                        now == StateType.cancelled.rawValue
                            ? "Cancelled: the run had not started, so there was nothing to stop."
                            : "Cancelling: the worker or process that runs it must now stop it and report Cancelled."
                    )
                default:
                    let reason = result.details?["reason"]?.stringValue.map { ": \($0)" } ?? ""
                    return (result.status, now, "Prefect answered \(result.status)\(reason); the run stays \(now ?? "as it was").")
                }
            }, created: { _ in (run.id, run.name) })
    }

    /// Runs a finished run of a deployment again, as `prefect flow-run retry` does in Prefect 3.9: it forces the run
    /// back to Scheduled (now), and a worker of its pool picks it up like any scheduled run.
    /// - Throws: ``ActionRefused`` for a run that has not finished, or has no deployment (no worker can run it; only
    ///   the flow's own code can, which the CLI does with `--entrypoint`).
    package func retryFlowRun(idOrName: String, dryRun: Bool) async throws -> ActionOutcome {
        let run = try await client.flowRun(idOrName: idOrName)
        let target = "\(run.name) (\(run.id))"
        guard let state = run.stateType ?? run.state?.type, state.isFinal else {
            throw ActionRefused(
                description: "Flow run \(target) is \(run.stateName ?? "not finished"): only a finished run (Completed, Failed, Cancelled, "
                    + "Crashed) can be retried; cancel it first if it must start over.")
        }
        guard run.deploymentID != nil else {
            throw ActionRefused(
                description: "Flow run \(target) has no deployment, so no worker can run it again; the flow's own code can: "
                    + "prefect flow-run retry \(run.id) --entrypoint FILE.py:FLOW runs it on this machine.")
        }
        let endpoint = PrefectAPI.setFlowRunState(
            id: run.id, SetStateBody(type: .scheduled, message: "Retried through prefect-mcp", force: true))
        let pool = run.workPoolName.map { "pool '\($0)'" } ?? "its pool"
        return try await perform(
            "retry_flow_run", target: target, endpoint, dryRun: dryRun,
            outcome: { result, _ in
                let now = result.state?.type.rawValue
                guard result.status == "ACCEPT" else {
                    let reason = result.details?["reason"]?.stringValue.map { ": \($0)" } ?? ""
                    return (result.status, now, "Prefect answered \(result.status)\(reason); the run stays \(now ?? "as it was").")
                }
                return (result.status, now, "Scheduled again: a worker of \(pool) picks it up like any scheduled run.")
            }, created: { _ in (run.id, run.name) })
    }
}
