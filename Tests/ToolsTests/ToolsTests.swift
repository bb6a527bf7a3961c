import Core
import Foundation
import JSONValue
import MCP
import TestSupport
import Testing

@testable import Tools

@Suite("Tools without a server: budget, clipping, cursors, workspace_id, orientation")
struct ToolsTests {
    @Test("A list stays under the 40 KB budget, says how many rows did not fit, and its cursor starts after the last row shown")
    func budget() throws {
        let row: JSONValue = ["id": "x", "text": .string(String(repeating: "a", count: 1_000))]
        let cursor = PageCursor(offset: 0, scope: "get_flow_runs:abc", anchor: 1_000)
        let output = ListOutput(key: "flow_runs", items: Array(repeating: row, count: 100), next: .offset(cursor, truncated: false)).json()
        #expect(output.jsonByteCount <= ListOutput.budget)
        let shown = try #require(output["count"]?.intValue)
        #expect(shown > 30 && shown < 40)
        #expect(output["truncated"] == true)
        #expect(output["note"]?.stringValue == "\(100 - shown) more rows did not fit the 40 KB budget; pass next_cursor for them")
        let token = try #require(output["next_cursor"]?.stringValue)
        let next = try #require(PageCursor(token, scope: "get_flow_runs:abc"))
        #expect(next.offset == shown && next.anchor == 1_000)
    }

    @Test("A list that fits has no cursor; one the server truncated has one")
    func fits() {
        let cursor = PageCursor(offset: 10, scope: "s", anchor: 0)
        let whole = ListOutput(key: "rows", items: [["id": 1]], next: .offset(cursor, truncated: false)).json()
        #expect(whole["next_cursor"] == .null && whole["truncated"] == false && whole["note"] == nil)
        let more = ListOutput(key: "rows", items: [["id": 1]], next: .offset(cursor, truncated: true)).json()
        #expect(PageCursor(more["next_cursor"]?.stringValue ?? "", scope: "s")?.offset == 11)
    }

    @Test("Long strings are cut with a marker, however deep; short ones are left alone")
    func clipping() {
        let long = String(repeating: "é", count: 2_500)
        let value: JSONValue = ["a": ["b": [.string(long), "short"]], "c": "kept"]
        let clipped = ListOutput.clip(value)
        #expect(clipped["a"]?["b"]?[0]?.stringValue == String(repeating: "é", count: 2_000) + " … [cut: 500 more characters]")
        #expect(clipped["a"]?["b"]?[1] == "short" && clipped["c"] == "kept")
        #expect(ListOutput.clip(["c": "kept"]) == ["c": "kept"])
    }

