import Foundation
import JSONValue
import Synchronization
import TestSupport
import Testing

@testable import Core

/// The one paging helper: a caller gets every item it asks for, 200 a request, or an exact `truncated`.
@Suite("Paging: more than one page, never a silent 200")
struct PagingTests {
    /// A list of `count` items served like Prefect: at most 200 a request, recording each `(limit, offset)`.
    final class Server: Sendable {
        let count: Int
        private let asked = Mutex<[[Int]]>([])

        init(count: Int) { self.count = count }

        @Sendable func fetch(_ limit: Int, _ offset: Int) async throws -> [Int] {
            precondition(limit >= 1 && limit <= PageLimit.maximum, "asked for \(limit), more than a page")
            asked.withLock { $0.append([limit, offset]) }
            return Array(min(offset, count)..<min(offset + limit, count))
        }

        var requests: [[Int]] { asked.withLock { $0.sorted { ($0[1], $0[0]) < ($1[1], $1[0]) } } }
    }

    static let client = PrefectClient.fake(FakeTransport(status: 200, body: "[]"))

    @Test("500 asked of 450: all 450 in three requests, nothing more")
    func fewerThanAsked() async throws {
        let server = Server(count: 450)
        let page = try await Self.client.page(limit: 500, offset: 0, server.fetch)
        #expect(page.items == Array(0..<450))
        #expect(!page.truncated && page.nextOffset == nil)
        #expect(server.requests == [[200, 0], [200, 200], [101, 400]])
    }

    @Test("500 asked of 1 000: exactly 500, truncated, continue at 500")
    func moreThanAsked() async throws {
        let server = Server(count: 1_000)
        let page = try await Self.client.page(limit: 500, offset: 0, server.fetch)
        #expect(page.items == Array(0..<500))
        #expect(page.truncated && page.nextOffset == 500)
        let rest = try await Self.client.page(limit: 500, offset: 500, server.fetch)
        #expect(rest.items == Array(500..<1_000) && !rest.truncated && rest.nextOffset == nil)
    }

    @Test(
        "A whole number of full pages is followed by a one-item probe",
        arguments: [(400, 400, false), (400, 401, true), (200, 200, false), (200, 201, true)])
    func fullLastPage(limit: Int, count: Int, more: Bool) async throws {
        let server = Server(count: count)
        let page = try await Self.client.page(limit: limit, offset: 0, server.fetch)
        #expect(page.items == Array(0..<limit))
        #expect(page.truncated == more && page.nextOffset == (more ? limit : nil))
        #expect(server.requests.last == [1, limit])
    }

    @Test("Within one page: one request for one more than asked, as before")
    func onePage() async throws {
        let server = Server(count: 30)
        let page = try await Self.client.page(limit: 10, offset: 25, server.fetch)
        #expect(page.items == Array(25..<30) && !page.truncated)
        #expect(server.requests == [[11, 25]])
    }

    @Test("Past the cap of 10 000 the answer says truncated instead of stopping silently")
    func cap() async throws {
        let server = Server(count: 12_000)
        let page = try await Self.client.page(limit: 50_000, offset: 0, server.fetch)
        #expect(page.items.count == PageLimit.total && page.truncated && page.nextOffset == PageLimit.total)
    }

    @Test("allPages reads a whole list of more than 200 through the same helper")
    func allPages() async throws {
        let server = Server(count: 650)
        let items = try await Self.client.allPages { offset in try await server.fetch(PageLimit.maximum, offset) }
        #expect(items == Array(0..<650))
    }
}

/// Lists a query reads whole, not one page of: a run's task runs for its diagnosis.
@Suite("Paging: whole lists behind a diagnosis")
struct WholeListTests {
    @Test("A run with 450 task runs: its diagnosis and detail count all 450, read 200 a request")
    func taskRunsOfARun() async throws {
        var failed = try DecodingTests.decode([FlowRun].self, "flow_runs")[0]
        failed.deploymentID = nil
        failed.stateType = .failed
        failed.stateName = "Failed"
        let run = failed
        let runJSON = try JSONCoding.encode(run).jsonText
        let taskCount = 450
        let transport = FakeTransport { request, _ in
            let path = request.url.path
            var body = "[]"
            if request.method == "GET", path.hasSuffix("/flow_runs/\(run.id)") {
                body = runJSON
            } else if path.hasSuffix("/task_runs/filter") {
                let query = try JSONCoding.decode(JSONValue.self, from: request.body ?? Data())
                let offset = query["offset"]?.intValue ?? 0
                let limit = query["limit"]?.intValue ?? 0
                #expect(limit <= PageLimit.maximum)
                let tasks = (offset..<min(offset + limit, taskCount)).map { index in
                    TaskRun(id: "t\(index)", name: "map-\(index)", flowRunID: run.id, stateType: index % 3 == 0 ? .failed : .completed)
                }
                body = try JSONCoding.encode(tasks).jsonText
            }
            return HTTPResponseData(status: 200, headers: [], body: Data(body.utf8))
        }
        let client = PrefectClient.fake(transport)
        let detail = try await client.flowRunDetail(id: run.id, ui: URL(string: "http://ui.test")!)
        #expect(detail.taskRuns.count == taskCount)
        #expect(detail.diagnosis.taskRunCounts.values.reduce(0, +) == taskCount)
        #expect(detail.diagnosis.taskRunCounts["FAILED"] == 150)
        let taskRequests = transport.requests.filter { $0.url.path.hasSuffix("/task_runs/filter") }
        #expect(taskRequests.count == 3)
    }
}
