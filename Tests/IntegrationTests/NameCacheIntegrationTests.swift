import Foundation
import TestSupport
import Testing

@testable import Core

/// Flow and deployment names are read once per client: they cannot change.
@Suite("Names read once")
struct NameCacheIntegrationTests {
    @Test("The same runs again ask only for the runs; a new id asks only for itself")
    func namesOnce() async throws {
        try await Live.withCountingClient { client, settings, transport in
            // Runs of deployments (the newest runs of the seed are subflows and ad hoc runs, which have none).
            let deployed = FlowRunFilter(deploymentID: NullableAnyOf(isNull: false))
            let first = try await client.recentFlowRuns(filter: deployed, limit: 3, offset: 0, now: Date(), ui: settings.uiURL, upcomingShown: nil)
            let firstRequests = transport.take()
            #expect(firstRequests.contains("POST /api/flows/filter") && firstRequests.contains("POST /api/deployments/filter"))
            #expect(first.page.items.contains { $0.deploymentName != nil } && first.page.items.allSatisfy { $0.flowName != nil })

            let second = try await client.recentFlowRuns(filter: deployed, limit: 3, offset: 0, now: Date(), ui: settings.uiURL, upcomingShown: nil)
            #expect(transport.take() == ["POST /api/flow_runs/filter"])
            #expect(second.page.items.map(\.flowName) == first.page.items.map(\.flowName))
            #expect(second.page.items.map(\.deploymentName) == first.page.items.map(\.deploymentName))

            // One known flow and one not yet seen: only the unknown one is asked for.
            let flows = try await client.send(PrefectAPI.flows(FlowsQuery(limit: 200)))
            let known = try #require(first.page.items.first?.flowID)
            let unknown = try #require(
                flows.first { flow in !first.page.items.contains { $0.flowID == flow.id } }, "the seed has flows without recent runs")
            _ = transport.take()
            let names = try await client.flowNames(ids: [known, unknown.id])
            #expect(names[unknown.id] == unknown.name && names[known] != nil)
            let asked = transport.takeRequests()
            #expect(asked.count == 1)
            let body = String(decoding: asked.first?.body ?? Data(), as: UTF8.self)
            #expect(body.contains(unknown.id) && !body.contains(known))
        }
    }
}
