package import FoundationEssentials

/// What flow runs and task runs share about their timing, so their duration is computed by one rule.
package protocol RunTiming {
    var stateType: StateType? { get }
    var startTime: Date? { get }
    var endTime: Date? { get }
    /// Prefect's own count of seconds spent RUNNING; it grows only when a run leaves RUNNING.
    var totalRunTime: Double? { get }
}

extension RunTiming {
    /// Seconds the run has run at `now`, to the millisecond: since its start while it is RUNNING (its
    /// `total_run_time` is still 0 then), else Prefect's `total_run_time` when set, else end − start; nil for a run
    /// that has not run.
    package func durationSeconds(at now: Date) -> Double? {
        let seconds: Double? =
            if stateType == .running, let start = startTime { now.timeIntervalSince(start) } else if let total = totalRunTime, total > 0 {
                total
            } else if let start = startTime, let end = endTime { end.timeIntervalSince(start) } else { nil }
        return seconds.map { ($0 * 1000).rounded() / 1000 }
    }
}

extension FlowRun: RunTiming {}
extension TaskRun: RunTiming {}
