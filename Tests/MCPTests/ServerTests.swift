import Foundation
import JSONValue
import Testing

@testable import MCP

@Suite("MCP server: legacy era")
struct LegacyEraTests {
    @Test(
        "initialize echoes a legacy version we speak, else answers 2025-11-25 (never a modern one)",
        arguments: [
            ("2024-11-05", "2024-11-05"), ("2025-03-26", "2025-03-26"), ("2025-06-18", "2025-06-18"), ("2025-11-25", "2025-11-25"),
            ("2026-07-28", "2025-11-25"), ("1999-01-01", "2025-11-25"),
        ])
    func negotiation(offered: String, answered: String) async {
        let out = await serve([
            request(1, "initialize", ["protocolVersion": .string(offered), "capabilities": [:], "clientInfo": ["name": "c", "version": "0"]])
        ])
        #expect(out.response(1)?["result"]?["protocolVersion"] == .string(answered))
        #expect(out.response(1)?["result"]?["instructions"] == "Be nice.")
        #expect(out.response(1)?["result"]?["serverInfo"]?["name"] == "test")
    }

    @Test("Capabilities of any JSON shape are accepted (object-valued experimental, extensions, unknown keys)")
    func anyCapabilities() async {
        let out = await serve([
            request(
                1, "initialize",
                [
                    "protocolVersion": "2025-11-25", "clientInfo": ["name": "codex", "version": "0.154"],
                    "capabilities": [
                        "experimental": ["codex/auth-change": [:], "openai/visibility": ["enabled": true]], "extensions": ["x": [1, 2]],
                        "future": "yes",
                    ],
                ])
        ])
        #expect(out.response(1)?["result"]?["protocolVersion"] == "2025-11-25")
    }

    @Test("ping, logging/setLevel and lists answer; legacy results carry no modern fields")
    func basics() async throws {
        let out = await serve([
            initialize, line(["jsonrpc": "2.0", "method": "notifications/initialized"]), request(2, "ping"),
            request(3, "logging/setLevel", ["level": "debug"]), request(4, "tools/list"), request(5, "prompts/list"),
            request(6, "resources/templates/list"), request(7, "resources/list"),
        ])
        #expect(out.response(2)?["result"] == [:])
        #expect(out.response(3)?["result"] == [:])
        let tools = try #require(out.response(4)?["result"]?["tools"]?.arrayValue)
        #expect(tools.map { $0["name"] } == ["echo", "slow", "fail", "broken"], "deterministic order")
        #expect(tools[0]["annotations"]?["readOnlyHint"] == true)
        #expect(tools[0]["annotations"]?["openWorldHint"] == false)
        #expect(out.response(4)?["result"]?["resultType"] == nil)
        #expect(out.response(5)?["result"]?["prompts"]?.arrayValue?.count == 1)
        #expect(out.response(6)?["result"]?["resourceTemplates"]?.arrayValue?.first?["uriTemplate"] == "test://things/{id}")
        #expect(out.response(7)?["result"]?["resources"] == [])
    }

    @Test("A request carrying the 2026-07-28 envelope is refused on a legacy connection; server/discover is unknown")
    func envelopeOnLegacy() async {
        let out = await serve([initialize, modern(2, "tools/list"), request(3, "server/discover")])
        #expect(out.response(2)?["error"]?["code"] == -32600)
        #expect(out.response(3)?["error"]?["code"] == -32601)
    }
}

@Suite("MCP server: modern era (2026-07-28)")
struct ModernEraTests {
    @Test("server/discover: versions, capabilities, instructions, cache policy, resultType, server info")
    func discover() async throws {
        let out = await serve([modern(1, "server/discover")])
        let result = try #require(out.response(1)?["result"])
        #expect(result["supportedVersions"] == ["2026-07-28"])
        #expect(result["resultType"] == "complete")
        #expect(result["ttlMs"]?.intValue != nil)
        #expect(result["cacheScope"] == "private")
        #expect(result["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"] == "test")
        #expect(result["capabilities"]?["tools"] != nil)
        #expect(result["capabilities"]?["logging"] == nil)
        #expect(result["instructions"] == "Be nice.")
    }

