import FoundationEssentials
import JSONValue

/// What a run's own state says it waits for, when the state itself is the answer: a run in Cancelling waits for
/// whoever runs it to stop it; a run in AwaitingRetry waits for its retry time.
enum RunStateCauses {
    /// Who runs a run, as far as the cancelling diagnosis needs: its pool's workers, or no pool at all.
    struct Runner {
        var poolName: String?
        var onlineWorkers: Int
        var lastHeartbeat: Date?
    }

    /// Past its retry time by more than this, an AwaitingRetry run is no longer "about to retry" but stuck.
    static let retryGrace: TimeInterval = 60

    /// The state's scheduled time: when a Scheduled run (AwaitingRetry included) is meant to start. A rescheduled or
    /// retrying run keeps its first expected start time, so that one says nothing about lateness.
    static func scheduledTime(of run: FlowRun) -> Date? {
        run.state?.stateDetails?.scheduledTime ?? run.expectedStartTime
    }

    static func isAwaitingRetry(_ run: FlowRun) -> Bool {
        run.stateType == .scheduled && (run.stateName == "AwaitingRetry" || run.stateName == "Retrying")
    }

    /// An AwaitingRetry run: which attempt failed and why, which comes next and when, how many remain, and who runs it.
    static func awaitingRetry(_ run: FlowRun, now: Date) -> Cause {
        let policy = run.empiricalPolicy
        let attempts = max(run.runCount ?? 1, 1)
        let retries = policy?["retries"]?.intValue ?? policy?["max_retries"]?.intValue
        let inProcess = policy?["retry_type"]?.stringValue == "in_process"
        let failure = run.state?.message.map { ": \($0.firstLine.clipped(to: 300))" } ?? ""
        var text = "Attempt \(attempts)\(retries.map { " of \($0 + 1)" } ?? "") failed\(failure)."
        let remaining = retries.map { max(0, $0 - attempts) }
        let next = "attempt \(attempts + 1)\(retries.map { " of \($0 + 1)" } ?? "")"
        let left = remaining.map { $0 == 0 ? " (the last one)" : " (\($0) more retr\($0 == 1 ? "y" : "ies") after it)" } ?? ""
        guard let due = scheduledTime(of: run) else {
            return Cause("awaiting_retry", text + " Prefect will retry it: \(next)\(left).")
        }
        let runner =
            inProcess
            ? " It is an in-process retry: the process that ran attempt \(attempts) waits and runs the retry itself; no worker picks it up."
            : " A worker of its pool picks the retry up like any scheduled run."
        if now.timeIntervalSince(due) <= retryGrace {
            text += " Prefect retries it at \(PrefectDate.format(due)) (\(due.age(at: now))): \(next)\(left)."
            text += runner + " Nothing is wrong yet; the run is neither late nor stuck before that time."
            return Cause("awaiting_retry", text)
        }
        text += " Its retry (\(next)) was due at \(PrefectDate.format(due)), \(due.age(at: now)), and has not started."
        text +=
            inProcess
            ? " The process that ran attempt \(attempts) is most likely gone (killed, redeployed, its machine restarted), and no worker will start an in-process retry."
            : " No worker has picked it up: check the pool's workers."
        return Cause("retry_not_started", text, fix: "prefect flow-run cancel \(run.id)")
    }

    /// A Cancelling run: how long it has been cancelling, who must observe it and whether they are there, and what the
    /// server's cleanup does and when.
    static func cancelling(_ run: FlowRun, runner: Runner?, cleanup: CancellationCleanup, now: Date) -> Cause {
        let since = run.state?.timestamp
        var text = "Cancellation was requested"
        if let since { text += " \(since.age(at: now)) (at \(PrefectDate.format(since)))" }
        text += ". Cancelling lasts until whoever runs the flow sees the request, stops its infrastructure and reports Cancelled. "
        if let runner, let pool = runner.poolName {
            text += "That is the worker of pool '\(pool)' that started it: "
            if runner.onlineWorkers > 0 {
                text +=
                    "\(runner.onlineWorkers) worker\(runner.onlineWorkers == 1 ? " is" : "s are") online"
                    + (runner.lastHeartbeat.map { " (last heartbeat \($0.age(at: now)))" } ?? "")
                    + ", so a slow stop or a worker that lost track of the run's process is the likely cause. "
            } else {
                text +=
                    "no worker of that pool is online"
                    + (runner.lastHeartbeat.map { " (the last heartbeat was \($0.age(at: now)))" } ?? "")
                    + ", so nothing will stop it until one comes back. "
            }
        } else {
            text +=
                "It has no work pool: the process that runs it (a served flow's runner, or the Python process that called the "
                + "flow) must see the request; if that process is gone, nothing will. "
        }
        let setting = "server.services.cancellation_cleanup"
        let source =
            cleanup.fromServer ? "this server's \(setting).cancelling_timeout_seconds" : "Prefect's default; this server's settings were not readable"
        if !cleanup.enabled {
            text += "Prefect's cancellation cleanup is off on this server (\(setting).enabled), so it stays Cancelling until something moves it."
        } else if let since {
            let deadline = since.addingTimeInterval(cleanup.cancellingTimeoutSeconds)
            let after = Duration.seconds(cleanup.cancellingTimeoutSeconds).compactDescription
            if deadline > now {
                text +=
                    "Prefect marks a run Cancelled after \(after) in Cancelling (\(source)): this one at \(PrefectDate.format(deadline)), "
                    + "\(deadline.age(at: now)), and asks its worker to tear the infrastructure down."
            } else {
                text +=
                    "Prefect marks a run Cancelled after \(after) in Cancelling (\(source)); that time passed \(deadline.age(at: now)), so the "
                    + "server's cancellation cleanup service is not running or could not move it."
            }
        }
        return Cause("cancelling", text, fix: "prefect flow-run cancel \(run.id)")
    }

    /// The last resort when nothing observes the cancellation, with its risk.
    static func forceCancelled(_ run: FlowRun) -> String {
        "If nothing observes it, force the state (this stops nothing still running; it frees the run's concurrency slots): "
            + "curl -X POST \"$PREFECT_API_URL/flow_runs/\(run.id)/set_state\" -H 'Content-Type: application/json' "
            + "-d '{\"state\": {\"type\": \"CANCELLED\", \"message\": \"Forced: nothing observed the cancellation\"}, \"force\": true}'"
    }
}
