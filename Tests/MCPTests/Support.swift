import Foundation
import JSONValue
import Synchronization

@testable import MCP

/// Collects frames in memory.
final class CollectingSink: FrameSink {
    private let frames = Mutex<[Data]>([])
    func send(_ frame: Data) { frames.withLock { $0.append(frame) } }
    func flush() async {}
    var messages: [JSONValue] {
        frames.withLock { $0 }.map { (try? JSONDecoder().decode(JSONValue.self, from: $0)) ?? "unparseable" }
    }
}

/// Small tools that exercise the protocol: echo, slow, progress, failure, a broken output.
enum TestTools {
    static let echo = ToolDefinition(
        name: "echo", title: "Echo", description: "Returns its text.",
        inputSchema: [
            "type": "object", "additionalProperties": false, "required": ["text"],
            "properties": ["text": ["type": "string", "maxLength": 100], "repeat": ["type": "integer", "minimum": 1, "maximum": 3]],
        ],
        outputSchema: ["type": "object", "required": ["text"], "properties": ["text": ["type": "string"]]],
        annotations: .readOnly
    ) { arguments, _ in
        let text = arguments["text"]?.stringValue ?? ""
        return ToolResult(
            ["text": .string(String(repeating: text, count: arguments["repeat"]?.intValue ?? 1))],
            links: [ResourceLink(uri: "test://echo/\(text)", name: text)])
    }

    static let slow = ToolDefinition(
        name: "slow", title: "Slow", description: "Sleeps, reporting progress.",
        inputSchema: ["type": "object", "properties": ["steps": ["type": "integer", "minimum": 1, "maximum": 100]]],
        outputSchema: nil, annotations: .readOnly
    ) { arguments, context in
        let steps = arguments["steps"]?.intValue ?? 3
        for step in 1...steps {
            try await Task.sleep(for: .milliseconds(20))
            context.reportProgress(Double(step), total: Double(steps), message: "step \(step)")
        }
        return ToolResult(["steps": .int(steps)])
    }

    static let fail = ToolDefinition(
        name: "fail", title: "Fail", description: "Always fails.", inputSchema: ["type": "object"], outputSchema: nil, annotations: .readOnly
    ) { _, _ in throw ToolError("Prefect said no") }

    static let broken = ToolDefinition(
        name: "broken", title: "Broken", description: "Breaks its output schema.", inputSchema: ["type": "object"],
        outputSchema: ["type": "object", "required": ["count"], "properties": ["count": ["type": "integer"]]], annotations: .readOnly
    ) { _, _ in ToolResult(["count": "many"]) }

    static let registry = Registry(
        tools: [echo, slow, fail, broken],
        resourceTemplates: [
            ResourceTemplateDefinition(
                uriTemplate: "test://things/{id}", name: "thing", description: "A thing by id.",
                completions: ["id": { prefix, _ in ["alpha", "beta", "alpine"].filter { $0.hasPrefix(prefix) } }]
            ) { variables, _ in
                guard variables["id"] != "missing" else { throw ToolError("Thing not found: missing") }
                return [ResourceContents(uri: "test://things/\(variables["id"]!)", text: #"{"id":"\#(variables["id"]!)"}"#)]
            }
        ],
        prompts: [
            PromptDefinition(
                name: "debug_thing", title: "Debug a thing", description: "Walks through a thing.",
                arguments: [
                    PromptArgument(
                        name: "thing", description: "Its id", required: true,
                        completion: { prefix, _ in ["alpha", "beta"].filter { $0.hasPrefix(prefix) } })
                ]
            ) { arguments, _ in PromptResult(description: "Debug \(arguments["thing"]!)", messages: ["Look at \(arguments["thing"]!)."]) }
        ]
    )

    static let info = ServerInfo(name: "test", version: "1.0", title: "Test", description: "A test server", instructions: "Be nice.")
}

/// Serves `lines` then end of input, and returns every frame written.
func serve(_ lines: [String], registry: Registry = TestTools.registry) async -> [JSONValue] {
    await serve(lines.map { Data($0.utf8) }, registry: registry)
}

/// Serves lines of raw bytes (not always UTF-8) then end of input, and returns every frame written.
func serve(_ lines: [Data], registry: Registry = TestTools.registry) async -> [JSONValue] {
    let sink = CollectingSink()
    let server = MCPServer(info: TestTools.info, registry: registry)
    let (stream, continuation) = AsyncStream<InputEvent>.makeStream()
    for line in lines { continuation.yield(.line(line)) }
    continuation.yield(.end)
    continuation.finish()
    await server.serve(stream, output: sink)
    return sink.messages
}

/// A server serving input fed line by line while the test watches its output: for exchanges whose next line depends
/// on what the server wrote (a cancellation, an answer to its question).
struct LiveServer {
    let sink = CollectingSink()
    private let input: AsyncStream<InputEvent>.Continuation
    private let serving: Task<Void, Never>

    init(registry: Registry = TestTools.registry) {
        let (stream, input) = AsyncStream<InputEvent>.makeStream()
        let server = MCPServer(info: TestTools.info, registry: registry)
        let sink = sink
        self.input = input
        serving = Task { await server.serve(stream, output: sink) }
    }

    func send(_ text: String) {
        input.yield(.line(Data(text.utf8)))
    }

    /// The first message written that matches, waiting up to 2 s for it.
    func written(where matches: (JSONValue) -> Bool) async throws -> JSONValue? {
        for _ in 0..<200 {
            if let found = sink.messages.first(where: matches) { return found }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// Ends the input and waits until every request is answered; returns everything written.
    func finish() async -> [JSONValue] {
        input.yield(.end)
        input.finish()
        await serving.value
        return sink.messages
    }
}

extension [JSONValue] {
    /// The response to request `id`.
    func response(_ id: Int) -> JSONValue? { first { $0["id"] == .int(id) } }
}

let modernMeta: JSONValue = [
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": [:],
    "io.modelcontextprotocol/clientInfo": ["name": "t", "version": "0"],
]

func line(_ value: JSONValue) -> String {
    String(decoding: try! JSONEncoder().encode(value), as: UTF8.self)
}

func request(_ id: Int, _ method: String, _ params: JSONValue = [:]) -> String {
    line(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
}

func modern(_ id: Int, _ method: String, _ params: [String: JSONValue] = [:]) -> String {
    var params = params
    params["_meta"] = modernMeta
    return request(id, method, .object(params))
}

let initialize = request(1, "initialize", ["protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "t", "version": "0"]])