    @Test("Every result has resultType; lists and reads have ttlMs and cacheScope; calls do not")
    func resultFields() async {
        let out = await serve([
            modern(1, "tools/list"), modern(2, "tools/call", ["name": "echo", "arguments": ["text": "hi"]]),
            modern(3, "resources/read", ["uri": "test://things/alpha"]),
        ])
        #expect(out.response(1)?["result"]?["resultType"] == "complete")
        #expect(out.response(1)?["result"]?["cacheScope"] == "private")
        #expect(out.response(2)?["result"]?["resultType"] == "complete")
        #expect(out.response(2)?["result"]?["ttlMs"] == nil)
        #expect(out.response(3)?["result"]?["ttlMs"] == 0)
    }

    @Test("Envelope errors: missing → -32602 naming the key; unsupported version → -32022 with data; initialize and ping refused")
    func envelopeErrors() async throws {
        let noCapabilities = request(2, "tools/list", ["_meta": ["io.modelcontextprotocol/protocolVersion": "2026-07-28"]])
        let badVersion = request(
            3, "tools/list", ["_meta": ["io.modelcontextprotocol/protocolVersion": "2099-01-01", "io.modelcontextprotocol/clientCapabilities": [:]]])
        let out = await serve([
            modern(1, "server/discover"), noCapabilities, badVersion, request(4, "tools/list"), modern(5, "initialize"), modern(6, "ping"),
            modern(7, "logging/setLevel"),
        ])
        #expect(out.response(2)?["error"]?["code"] == -32602)
        #expect(out.response(2)?["error"]?["message"]?.stringValue?.contains("clientCapabilities") == true)
        #expect(out.response(3)?["error"]?["code"] == -32022)
        #expect(out.response(3)?["error"]?["data"] == ["supported": ["2026-07-28"], "requested": "2099-01-01"])
        #expect(out.response(4)?["error"]?["code"] == -32602)
        #expect(out.response(5)?["error"]?["code"] == -32022)
        #expect(out.response(5)?["error"]?["message"]?.stringValue?.contains("initialize handshake is not accepted") == true)
        #expect(out.response(6)?["error"]?["code"] == -32601)
        #expect(out.response(7)?["error"]?["code"] == -32601)
    }

    @Test("initialize after server/discover is refused as a handshake, whether it carries the envelope, part of it or none")
    func initializeAfterDiscover() async {
        let handshake: [String: JSONValue] = ["protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "t", "version": "0"]]
        var partial = handshake
        partial["_meta"] = ["io.modelcontextprotocol/protocolVersion": "2026-07-28"]
        let out = await serve([
            modern(1, "server/discover"), modern(2, "initialize", handshake), request(3, "initialize", .object(handshake)),
            request(4, "initialize", .object(partial)), modern(5, "tools/list"),
        ])
        let refusal = "connection is serving the 2026-07-28 protocol; the initialize handshake is not accepted"
        for id in 2...4 {
            #expect(out.response(id)?["error"]?["code"] == -32022, "\(id)")
            #expect(out.response(id)?["error"]?["message"] == .string(refusal), "\(id)")
            #expect(out.response(id)?["error"]?["data"]?["requested"] == "2025-11-25", "\(id)")
        }
        #expect(out.response(5)?["result"]?["tools"] != nil, "still modern")
    }
}

@Suite("MCP server: tools, resources, prompts, completions")
struct CapabilityTests {
    @Test("A call returns structured content mirrored as JSON text, plus resource links")
    func call() async throws {
        let out = await serve([initialize, request(2, "tools/call", ["name": "echo", "arguments": ["text": "hi", "repeat": 2]])])
        let result = try #require(out.response(2)?["result"])
        #expect(result["isError"] == false)
        #expect(result["structuredContent"] == ["text": "hihi"])
        #expect(result["content"]?[0]?["type"] == "text")
        #expect(result["content"]?[0]?["text"] == #"{"text":"hihi"}"#)
        #expect(result["content"]?.arrayValue?[1]["type"] == "resource_link")
    }

