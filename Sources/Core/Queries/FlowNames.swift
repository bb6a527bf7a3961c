import Synchronization

/// Flow and deployment names by id, remembered for the life of a client: neither can be renamed (Prefect's
/// `FlowUpdate` and `DeploymentUpdate` carry no name, and re-deploying keeps the id with its name), so each id is
/// asked for once. The dashboard's refreshes and repeated tool calls then ask only for runs.
package final class NameCache: Sendable {
    /// Past this many names the cache starts over (a server with more flows than this is read again as needed).
    static let capacity = 20_000

    enum Kind: Hashable { case flow, deployment, deploymentSlug }

    private let known = Mutex<[Kind: [String: String]]>([:])

    package init() {}

    /// The names known for `ids`.
    func names(_ kind: Kind, for ids: Set<String>) -> [String: String] {
        known.withLock { known in
            var found: [String: String] = [:]
            for id in ids { if let name = known[kind]?[id] { found[id] = name } }
            return found
        }
    }

    func remember(_ kind: Kind, _ names: [String: String]) {
        known.withLock { known in
            if (known[kind]?.count ?? 0) + names.count > Self.capacity { known[kind] = [:] }
            known[kind, default: [:]].merge(names) { _, new in new }
        }
    }
}

extension PrefectClient {
    /// Flow names by id, for the ids given: the ones not yet known in one batched request (flow names are not on
    /// runs or deployments).
    package func flowNames(ids: some Sequence<String>) async throws -> [String: String] {
        try await names(.flow, ids: ids) { missing in
            let flows = try await self.send(PrefectAPI.flows(FlowsQuery(flows: FlowFilter(id: AnyNotAny(any: missing)), limit: PageLimit.maximum)))
            return flows.map { ($0.id, $0.name) }
        }
    }

    /// One flow's name, from the cache when it was read before; nil when it cannot be read (a deleted flow, an error):
    /// a name is a label, never a reason to fail the answer it labels.
    package func flowName(id: String) async -> String? {
        try? await flowNames(ids: [id])[id]
    }

    /// Deployment names by id, for the ids given: the ones not yet known in one batched request.
    package func deploymentNames(ids: some Sequence<String>) async throws -> [String: String] {
        try await names(.deployment, ids: ids) { missing in
            let deployments = try await self.send(
                PrefectAPI.deployments(DeploymentsQuery(deployments: DeploymentFilter(id: AnyNotAny(any: missing)), limit: PageLimit.maximum)))
            return deployments.map { ($0.id, $0.name) }
        }
    }

    /// Deployments as people name them, `flow/deployment` (``Deployment/slug(flowName:deploymentName:)``), by id: the
    /// ones not yet known in one batched request and one for their flows' names.
    package func deploymentSlugs(ids: some Sequence<String>) async throws -> [String: String] {
        try await names(.deploymentSlug, ids: ids) { missing in
            let deployments = try await self.send(
                PrefectAPI.deployments(DeploymentsQuery(deployments: DeploymentFilter(id: AnyNotAny(any: missing)), limit: PageLimit.maximum)))
            let flows = try await self.flowNames(ids: deployments.map(\.flowID))
            return deployments.map { ($0.id, Deployment.slug(flowName: flows[$0.flowID], deploymentName: $0.name)) }
        }
    }

    private func names(
        _ kind: NameCache.Kind, ids: some Sequence<String>, fetch: @escaping @Sendable ([String]) async throws -> [(String, String)]
    ) async throws -> [String: String] {
        let unique = Set(ids)
        var found = names.names(kind, for: unique)
        let missing = Array(unique.subtracting(found.keys))
        guard !missing.isEmpty else { return found }
        let fetched = Dictionary(try await PageLimit.batches(missing).concurrentMap(fetch).flatMap { $0 }, uniquingKeysWith: { first, _ in first })
        names.remember(kind, fetched)
        found.merge(fetched) { _, new in new }
        return found
    }

    /// Task-run names by id, for the ids given: one batched request (log lines carry only the task run's id).
    package func taskRunNames(ids: some Sequence<String>) async throws -> [String: String] {
        let tasks = try await PageLimit.batches(Set(ids)).concurrentMap { batch in
            try await self.send(PrefectAPI.taskRuns(TaskRunsQuery(taskRuns: TaskRunFilter(id: AnyOf(any: batch)), limit: PageLimit.maximum)))
        }
        return Dictionary(tasks.joined().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
