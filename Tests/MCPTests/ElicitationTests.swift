import Foundation
import JSONValue
import Testing

@testable import MCP

/// Asking the client's user: a server-to-client `elicitation/create` in the handshake era, an `input_required` round
/// in 2026-07-28, nothing for a client that declared no `elicitation`.
@Suite("Elicitation in both eras")
struct ElicitationTests {
    /// A tool that asks "Sure?" and says what it heard.
    static let ask = ToolDefinition(
        name: "ask", title: "Ask", description: "Asks the user.", inputSchema: ["type": "object"], outputSchema: nil,
        annotations: .readOnly
    ) { _, context in
        let answer = try await context.elicit(
            key: "confirm", message: "Sure?",
            requestedSchema: ["type": "object", "properties": ["confirm": ["type": "boolean"]], "required": ["confirm"]])
        let heard: JSONValue =
            switch answer {
            case .accepted(let content): ["accepted": content]
            case .declined: "declined"
            case .cancelled: "cancelled"
            case .unsupported: "unsupported"
            }
        return ToolResult(["heard": heard])
    }
    static let registry = Registry(tools: [ask])

    static func initialize(_ capabilities: JSONValue, version: String = "2025-11-25") -> String {
        request(1, "initialize", ["protocolVersion": .string(version), "capabilities": capabilities, "clientInfo": ["name": "t", "version": "0"]])
    }

    static func heard(_ response: JSONValue?) -> JSONValue? {
        response?["result"]?["structuredContent"]?["heard"]
    }

    @Test("Handshake era: the server asks with elicitation/create and the tool gets the client's answer")
    func legacy() async throws {
        let server = LiveServer(registry: Self.registry)
        server.send(Self.initialize(["elicitation": [:]]))
        server.send(request(2, "tools/call", ["name": "ask", "arguments": [:]]))
        let question = try #require(try await server.written { $0["method"] == "elicitation/create" })
        #expect(question["params"] == ["mode": "form", "message": "Sure?", "requestedSchema": Self.ask.inputSchemaForTest])
        server.send(line(["jsonrpc": "2.0", "id": question["id"]!, "result": ["action": "accept", "content": ["confirm": true]]]))
        #expect(Self.heard(await server.finish().response(2)) == ["accepted": ["confirm": true]])
    }

    @Test("Handshake era: 2025-06-18 gets no mode; a client without elicitation is never asked; input ending mid-question ends the call")
    func legacyEdges() async {
        let older = await serve(
            [Self.initialize(["elicitation": [:]], version: "2025-06-18"), request(2, "tools/call", ["name": "ask"])], registry: Self.registry)
        let question = older.first { $0["method"] == "elicitation/create" }
        #expect(question?["params"]?["mode"] == nil && question?["params"]?["message"] == "Sure?")
        // The input ended before an answer: the call still gets a response, an error naming why.
        #expect(older.response(2)?["result"]?["isError"] == true)
        let unable = await serve([Self.initialize([:]), request(2, "tools/call", ["name": "ask"])], registry: Self.registry)
        #expect(!unable.contains { $0["method"] == "elicitation/create" })
        #expect(Self.heard(unable.response(2)) == "unsupported")
    }

    @Test("2026-07-28: input_required with the question, then the retry with inputResponses gets the answer")
    func modernRounds() async {
        let meta: JSONValue = [
            "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": ["elicitation": [:]],
            "io.modelcontextprotocol/clientInfo": ["name": "t", "version": "0"],
        ]
        let call: JSONValue = ["name": "ask", "arguments": [:], "_meta": meta]
        let retry: JSONValue = ["name": "ask", "arguments": [:], "_meta": meta, "inputResponses": ["confirm": ["action": "decline"]]]
        let answers = await serve(
            [
                line(["jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": call]),
                line(["jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": retry]),
            ],
            registry: Self.registry)
        let first = answers.response(1)?["result"]
        #expect(first?["resultType"] == "input_required")
        #expect(first?["inputRequests"]?["confirm"]?["method"] == "elicitation/create")
        #expect(first?["inputRequests"]?["confirm"]?["params"]?["message"] == "Sure?")
        #expect(first?["inputRequests"]?["confirm"]?["params"]?["mode"] == "form")
        #expect(answers.response(2)?["result"]?["resultType"] == "complete" && Self.heard(answers.response(2)) == "declined")
        let unable = await serve([modern(3, "tools/call", ["name": "ask", "arguments": [:]])], registry: Self.registry)
        #expect(Self.heard(unable.response(3)) == "unsupported")
    }
}

extension ToolDefinition {
    /// The schema the `ask` tool requests, as sent.
    fileprivate var inputSchemaForTest: JSONValue {
        ["type": "object", "properties": ["confirm": ["type": "boolean"]], "required": ["confirm"]]
    }
}