    @Test("A cursor belongs to its tool and its arguments; limit and cursor may change between pages")
    func cursorScopes() throws {
        let now = Date(timeIntervalSince1970: 5_000)
        let first = try ToolArguments(["filter": ["name": ["like_": "etl"]], "limit": 10], tool: "get_flow_runs", now: now).cursor()
        #expect(first.offset == 0 && first.anchor == 5_000)
        var next = first
        next.offset = 10
        let token = JSONValue.string(next.encoded)
        let same = try ToolArguments(["filter": ["name": ["like_": "etl"]], "limit": 50, "cursor": token], tool: "get_flow_runs").cursor()
        #expect(same.offset == 10 && same.anchor == 5_000)
        #expect(throws: ToolError.self) {
            try ToolArguments(["filter": ["name": ["like_": "other"]], "cursor": token], tool: "get_flow_runs").cursor()
        }
        #expect(throws: ToolError.self) { try ToolArguments(["filter": ["name": ["like_": "etl"]], "cursor": token], tool: "get_flows").cursor() }
        #expect(throws: ToolError.self) { try ToolArguments(["cursor": "not a cursor"], tool: "get_flow_runs").cursor() }
    }

    @Test("workspace_id: dropped when it is the configured workspace, an error naming what to do otherwise")
    func workspaceID() async throws {
        let workspace = "2b3c4d5e-0000-4000-8000-000000000002"
        let cloud = URL(string: "https://api.prefect.cloud/api/accounts/1a2b3c4d-0000-4000-8000-000000000001/workspaces/\(workspace)")!
        let received = Received()
        let echo = ToolDefinition(
            name: "probe", title: "Probe", description: "", inputSchema: ["type": "object", "properties": [:]], outputSchema: nil,
            annotations: .readOnly
        ) { arguments, _ in
            await received.set(arguments)
            return ToolResult([:])
        }
        _ = try await echo.acceptingWorkspaceID(ToolsFixture.environment(apiURL: cloud)).handler(
            ["workspace_id": .string(workspace.uppercased()), "x": 1], ToolsFixture.context)
        #expect(await received.arguments == ["x": 1])

        let other = "2b3c4d5e-0000-4000-8000-000000000009"
        await #expect {
            try await echo.acceptingWorkspaceID(ToolsFixture.environment(apiURL: cloud)).handler(
                ["workspace_id": .string(other)], ToolsFixture.context)
        } throws: { error in
            String(describing: error).contains("/workspaces/\(other)") && String(describing: error).contains("restart the MCP server")
        }
        await #expect {
            try await echo.acceptingWorkspaceID(ToolsFixture.environment()).handler(["workspace_id": .string(other)], ToolsFixture.context)
        } throws: { error in
            String(describing: error).contains("self-hosted") && String(describing: error).contains("omit workspace_id")
        }
        let wrapped = echo.acceptingWorkspaceID(ToolsFixture.environment())
        #expect(wrapped.inputSchema["properties"]?["workspace_id"]?["format"] == "uuid")
    }

    @Test("The official server's tools that take workspace_id, and only they, accept it")
    func workspaceIDTools() {
        for tool in ToolsFixture.registry().tools {
            let accepts = tool.inputSchema["properties"]?["workspace_id"] != nil
            #expect(accepts == PrefectTools.officialTakingWorkspaceID.contains(tool.name), "\(tool.name)")
        }
    }

    @Test("orientation names every registered tool, and no tool that is not registered")
    func orientation() async throws {
        let registry = ToolsFixture.registry()
        let guide = try #require(try await ToolsFixture.call("orientation", in: registry).structured["guide"]?.stringValue)
        let registered = Set(registry.tools.map(\.name)).subtracting(["orientation"])
        let named = Set(guide.matches(of: /\b(?:get|diagnose|read|review|search|run|cancel|retry|set|wait)_[a-z_]+\b/).map { String($0.output) })
        #expect(
            named == registered,
            "named but not registered: \(named.subtracting(registered)); registered but not named: \(registered.subtracting(named))")
        // Without writes, the guide names none of the write tools and says nothing changes.
        let readOnly = ToolsFixture.registry(ToolsFixture.environment(writes: false))
        let plain = try #require(try await ToolsFixture.call("orientation", in: readOnly).structured["guide"]?.stringValue)
        #expect(ToolsFixture.writeTools.allSatisfy { !plain.contains($0) } && plain.contains("it never changes anything"))
    }

    @Test("Read tools are annotated read-only, write tools as changing Prefect; every input schema is closed")
    func annotations() {
        for tool in ToolsFixture.registry().tools {
            if ToolsFixture.writeTools.contains(tool.name) {
                // Retrying starts work again but destroys nothing; cancelling and pausing stop work.
                #expect(!tool.annotations.readOnlyHint && tool.annotations.openWorldHint, "\(tool.name)")
                #expect(tool.annotations.destructiveHint == ["cancel_flow_run", "set_paused"].contains(tool.name), "\(tool.name)")
                #expect(tool.inputSchema["properties"]?["dry_run"]?["default"] == false, "\(tool.name)")
            } else {
                #expect(tool.annotations == .readOnly, "\(tool.name)")
            }
            #expect(tool.inputSchema["additionalProperties"] == false, "\(tool.name)")
        }
    }

    @Test("Without the user's permission no write tool is registered, and the server says it only reads")
    func writesOff() {
        let names = Set(ToolsFixture.registry(ToolsFixture.environment(writes: false)).tools.map(\.name))
        #expect(names.isDisjoint(with: ToolsFixture.writeTools) && names.contains("get_dashboard"))
        #expect(Set(ToolsFixture.registry().tools.map(\.name)).isSuperset(of: ToolsFixture.writeTools))
        #expect(PrefectTools.serverInfo(version: "1").instructions.contains("this server has no write tools"))
        #expect(PrefectTools.serverInfo(version: "1", writes: true).instructions.contains("run_deployment, cancel_flow_run, retry_flow_run and"))
    }

    @Test("Without settings every Prefect tool answers with how to configure them")
    func notConfigured() async throws {
        let environment = ToolEnvironment(settings: .failure(.missingAPIURL(checked: ["--api-url"])), client: nil)
        await #expect {
            try await ToolsFixture.call("get_flow_runs", [:], in: ToolsFixture.registry(environment))
        } throws: { error in
            String(describing: error).hasPrefix("prefect-mcp is not connected to Prefect: No Prefect API URL is configured")
        }
    }
}