    @Test("Arguments are validated before the handler: isError naming the path and what was expected")
    func validation() async throws {
        let out = await serve([
            initialize,
            request(2, "tools/call", ["name": "echo", "arguments": ["text": 5]]),
            request(3, "tools/call", ["name": "echo", "arguments": ["text": "x", "repeat": 9, "extra": true]]),
            request(4, "tools/call", ["name": "echo", "arguments": [:]]),
            request(5, "tools/call", ["name": "echo", "arguments": [1]]),
        ])
        func message(_ id: Int) -> String { out.response(id)?["result"]?["content"]?[0]?["text"]?.stringValue ?? "" }
        #expect(out.response(2)?["result"]?["isError"] == true)
        #expect(message(2).contains("text: expected a string, got a number (5)"))
        #expect(message(3).contains("repeat: must be at most 3, got 9"))
        #expect(message(3).contains("extra: is not allowed here (allowed: repeat, text)"))
        #expect(message(4).contains("text: is required"))
        #expect(message(5).contains("must be an object"))
    }

    @Test("Unknown tool → -32602; handler errors → isError; a result breaking its output schema → -32603 in debug builds")
    func errors() async {
        let out = await serve([
            initialize, request(2, "tools/call", ["name": "nope"]), request(3, "tools/call", ["name": "fail"]),
            request(4, "tools/call", ["name": "broken"]), request(5, "frobnicate"),
        ])
        #expect(out.response(2)?["error"]?["code"] == -32602)
        #expect(out.response(3)?["result"]?["isError"] == true)
        #expect(out.response(3)?["result"]?["content"]?[0]?["text"] == "Prefect said no")
        #expect(out.response(4)?["error"]?["code"] == -32603)
        #expect(out.response(5)?["error"]?["code"] == -32601)
    }

    @Test("Progress notifications precede the response when a token is given")
    func progress() async throws {
        let out = await serve([initialize, request(2, "tools/call", ["name": "slow", "arguments": ["steps": 3], "_meta": ["progressToken": "p1"]])])
        let progress = out.filter { $0["method"] == "notifications/progress" }
        #expect(progress.map { $0["params"]?["progress"]?.doubleValue } == [1, 2, 3])
        #expect(progress.allSatisfy { $0["params"]?["progressToken"] == "p1" && $0["params"]?["total"] == 3 })
        let responseIndex = try #require(out.firstIndex { $0["id"] == 2 })
        let lastProgress = try #require(out.lastIndex { $0["method"] == "notifications/progress" })
        #expect(lastProgress < responseIndex)
    }

