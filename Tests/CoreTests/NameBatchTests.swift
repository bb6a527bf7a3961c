import Foundation
import TestSupport
import Testing

@testable import Core

@Suite("Names are looked up in batches of a page, never cut at 200")
struct NameBatchTests {
    /// Answers a flows or task-runs filter by id with one object per id asked (as Prefect does, up to its limit).
    static func echoNames() -> FakeTransport {
        FakeTransport { request, _ in
            let body = try JSONSerialization.jsonObject(with: request.body ?? Data()) as? [String: Any] ?? [:]
            let filter = (body["flows"] ?? body["task_runs"]) as? [String: Any]
            let ids = ((filter?["id"] as? [String: Any])?["any_"] as? [String]) ?? []
            #expect(ids.count <= 200, "a request asked for \(ids.count) ids")
            let objects = ids.prefix(200).map { #"{"id":"\#($0)","name":"name-\#($0)","flow_id":"f","state_type":"COMPLETED"}"# }
            return HTTPResponseData(status: 200, body: Data("[\(objects.joined(separator: ","))]".utf8))
        }
    }

    @Test("450 flow names: three requests, every name")
    func flowNames() async throws {
        let transport = Self.echoNames()
        let ids = (0..<450).map { "flow-\($0)" }
        let names = try await PrefectClient.fake(transport).flowNames(ids: ids)
        #expect(names.count == 450 && names["flow-449"] == "name-flow-449")
        #expect(transport.requests.count == 3)
    }

    @Test("450 task-run names: three requests, every name")
    func taskRunNames() async throws {
        let transport = Self.echoNames()
        let ids = (0..<450).map { "task-\($0)" }
        let names = try await PrefectClient.fake(transport).taskRunNames(ids: ids)
        #expect(names.count == 450 && names["task-0"] == "name-task-0")
        #expect(transport.requests.count == 3)
    }
}
