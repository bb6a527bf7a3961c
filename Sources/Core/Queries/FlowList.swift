package import FoundationEssentials

/// A flow with how many deployments it has, and a UI link.
package struct FlowRow: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var tags: [String]
    package var deployments: Int
    package var created: Date?
    package var updated: Date?
    package var uiURL: String

    enum CodingKeys: String, CodingKey {
        case id, name, tags, deployments, created, updated
        case uiURL = "ui_url"
    }
}

extension PrefectClient {
    /// One page of flows by name, each with its deployment count (one count request per flow, concurrently).
    package func flowRows(filter: FlowFilter?, limit: Int, offset: Int, ui: URL) async throws -> Page<FlowRow> {
        let page = try await self.page(limit: limit, offset: offset) { size, offset in
            try await self.send(PrefectAPI.flows(FlowsQuery(flows: filter, sort: .nameAscending, limit: size, offset: offset)))
        }
        let rows = try await page.items.concurrentMap { flow in
            let count = try await self.send(PrefectAPI.countDeployments(DeploymentsCount(flows: FlowFilter(id: AnyNotAny(any: [flow.id])))))
            return FlowRow(
                id: flow.id, name: flow.name, tags: flow.tags ?? [], deployments: count, created: flow.created, updated: flow.updated,
                uiURL: UILinks.flow(flow.id, ui: ui))
        }
        return Page(items: rows, truncated: page.truncated, nextOffset: page.nextOffset)
    }
}
