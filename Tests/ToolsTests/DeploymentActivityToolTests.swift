import Core
import Foundation
import JSONValue
import MCP
import TestSupport
import Testing

@testable import Tools

/// `get_deployment_activity` over a fake Prefect: what a seeded server never holds (a deployment's own events, an
/// events API that ignores its filter, automations that cannot be read), and how many requests a page costs.
@Suite("get_deployment_activity without a server")
struct DeploymentActivityToolTests {
    static let deploymentA = "11111111-1111-4111-8111-111111111111"
    static let deploymentB = "22222222-2222-4222-8222-222222222222"
    static let flow = "33333333-3333-4333-8333-333333333333"

    /// A scripted Prefect: two deployments, one automation running B, runs and events as given.
    struct Scenario: Sendable {
        var automations = "[]"
        var automationStatus = 200
        /// The events page for a deployment id.
        var events: @Sendable (String) -> String = { _ in #"{"events":[],"total":0,"next_page":null}"# }
        var eventStatus = 200

        func answer(_ request: HTTPRequestData) -> HTTPResponseData {
            let body = request.body.flatMap { try? JSONValue(parsing: $0) } ?? .null
            func ok(_ text: String, status: Int = 200) -> HTTPResponseData { HTTPResponseData(status: status, body: Data(text.utf8)) }
            let deploymentID = body["flow_runs"]?["deployment_id"]?["any_"]?[0]?.stringValue ?? ""
            switch request.url.path {
            case "/api/deployments/filter":
                return ok(
                    """
                    [{"id":"\(DeploymentActivityToolTests.deploymentA)","name":"a","flow_id":"\(DeploymentActivityToolTests.flow)","paused":false,
                      "schedules":[{"active":true,"schedule":{"interval":3600}}]},
                     {"id":"\(DeploymentActivityToolTests.deploymentB)","name":"b","flow_id":"\(DeploymentActivityToolTests.flow)","paused":true,"schedules":[]}]
                    """)
            case "/api/flows/filter":
                return ok(#"[{"id":"\#(DeploymentActivityToolTests.flow)","name":"etl"}]"#)
            case "/api/automations/filter":
                return ok(automations, status: automationStatus)
            case "/api/flow_runs/history":
                let states =
                    deploymentID == DeploymentActivityToolTests.deploymentA
                    ? #"[{"state_type":"COMPLETED","state_name":"Completed","count_runs":5},{"state_type":"FAILED","state_name":"Failed","count_runs":1}]"#
                    : "[]"
                return ok(#"[{"interval_start":"2026-11-01T00:00:00Z","interval_end":"2026-12-01T00:00:00Z","states":\#(states)}]"#)
            case "/api/flow_runs/filter":
                guard deploymentID == DeploymentActivityToolTests.deploymentA else { return ok("[]") }
                return ok(
                    #"[{"id":"44444444-4444-4444-8444-444444444444","name":"calm-fox","flow_id":"\#(DeploymentActivityToolTests.flow)","state_type":"COMPLETED","state_name":"Completed","start_time":"2026-11-30T06:00:00Z","end_time":"2026-11-30T06:05:00Z"}]"#
                )
            case "/api/events/filter":
                let resource = body["filter"]?["any_resource"]?["id"]?[0]?.stringValue ?? ""
                return ok(events(resource), status: eventStatus)
            default:
                return ok("unexpected \(request.url.path)", status: 500)
            }
        }
    }

    static func call(_ scenario: Scenario, _ arguments: JSONValue = [:]) async throws -> (JSONValue, [HTTPRequestData]) {
        let transport = FakeTransport { request, _ in scenario.answer(request) }
        let registry = ToolsFixture.registry(ToolsFixture.environment(transport))
        let output = try await ToolsFixture.call("get_deployment_activity", arguments, in: registry).structured
        return (output, transport.requests)
    }

    static func row(_ output: JSONValue, _ slug: String) throws -> JSONValue {
        try #require(output["deployments"]?.arrayValue?.first { $0["slug"]?.stringValue == slug })
    }

    @Test("Own events are counted and shown; automations name the deployment they run; 4 requests a deployment, 3 besides")
    func ownEventsAndAutomations() async throws {
        var scenario = Scenario()
        scenario.automations = """
            [{"id":"55555555-5555-4555-8555-555555555555","name":"backfill","enabled":true,"trigger":{"type":"event"},
              "actions":[{"type":"run-deployment","source":"selected","deployment_id":"\(Self.deploymentB)"}]},
             {"id":"66666666-6666-4666-8666-666666666666","name":"off","enabled":false,"trigger":{"type":"event"},
              "actions":[{"type":"run-deployment","source":"selected","deployment_id":"\(Self.deploymentB)"}]},
             {"id":"77777777-7777-4777-8777-777777777777","name":"inferred","enabled":true,"trigger":{"type":"event"},
              "actions":[{"type":"run-deployment","source":"inferred","deployment_id":null}]}]
            """
        scenario.events = { resource in
            guard resource == "prefect.deployment.\(Self.deploymentA)" else { return #"{"events":[],"total":0,"next_page":null}"# }
            return """
                {"events":[{"id":"88888888-8888-4888-8888-888888888888","occurred":"2026-11-30T06:04:00Z","event":"acme.table.loaded",
                  "resource":{"prefect.resource.id":"acme.table.orders"},
                  "related":[{"prefect.resource.id":"prefect.deployment.\(Self.deploymentA)","prefect.resource.role":"deployment"}]}],
                 "total":42,"next_page":null}
                """
        }
        let (output, requests) = try await Self.call(scenario)
        let a = try Self.row(output, "etl/a")
        #expect(a["output_events"]?["count"] == 42)
        #expect(a["output_events"]?["latest"]?[0]?["event"] == "acme.table.loaded")
        #expect(a["runs"]?["completed"] == 5 && a["runs"]?["failed"] == 1 && a["runs"]?["total"] == 6)
        #expect(a["classification"] == "productive")
        #expect(a["reason"]?.stringValue == "5 of 6 runs in the last 30 days completed, 1 failed or crashed; 42 output events.")
        #expect(a["last_run"]?["name"] == "calm-fox")
        #expect(a["last_completed_time"]?.stringValue.flatMap(PrefectDate.parse) == PrefectDate.parse("2026-11-30T06:05:00Z"))
        #expect(a["run_by_automations"] == [])
        let b = try Self.row(output, "etl/b")
        #expect(b["run_by_automations"] == [["id": "55555555-5555-4555-8555-555555555555", "name": "backfill"]])
        #expect(b["classification"] == "dormant")
        #expect(b["reason"]?.stringValue == "No runs in the last 30 days: paused; no completed run ever.")
        #expect(output["notes"] == [])
        #expect(output["truncated"] == false && output["next_cursor"] == .null)

        let paths = requests.map(\.url.path)
        #expect(requests.count == 4 * 2 + 3, "\(paths)")
        #expect(paths.filter { $0 == "/api/automations/filter" }.count == 1, "automations are read once, not per deployment")
        // The events filter leaves Prefect's own events out and takes the deployment as any resource.
        let eventBody = try #require(requests.first { $0.url.path == "/api/events/filter" }?.body.flatMap { try? JSONValue(parsing: $0) })
        #expect(eventBody["filter"]?["event"]?["exclude_prefix"] == ["prefect.", "prefect-cloud."])
        #expect(eventBody["filter"]?["occurred"]?["since"] != nil && eventBody["filter"]?["occurred"]?["until"] != nil)
    }

    @Test("An events API that ignores the filter, or automations that fail, give null with a note; the rest stands")
    func degrades() async throws {
        var scenario = Scenario()
        scenario.automationStatus = 500
        scenario.events = { _ in
            #"{"events":[{"id":"99999999-9999-4999-8999-999999999999","occurred":"2026-11-30T06:04:00Z","event":"prefect.flow-run.Completed","resource":{"prefect.resource.id":"prefect.flow-run.x"}}],"total":5000,"next_page":null}"#
        }
        let (output, _) = try await Self.call(scenario)
        let a = try Self.row(output, "etl/a")
        #expect(a["output_events"] == .null)
        #expect(a["run_by_automations"] == .null)
        #expect(a["runs"]?["total"] == 6)
        let notes = output["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notes.count == 2, "one note per part, not per deployment: \(notes)")
        #expect(notes.contains { $0.hasPrefix("output_events unavailable: the events API ignored the filter") })
        #expect(notes.contains { $0.hasPrefix("run_by_automations unavailable:") && $0.contains("500") })
    }

    @Test("window_days out of range and a filter key Prefect would drop are errors naming the argument")
    func badArguments() async throws {
        await #expect {
            try await Self.call(Scenario(), ["window_days": 0])
        } throws: { String(describing: $0).hasPrefix("window_days: 0 is out of range") }
        await #expect {
            try await Self.call(Scenario(), ["filter": ["paused": ["eq": true]]])
        } throws: { String(describing: $0).contains("filter.paused.eq") }
    }

    @Test("limit 1 pages with a cursor that keeps the window's end, and visits each deployment once")
    func paging() async throws {
        let transport = FakeTransport { request, _ in
            guard request.url.path == "/api/deployments/filter" else { return Scenario().answer(request) }
            let body = request.body.flatMap { try? JSONValue(parsing: $0) } ?? .null
            let all = try JSONValue(parsing: Scenario().answer(request).body).arrayValue ?? []
            let offset = body["offset"]?.intValue ?? 0
            let limit = body["limit"]?.intValue ?? 200
            return HTTPResponseData(status: 200, body: Data(JSONValue.array(Array(all.dropFirst(offset).prefix(limit))).jsonText.utf8))
        }
        let registry = ToolsFixture.registry(ToolsFixture.environment(transport))
        let first = try await ToolsFixture.call("get_deployment_activity", ["limit": 1, "window_days": 7], in: registry).structured
        #expect(first["truncated"] == true)
        let cursor = try #require(first["next_cursor"]?.stringValue)
        try await Task.sleep(for: .milliseconds(20))
        let second = try await ToolsFixture.call("get_deployment_activity", ["limit": 1, "window_days": 7, "cursor": .string(cursor)], in: registry)
            .structured
        #expect(first["deployments"]?[0]?["slug"] == "etl/a" && second["deployments"]?[0]?["slug"] == "etl/b")
        #expect(second["truncated"] == false)
        #expect(first["window"] == second["window"], "every page counts over the same window")
        #expect(first["window"]?["days"] == 7)
        await #expect {
            try await ToolsFixture.call("get_deployment_activity", ["limit": 1, "window_days": 30, "cursor": .string(cursor)], in: registry)
        } throws: { String(describing: $0).hasPrefix("cursor: not a cursor of get_deployment_activity") }
    }
}