    @Test("A cancelled request gets no response; the server keeps serving")
    func cancellation() async throws {
        let server = LiveServer()
        server.send(initialize)
        server.send(request(2, "tools/call", ["name": "slow", "arguments": ["steps": 100]]))
        try await Task.sleep(for: .milliseconds(50))
        server.send(line(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 2, "reason": "user"]]))
        server.send(request(3, "ping"))
        let out = await server.finish()
        #expect(out.response(3)?["result"] == [:])
        #expect(out.response(2) == nil)
    }

    @Test("Resources read through templates; unknown or failing ones are -32602")
    func resources() async {
        let out = await serve([
            initialize, request(2, "resources/read", ["uri": "test://things/alpha"]), request(3, "resources/read", ["uri": "test://nothing"]),
            request(4, "resources/read", ["uri": "test://things/missing"]), request(5, "resources/read", ["uri": "test://things/a/b"]),
        ])
        #expect(out.response(2)?["result"]?["contents"]?[0]?["text"] == #"{"id":"alpha"}"#)
        #expect(out.response(3)?["error"]?["code"] == -32602)
        #expect(out.response(4)?["error"]?["message"] == "Thing not found: missing")
        #expect(out.response(5)?["error"]?["code"] == -32602)
    }

    @Test("Prompts render with arguments; missing or unknown arguments are -32602; completions filter by prefix")
    func promptsAndCompletions() async {
        let out = await serve([
            initialize,
            request(2, "prompts/get", ["name": "debug_thing", "arguments": ["thing": "alpha"]]),
            request(3, "prompts/get", ["name": "debug_thing"]),
            request(4, "prompts/get", ["name": "debug_thing", "arguments": ["thing": "a", "other": "b"]]),
            request(
                5, "completion/complete", ["ref": ["type": "ref/prompt", "name": "debug_thing"], "argument": ["name": "thing", "value": "al"]]),
            request(
                6, "completion/complete", ["ref": ["type": "ref/resource", "uri": "test://things/{id}"], "argument": ["name": "id", "value": "al"]]),
            request(7, "prompts/get", ["name": "nope"]),
        ])
        #expect(out.response(2)?["result"]?["messages"]?[0]?["content"]?["text"] == "Look at alpha.")
        #expect(out.response(3)?["error"]?["code"] == -32602)
        #expect(out.response(4)?["error"]?["code"] == -32602)
        #expect(out.response(5)?["result"]?["completion"]?["values"] == ["alpha"])
        #expect(out.response(6)?["result"]?["completion"]?["values"] == ["alpha", "alpine"])
        #expect(out.response(7)?["error"]?["code"] == -32602)
    }

    @Test("Errors about a client's names quote at most 200 characters of them")
    func longNames() async throws {
        let long = String(repeating: "n", count: 1 << 20)
        let out = await serve([
            initialize, request(2, "tools/call", ["name": .string(long)]), request(3, long),
            request(4, "prompts/get", ["name": .string(long)]), request(5, "resources/read", ["uri": .string(long)]),
        ])
        for id in 2...5 {
            let error = try #require(out.response(id)?["error"])
            let text = String(decoding: try JSONEncoder().encode(error), as: UTF8.self)
            #expect(text.count < 800, "response \(id) is \(text.count) characters")
            #expect(text.contains("[cut: \((1 << 20) - 200) more characters]"))
        }
    }

    @Test("Garbage lines get -32700 with id null, and the next request is still answered")
    func keepsServing() async {
        let out = await serve(["garbage", "{\"jsonrpc\":", initialize, "[1,2]", request(2, "ping")])
        #expect(out.filter { $0["error"]?["code"] == -32700 && $0["id"] == .null }.count == 2)
        #expect(out.contains { $0["error"]?["code"] == -32600 })
        #expect(out.response(2)?["result"] == [:])
    }

    @Test("A request whose id is not Unicode text gets -32700 with id null, not a response to an id changed by repair")
    func unrepairedID() async {
        let invalidUTF8 = Data(#"{"jsonrpc":"2.0","id":"a"#.utf8) + [0xFF] + Data(#"","method":"ping"}"#.utf8)
        let loneSurrogate = Data(#"{"jsonrpc":"2.0","id":"\ud800","method":"ping"}"#.utf8)
        let out = await serve([Data(initialize.utf8), invalidUTF8, loneSurrogate, Data(request(2, "ping").utf8)])
        #expect(out.count == 4)
        #expect(out.filter { $0["error"]?["code"] == -32700 && $0["id"] == .null }.count == 2)
        #expect(out.response(2)?["result"] == [:])
    }

    @Test("Every request received before end of input is answered")
    func drainsAtEOF() async {
        let calls = (2..<22).map { request($0, "tools/call", ["name": "slow", "arguments": ["steps": 2]]) }
        let out = await serve([initialize] + calls)
        #expect((2..<22).allSatisfy { out.response($0)?["result"]?["isError"] == false })
    }
}
