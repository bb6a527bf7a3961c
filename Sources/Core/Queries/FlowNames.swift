extension PrefectClient {
    /// Flow names by id, for the ids given: one batched request (flow names are not on runs or deployments).
    package func flowNames(ids: some Sequence<String>) async throws -> [String: String] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        let flows = try await send(PrefectAPI.flows(FlowsQuery(flows: FlowFilter(id: AnyNotAny(any: unique)), limit: PageLimit.maximum)))
        return Dictionary(flows.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// Task-run names by id, for the ids given: one batched request (log lines carry only the task run's id).
    package func taskRunNames(ids: some Sequence<String>) async throws -> [String: String] {
        let unique = Array(Set(ids).prefix(PageLimit.maximum))
        guard !unique.isEmpty else { return [:] }
        let tasks = try await send(PrefectAPI.taskRuns(TaskRunsQuery(taskRuns: TaskRunFilter(id: AnyOf(any: unique)), limit: PageLimit.maximum)))
        return Dictionary(tasks.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
