import Foundation
import TestSupport
import Testing

@testable import Core

/// Errors as a real server produces them, and credentials against a server with basic auth and CSRF on.
@Suite("Errors and credentials against real servers")
struct ErrorIntegrationTests {
    @Test("Unknown id → not found; malformed id in a filter → invalid request with the server's reason")
    func notFoundAndInvalid() async throws {
        try await Live.withClient { client, _ in
            await #expect(throws: PrefectError.self) {
                do { _ = try await client.send(PrefectAPI.flowRun(id: UUID().uuidString.lowercased())) } catch let error as PrefectError {
                    guard case .notFound = error else { Issue.record("expected notFound, got \(error)"); throw error }
                    throw error
                }
            }
            // A malformed id in a path is a plain 404 (the route does not match); in a filter body it is a 422.
            await #expect(throws: PrefectError.notFound(route: "GET /flow_runs/not-a-uuid", detail: "Not Found")) {
                try await client.send(PrefectAPI.flowRun(id: "not-a-uuid"))
            }
            do {
                _ = try await client.send(PrefectAPI.flowRuns(FlowRunsQuery(flowRuns: FlowRunFilter(id: AnyNotAny(any: ["not-a-uuid"])))))
                Issue.record("expected a 422")
            } catch let error as PrefectError {
                guard case .invalidRequest(422, let route, let detail) = error else { Issue.record("got \(error)"); return }
                #expect(route == "POST /flow_runs/filter")
                #expect(detail.contains("body.flow_runs.id.any_.0") && detail.contains("UUID"), "\(detail)")
                #expect(!detail.contains("request_body"))
            }
            await #expect(throws: PrefectError.notFound(route: "GET /deployments/name/no-such-flow/nope", detail: "Deployment not found")) {
                try await client.send(PrefectAPI.deployment(flowName: "no-such-flow", deploymentName: "nope"))
            }
        }
    }

    @Test("Secured server: the right auth string works for GET and POST (CSRF token fetched); none or a wrong one is 401")
    func securedServer() async throws {
        let url = try TestServers.securedAPIURL()
        let auth = try TestServers.securedAuthString()

        let good = PrefectClient(settings: try Live.settings(url: url, authString: auth))
        #expect(try await good.send(PrefectAPI.serverVersion) == "3.9.1")
        #expect(try await good.send(PrefectAPI.countFlowRuns(FlowRunsCount())) == 0)
        #expect(try await good.send(PrefectAPI.workPools(WorkPoolsQuery())).isEmpty)
        await good.shutdown()

        let none = PrefectClient(settings: try Live.settings(url: url))
        #expect(try await none.send(PrefectAPI.health), "/health needs no credentials")
        await #expect(throws: PrefectError.unauthorized(route: "GET /admin/version", credential: "no credentials")) {
            try await none.send(PrefectAPI.serverVersion)
        }
        await none.shutdown()

        let wrong = PrefectClient(settings: try Live.settings(url: url, authString: "admin:wrong"))
        await #expect(throws: PrefectError.unauthorized(route: "POST /flow_runs/count", credential: "basic auth (env PREFECT_API_AUTH_STRING)")) {
            try await wrong.send(PrefectAPI.countFlowRuns(FlowRunsCount()))
        }
        await wrong.shutdown()
    }

    @Test("Reading never changes the server: queue polls and pool statuses stay as they were")
    func readsDoNotMutate() async throws {
        try await Live.withClient { client, settings in
            func snapshot() async throws -> [String] {
                let queues = try await client.send(PrefectAPI.workQueues(WorkQueuesQuery()))
                let pools = try await client.send(PrefectAPI.workPools(WorkPoolsQuery()))
                return queues.map { "\($0.name) \($0.status ?? "-") \($0.lastPolled.map(PrefectDate.format) ?? "never")" }.sorted()
                    + pools.map { "\($0.name) \($0.status ?? "-")" }.sorted()
            }
            let before = try await snapshot()
            _ = try await client.status(settings: settings)
            _ = try await client.concurrencyLimits()
            #expect(try await snapshot() == before)
        }
    }
}
