import Foundation
import TestSupport
import Testing

@testable import Core

/// Asking for more than Prefect's 200 a request gets it all by paging, or a visible "more" — never a silent 200.
@Suite("Paging past 200 against the real server")
struct PagingIntegrationTests {
    @Test("The dashboard's newest 1 000 log lines of a ~600-line run are all ~600, oldest first, ending at the traceback")
    func newestLogLines() async throws {
        let log = try TestServers.seed().runs.failedLongLog
        #expect(log.logLines > 400, "the seeded long log must span several pages")
        try await Live.withClient { client, _ in
            var everything = LogFollower(flowRunID: log.id)
            let all = try await everything.start(client: client, newest: 1_000)
            #expect(all.count == log.logLines)
            #expect(Set(all.map(\.id)).count == all.count, "no line twice")
            #expect(all.map(\.timestamp) == all.map(\.timestamp).sorted())
            #expect(all.last?.message.contains(log.lastLineContains) == true)
            #expect(try await everything.poll(client: client).isEmpty, "following goes on after the lines shown, without repeats")

            var newest = LogFollower(flowRunID: log.id)
            let some = try await newest.start(client: client, newest: 250)
            #expect(some.map(\.id) == all.suffix(250).map(\.id), "the newest 250, oldest first")
        }
    }

    @Test("A page of 250 log lines from the end holds 250 and says more are before them")
    func flowRunLogsPastOnePage() async throws {
        let log = try TestServers.seed().runs.failedLongLog
        try await Live.withClient { client, _ in
            let page = try await client.flowRunLogs(flowRunID: log.id, newest: true, limit: 250, offset: 0)
            #expect(page.lines.count == 250 && page.truncated)
            #expect(page.lines.last?.message.contains(log.lastLineContains) == true)
            let all = try await client.flowRunLogs(flowRunID: log.id, newest: true, limit: 1_000, offset: 0)
            #expect(all.lines.count == log.logLines && !all.truncated)
            #expect(page.lines.map(\.id) == all.lines.suffix(250).map(\.id))
        }
    }

    /// 230 deployments of one flow, created on the secured server: no test counts deployments there (the seeded open
    /// server's deployment counts stay as seed.py made them). Creating is an upsert by flow and name, so a second run
    /// leaves the same 230.
    static let flowName = "paging-past-200"
    static let deploymentCount = 230

    static func securedClient() throws -> PrefectClient {
        PrefectClient(settings: try Live.settings(url: try TestServers.securedAPIURL(), authString: try TestServers.securedAuthString()))
    }

    static func createDeployments(_ client: PrefectClient) async throws {
        struct Created: Decodable, Sendable { var id: String }
        let flow = try await client.send(Endpoint<Created>(.post, "/flows/", body: ["name": flowName]))
        // One at a time: concurrent writes make Prefect's SQLite answer 503.
        for index in 0..<deploymentCount {
            _ = try await client.send(Endpoint<Created>(.post, "/deployments/", body: ["name": String(format: "d-%03d", index), "flow_id": flow.id]))
        }
    }

    @Test("500 deployments asked for: all 230 of the flow; fewer asked: exactly that many and truncated")
    func deploymentsPastOnePage() async throws {
        let client = try Self.securedClient()
        do {
            try await Self.createDeployments(client)
            let ui = URL(string: "http://127.0.0.1/")!
            let ofFlow = FlowFilter(name: AnyLike(any: [Self.flowName]))
            let all = try await client.deploymentRows(filter: nil, flowFilter: ofFlow, limit: 500, offset: 0, ui: ui)
            #expect(all.items.count == Self.deploymentCount && !all.truncated && all.nextOffset == nil)
            #expect(all.items.map(\.name) == (0..<Self.deploymentCount).map { String(format: "d-%03d", $0) })
            #expect(all.items.allSatisfy { $0.slug.hasPrefix("\(Self.flowName)/") })

            let first = try await client.deploymentRows(filter: nil, flowFilter: ofFlow, limit: 220, offset: 0, ui: ui)
            #expect(first.items.count == 220 && first.truncated && first.nextOffset == 220)
            let rest = try await client.deploymentRows(filter: nil, flowFilter: ofFlow, limit: 500, offset: 220, ui: ui)
            #expect(rest.items.map(\.id) == all.items.suffix(10).map(\.id) && !rest.truncated)

            let exact = try await client.deploymentRows(filter: nil, flowFilter: ofFlow, limit: Self.deploymentCount, offset: 0, ui: ui)
            #expect(exact.items.count == Self.deploymentCount && !exact.truncated)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }
}
