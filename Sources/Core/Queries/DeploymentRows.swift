package import FoundationEssentials
package import JSONValue

/// A deployment as a reader wants it: `flow/deployment` slug, paused, schedules, pool and queue, its own limit.
package struct DeploymentRow: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    package struct Schedule: Codable, Sendable, Equatable {
        package var active: Bool
        package var schedule: String
    }

    package struct Limit: Codable, Sendable, Equatable {
        package var name: String
        package var limit: Int
        package var activeSlots: Int?

        enum CodingKeys: String, CodingKey {
            case name, limit
            case activeSlots = "active_slots"
        }
    }

    package var id: String
    package var name: String
    package var flowID: String
    package var flowName: String?
    package var slug: String
    package var description: String?
    package var paused: Bool
    package var status: String?
    package var schedules: [Schedule]
    package var workPoolName: String?
    package var workQueueName: String?
    package var concurrencyLimit: Limit?
    package var tags: [String]
    package var parameters: [String: JSONValue]
    package var entrypoint: String?
    package var lastPolled: Date?
    package var updated: Date?
    package var uiURL: String

    enum CodingKeys: String, CodingKey {
        case id, name, slug, description, paused, status, schedules, tags, parameters, entrypoint, updated
        case flowID = "flow_id"
        case flowName = "flow_name"
        case workPoolName = "work_pool_name"
        case workQueueName = "work_queue_name"
        case concurrencyLimit = "concurrency_limit"
        case lastPolled = "last_polled"
        case uiURL = "ui_url"
    }
}

extension PrefectClient {
    /// `limit` deployments by name from `offset` (read 200 a request, so 500 means 500), with flow names joined in
    /// (one batched request); ``Page/truncated`` says when more match.
    package func deploymentRows(filter: DeploymentFilter?, flowFilter: FlowFilter? = nil, limit: Int, offset: Int, ui: URL) async throws -> Page<
        DeploymentRow
    > {
        let page = try await self.page(limit: limit, offset: offset) { size, offset in
            try await self.send(
                PrefectAPI.deployments(DeploymentsQuery(flows: flowFilter, deployments: filter, sort: .nameAscending, limit: size, offset: offset)))
        }
        let names = try await flowNames(ids: page.items.map(\.flowID))
        return Page(
            items: page.items.map { DeploymentRow($0, flowName: names[$0.flowID], ui: ui) }, truncated: page.truncated, nextOffset: page.nextOffset)
    }
}

extension DeploymentRow {
    package init(_ deployment: Deployment, flowName: String?, ui: URL) {
        self.init(
            id: deployment.id, name: deployment.name, flowID: deployment.flowID, flowName: flowName,
            slug: Deployment.slug(flowName: flowName, deploymentName: deployment.name), description: deployment.description,
            paused: deployment.paused ?? false, status: deployment.status,
            schedules: (deployment.schedules ?? []).map { Schedule(active: $0.active ?? false, schedule: $0.summary) },
            workPoolName: deployment.workPoolName, workQueueName: deployment.workQueueName,
            concurrencyLimit: deployment.globalConcurrencyLimit.map { Limit(name: $0.name, limit: $0.limit, activeSlots: $0.activeSlots) },
            tags: deployment.tags ?? [], parameters: deployment.parameters ?? [:], entrypoint: deployment.entrypoint,
            lastPolled: deployment.lastPolled, updated: deployment.updated, uiURL: UILinks.deployment(deployment.id, ui: ui)
        )
    }
}
