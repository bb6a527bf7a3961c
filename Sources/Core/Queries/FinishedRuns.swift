package import FoundationEssentials

/// A deployment's newest finished runs (completed, failed or crashed; cancelled ones are neither a success nor a
/// failure), newest first: its success rate and its durations.
package struct FinishedRuns: Sendable, Equatable {
    package var runs: [FlowRunRow]

    package init(runs: [FlowRunRow]) { self.runs = runs }

    package var completed: Int { runs.count { $0.stateType == StateType.completed.rawValue } }

    /// Completed runs over finished runs, 0–1; nil without finished runs.
    package var successRate: Double? { runs.isEmpty ? nil : Double(completed) / Double(runs.count) }

    /// The durations of the runs that ran, oldest first.
    package var durations: [Double] { runs.reversed().compactMap(\.durationSeconds) }
}

extension PrefectClient {
    /// The newest `limit` finished runs of a deployment (one request, and the names of its flow unless kept).
    package func finishedRuns(deploymentID: String, limit: Int = 30, now: Date = Date(), ui: URL) async throws -> FinishedRuns {
        var filter = FlowRunFilter.stateType([.completed, .failed, .crashed])
        filter.deploymentID = NullableAnyOf(any: [deploymentID])
        let page = try await recentFlowRuns(filter: filter, limit: limit, offset: 0, now: now, ui: ui, upcomingShown: nil).page
        return FinishedRuns(runs: page.items)
    }
}