private actor Received {
    var arguments: JSONValue?
    func set(_ value: JSONValue) { arguments = value }
}

@Suite("read_events pages by the server's token without losing rows the budget left out")
struct ReadEventsTests {
    /// One page of `count` events of about 2 KB each, and a next page token when `next` is given.
    static func page(_ count: Int, from first: Int, next: String?) -> String {
        let events = (first..<(first + count)).map { index in
            #"{"id":"00000000-0000-4000-8000-\#(String(format: "%012d", index))","event":"prefect.flow-run.Completed","occurred":"2026-11-30T07:00:00Z","resource":{"prefect.resource.id":"prefect.flow-run.\#(index)"},"payload":{"blob":"\#(String(repeating: "x", count: 1_900))"}}"#
        }
        let nextPage = next.map { #""http://prefect.test:4200/api/events/filter/next?page-token=\#($0)""# } ?? "null"
        return #"{"events":[\#(events.joined(separator: ","))],"total":60,"next_page":\#(nextPage)}"#
    }

    @Test("A page cut by the budget continues on the same page, then on the server's next page; every event once")
    func continuation() async throws {
        let transport = FakeTransport { request, _ in
            let token = request.url.query?.contains("page-token=T2") == true
            return HTTPResponseData(status: 200, body: Data((token ? Self.page(10, from: 50, next: nil) : Self.page(50, from: 0, next: "T2")).utf8))
        }
        let registry = ToolsFixture.registry(ToolsFixture.environment(transport))
        var seen: [String] = []
        var cursor: JSONValue?
        for _ in 0..<10 {
            let arguments: JSONValue = cursor.map { ["occurred_after": "7d", "cursor": $0] } ?? ["occurred_after": "7d"]
            let output = try await ToolsFixture.call("read_events", arguments, in: registry).structured
            seen += (output["events"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            #expect(output.jsonByteCount <= ListOutput.budget)
            cursor = output["next_cursor"]
            if cursor == .null { break }
            #expect(output["truncated"] == true)
        }
        #expect(seen.count == 60)
        #expect(Set(seen).count == 60)
        #expect(seen.first == "00000000-0000-4000-8000-000000000000" && seen.last == "00000000-0000-4000-8000-000000000059")
    }

    @Test("A cursor of another tool, or garbage, is refused by name")
    func badCursor() async {
        await #expect {
            try await ToolsFixture.call("read_events", ["cursor": "nonsense"])
        } throws: { error in
            String(describing: error).hasPrefix("cursor: not a cursor of read_events")
        }
    }
}
