extension PrefectClient {
    /// `flow/deployment` names containing `text` (case-insensitive), sorted, at most 50.
    package func deploymentSlugs(matching text: String) async throws -> [String] {
        let filter = text.isEmpty ? nil : DeploymentFilter(flowOrDeploymentName: DeploymentFilter.Like(like: text))
        let deployments = try await send(PrefectAPI.deployments(DeploymentsQuery(deployments: filter, sort: .nameAscending, limit: 50)))
        let names = try await flowNames(ids: deployments.map(\.flowID))
        let slugs = deployments.compactMap { deployment in names[deployment.flowID].map { "\($0)/\(deployment.name)" } }
        return slugs.filter { text.isEmpty || $0.lowercased().contains(text.lowercased()) }.sorted()
    }

    /// Work pool names starting with `prefix` (case-insensitive), sorted.
    package func workPoolNames(matching prefix: String) async throws -> [String] {
        let pools = try await allPages { offset in
            try await self.send(PrefectAPI.workPools(WorkPoolsQuery(limit: PageLimit.maximum, offset: offset)))
        }
        return pools.map(\.name).filter { $0.lowercased().hasPrefix(prefix.lowercased()) }.sorted()
    }
}
