import FoundationEssentials
import JSONValue

/// Where a failed run's failure really happened when it came from a subflow. A subflow call runs in a task run of
/// its parent that wraps it (the child's `parent_task_run_id`); the parent often fails with only "1/3 states
/// failed." or the child's message, while the traceback is in the log of the deepest failed run.
package struct SubflowFailure: Codable, Sendable, EncodesAbsentAsNull {
    package struct Link: Codable, Sendable, EncodesAbsentAsNull {
        /// 1 for a child of the diagnosed run, 2 for a grandchild, …
        package var depth: Int
        /// The parent's task run that wraps this run.
        package var parentTaskRunName: String
        package var run: FlowRunRow

        enum CodingKeys: String, CodingKey {
            case depth, run
            case parentTaskRunName = "parent_task_run_name"
        }

        package init(depth: Int, parentTaskRunName: String, run: FlowRunRow) {
            self.depth = depth
            self.parentTaskRunName = parentTaskRunName
            self.run = run
        }
    }

    package init(path: String, chain: [Link], failedTaskRuns: [FlowRunDiagnosis.TaskSummary], errorLogs: [LogLine], truncated: Bool) {
        self.path = path
        self.chain = chain
        self.failedTaskRuns = failedTaskRuns
        self.errorLogs = errorLogs
        self.truncated = truncated
    }

    /// `nightly-pipeline (horned-guillemot) → load-stage (burgundy-pigeon) → validate-rows (dangerous-zebu)`: flow and
    /// run names from the diagnosed run down.
    package var path: String
    /// Parent → child → grandchild: at each level the first failed child, down to the deepest failed run.
    package var chain: [Link]
    /// The failed task runs of the deepest run (the task that raised, when it was a task).
    package var failedTaskRuns: [FlowRunDiagnosis.TaskSummary]
    /// The deepest run's newest ERROR lines, oldest first: the traceback of the exception.
    package var errorLogs: [LogLine]
    /// The chain went deeper than ``PrefectClient/subflowDepthLimit``: the last link is not the deepest failure.
    package var truncated: Bool

    enum CodingKeys: String, CodingKey {
        case chain, truncated, path
        case failedTaskRuns = "failed_task_runs"
        case errorLogs = "error_logs"
    }

    /// The deepest failed run.
    package var deepest: FlowRunRow { chain[chain.count - 1].run }

    static func path(_ runs: [FlowRunRow]) -> String {
        runs.map { "\($0.flowName ?? "?") (\($0.name))" }.joined(separator: " → ")
    }
}

extension PrefectClient {
    /// How many levels of subflows a diagnosis follows.
    package static let subflowDepthLimit = 5

    /// Follows `run`'s failed task runs to the child runs they wrap, level by level, to the deepest failed run; nil
    /// when no failed task run of `run` wraps a failed child. Two requests a level, and one for the traceback.
    func subflowFailure(of run: FlowRunRow, failedTasks: [TaskRun], ui: URL, now: Date) async throws -> SubflowFailure? {
        var chain: [SubflowFailure.Link] = []
        var tasks = failedTasks
        var truncated = false
        while !tasks.isEmpty {
            guard chain.count < Self.subflowDepthLimit else {
                truncated = true
                break
            }
            var filter = FlowRunFilter.stateType([.failed, .crashed])
            filter.parentTaskRunID = NullableAnyOf(any: tasks.map(\.id))
            let children = try await send(
                PrefectAPI.flowRuns(FlowRunsQuery(flowRuns: filter, sort: .expectedStartTimeAscending, limit: PageLimit.maximum)))
            // The first failed task (oldest) that wraps a failed child: where the failure started.
            guard
                let (task, child) = tasks.lazy.compactMap({ task in children.first { $0.parentTaskRunID == task.id }.map { (task, $0) } }).first
            else { break }
            async let row = rows(for: [child], ui: ui, now: now)
            async let childTasks = allPages { offset in
                try await self.send(
                    PrefectAPI.taskRuns(
                        TaskRunsQuery(
                            taskRuns: TaskRunFilter(
                                state: TaskRunStateFilter(type: AnyOf(any: [.failed, .crashed])), flowRunID: NullableAnyOf(any: [child.id])),
                            sort: .expectedStartTimeAscending, limit: PageLimit.maximum, offset: offset)))
            }
            chain.append(SubflowFailure.Link(depth: chain.count + 1, parentTaskRunName: task.name, run: try await row[0]))
            tasks = try await childTasks
        }
        guard let deepest = chain.last else { return nil }
        let errors = try await flowRunLogs(flowRunID: deepest.run.id, minimumLevel: .error, newest: true, limit: 5, offset: 0)
        return SubflowFailure(
            path: SubflowFailure.path([run] + chain.map(\.run)), chain: chain, failedTaskRuns: tasks.map(FlowRunDiagnosis.TaskSummary.init),
            errorLogs: errors.lines, truncated: truncated)
    }
}
