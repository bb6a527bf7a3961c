import Foundation
import JSONValue
import Testing

@testable import MCP

@Suite("JSON-RPC messages")
struct JSONRPCMessageTests {
    func parse(_ line: String) throws(JSONRPCMessage.Invalid) -> JSONRPCMessage {
        try JSONRPCMessage.parse(Data(line.utf8))
    }

    @Test("Requests, notifications and responses are told apart")
    func classify() throws {
        #expect(try parse(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#) == .request(id: .int(1), method: "ping", params: nil))
        #expect(
            try parse(#"{"jsonrpc":"2.0","id":"a","method":"tools/list","params":{}}"#)
                == .request(id: .string("a"), method: "tools/list", params: [:]))
        #expect(
            try parse(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#) == .notification(method: "notifications/initialized", params: nil))
        #expect(try parse(#"{"jsonrpc":"2.0","id":3,"result":{}}"#) == .response(id: .int(3), result: [:], error: nil))
    }

    @Test(
        "Garbage is -32700 with a null id; wrong shapes are -32600, keeping the id when there is one",
        arguments: [
            ("not json", nil as RequestID?, -32700),
            ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", nil, -32700),
            ("", nil, -32700),
            ("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", nil, -32600),
            ("42", nil, -32600),
            ("{\"id\":7,\"method\":\"ping\"}", .int(7), -32600),
            ("{\"jsonrpc\":\"1.0\",\"id\":\"x\",\"method\":\"ping\"}", .string("x"), -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}", nil, -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", nil, -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":7}", .int(2), -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"params\":\"x\"}", .int(2), -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", nil, -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":5}", .int(5), -32600),
        ])
    func invalid(line: String, id: RequestID?, code: Int) {
        #expect(throws: JSONRPCMessage.Invalid.self) { try parse(line) }
        do {
            _ = try parse(line)
        } catch {
            #expect(error.id == id)
            #expect(error.error.code == code)
        }
    }

    @Test(
        "An id that is not Unicode text (invalid UTF-8, a lone surrogate) is a parse error with id null, not an id changed by repair",
        arguments: [
            Array(#"{"jsonrpc":"2.0","id":"a"#.utf8) + [0xFF] + Array(#"","method":"ping"}"#.utf8),
            Array(#"{"jsonrpc":"2.0","id":"\ud800","method":"ping"}"#.utf8),
            Array(#"{"jsonrpc":"2.0","id":"x\udc00","method":"ping"}"#.utf8),
            Array(#"{"jsonrpc":"2.0","id":01,"method":"ping"}"#.utf8),
        ])
    func unrepairedID(line: [UInt8]) {
        let error = #expect(throws: JSONRPCMessage.Invalid.self) { try JSONRPCMessage.parse(Data(line)) }
        #expect(error?.id == nil)
        #expect(error?.error.code == -32700)
    }

    @Test("Responses are one line with sorted keys; a parse error answers id null")
    func encoding() {
        let ok = String(decoding: JSONRPCEncoding.result(id: .int(1), ["b": "x\ny", "a": 1]), as: UTF8.self)
        #expect(ok == #"{"id":1,"jsonrpc":"2.0","result":{"a":1,"b":"x\ny"}}"#)
        #expect(!ok.contains("\n"))
        let failed = String(decoding: JSONRPCEncoding.error(id: nil, .parseError("Parse error")), as: UTF8.self)
        #expect(failed == #"{"error":{"code":-32700,"message":"Parse error"},"id":null,"jsonrpc":"2.0"}"#)
    }

    @Test("A tool response given its structured content as written text: the same bytes as with the value inside")
    func structuredContentSpliced() {
        let structured: JSONValue = ["rows": [["z": 1, "a": "é\n"]], "count": 1]
        let results: [JSONValue] = [
            ["content": [["type": "text", "text": .string(structured.jsonText)]], "isError": false],
            ["content": [], "isError": false, "resultType": "complete", "_meta": ["x": 1], "zz": true],
            ["zz": true],  // the spliced member first
            [:],  // and alone
        ]
        for (id, result) in zip([RequestID.int(7), .string("a\"b"), .int(8), .int(9)], results) {
            var whole = result
            if case .object(var members) = whole { members["structuredContent"] = structured; whole = .object(members) }
            let spliced = JSONRPCEncoding.result(id: id, result, structuredContent: structured.jsonBytes)
            #expect(spliced == JSONRPCEncoding.result(id: id, whole))
        }
        #expect(JSONRPCEncoding.result(id: .int(1), ["a": 1], structuredContent: nil) == JSONRPCEncoding.result(id: .int(1), ["a": 1]))
    }
}
