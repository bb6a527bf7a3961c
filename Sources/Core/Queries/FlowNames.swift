extension PrefectClient {
    /// Flow names by id, for the ids given: one batched request (flow names are not on runs or deployments).
    package func flowNames(ids: some Sequence<String>) async throws -> [String: String] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        let flows = try await send(PrefectAPI.flows(FlowsQuery(flows: FlowFilter(id: AnyNotAny(any: unique)), limit: PageLimit.maximum)))
        return Dictionary(flows.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
