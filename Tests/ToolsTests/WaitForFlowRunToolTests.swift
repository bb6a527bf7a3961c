import Core
import Foundation
import JSONValue
import MCP
import Synchronization
import TestSupport
import Testing

@testable import Tools

/// `wait_for_flow_run` over a fake transport: its schema and bounds, its refusals, and the progress it reports.
@Suite("wait_for_flow_run: arguments, schema and progress")
struct WaitForFlowRunToolTests {
    static func tool(_ environment: ToolEnvironment = ToolsFixture.environment()) throws -> ToolDefinition {
        try #require(ToolsFixture.registry(environment).tools.first { $0.name == "wait_for_flow_run" })
    }

    /// A fake Prefect whose run is `states[n]` at its n-th read by id (the last from then on); everything else is `[]`.
    static func server(_ states: [(StateType, String)]) throws -> (FakeTransport, id: String) {
        let template = try JSONCoding.decode([FlowRun].self, from: try Data(contentsOf: fixture("flow_runs")))[0]
        let bodies = try states.map { type, name in
            var run = template
            (run.stateType, run.stateName, run.deploymentID) = (type, name, nil)
            run.state = State(type: type, name: name, timestamp: Date().addingTimeInterval(-12))
            return try JSONCoding.encode(run).jsonText
        }
        let reads = Mutex(0)
        let transport = FakeTransport { request, _ in
            let body =
                request.method == "GET" && request.url.path.hasSuffix("/flow_runs/\(template.id)")
                ? reads.withLock { count in
                    defer { count += 1 }
                    return bodies[min(count, bodies.count - 1)]
                } : "[]"
            return HTTPResponseData(status: 200, headers: [], body: Data(body.utf8))
        }
        return (transport, template.id)
    }

    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../CoreTests/Fixtures/responses/\(name).json")
            .standardized
    }

    @Test("It only reads: annotated read-only and registered with writes off; its input is closed and bounded")
    func schema() throws {
        let tool = try Self.tool(ToolsFixture.environment(writes: false))
        #expect(tool.annotations == .readOnly)
        let input = tool.inputSchema
        #expect(input["additionalProperties"] == false && input["required"] == ["flow_run"])
        #expect(input["properties"]?["timeout_seconds"]?["maximum"] == 600 && input["properties"]?["timeout_seconds"]?["minimum"] == 0)
        #expect(input["properties"]?["timeout_seconds"]?["default"] == 300 && input["properties"]?["until"]?["default"] == "final")
        let validator = JSONSchemaValidator(schema: input)
        #expect(validator.validate(["flow_run": "nightly-run", "until": "Running", "timeout_seconds": 600]).isEmpty)
        #expect(
            validator.validate(["flow_run": "x", "timeout_seconds": 601]).map(\.description) == ["timeout_seconds: must be at most 600, got 601"])
        #expect(validator.validate(["flow_run": "x", "timeout_seconds": -1]).map(\.description).first?.hasPrefix("timeout_seconds: ") == true)
        #expect(validator.validate(["flow_run": "x", "wait_seconds": 5]).map(\.description).first?.hasPrefix("wait_seconds: ") == true)
        #expect(validator.validate(["until": "final"]).map(\.description).first?.hasPrefix("flow_run: ") == true)
        #expect(tool.outputSchema?["required"]?.arrayValue?.contains("timed_out") == true)
    }

    @Test("An until that is no Prefect state is refused by name, with the states it takes, before anything is read")
    func badUntil() async throws {
        let (transport, id) = try Self.server([(.running, "Running")])
        let registry = ToolsFixture.registry(ToolsFixture.environment(transport))
        await #expect {
            try await ToolsFixture.call("wait_for_flow_run", ["flow_run": .string(id), "until": "Done"], in: registry)
        } throws: { error in
            let text = String(describing: error)
            return text.hasPrefix("until: 'Done' is not a state Prefect gives runs; use final") && text.contains("Running")
                && text.contains("Late")
        }
        #expect(transport.requests.isEmpty)
    }

    @Test("A run no one has is refused naming flow_run and how to find runs")
    func notFound() async throws {
        let registry = ToolsFixture.registry(ToolsFixture.environment(FakeTransport(status: 200, body: "[]")))
        await #expect {
            try await ToolsFixture.call("wait_for_flow_run", ["flow_run": "no-such-run"], in: registry)
        } throws: { error in
            String(describing: error) == "flow_run: no flow run has the id or name 'no-such-run'. Find runs with get_flow_runs."
        }
    }

    @Test("With a progress token each read is reported, growing, naming the state and for how long it has held")
    func progress() async throws {
        let (transport, id) = try Self.server([(.running, "Running"), (.completed, "Completed")])
        let sent = Mutex<[JSONValue]>([])
        let context = RequestContext(
            requestID: .int(7), era: .legacy(version: "2025-11-25"), progressToken: "p-7",
            notify: { method, params in if method == "notifications/progress" { sent.withLock { $0.append(params) } } })
        let tool = try Self.tool(ToolsFixture.environment(transport))
        let result = try await tool.handler(["flow_run": .string(id), "timeout_seconds": 60], context)
        #expect(result.structured["reached"] == true && result.structured["timed_out"] == false)
        #expect(result.structured["state"]?["name"] == "Completed" && result.structured["run"]?["id"] == .string(id))
        #expect(JSONSchemaValidator(schema: try #require(tool.outputSchema)).validate(result.structured).isEmpty)
        let progress = sent.withLock { $0 }
        #expect(progress.count == 2 && progress.allSatisfy { $0["progressToken"] == "p-7" && $0["total"]?.doubleValue == 60 })
        let values = progress.compactMap { $0["progress"]?.doubleValue }
        #expect(values.count == 2 && values[0] < values[1], "\(values)")
        #expect(progress.first?["message"]?.stringValue?.hasPrefix("Running for 1") == true, "\(progress)")
    }
}
