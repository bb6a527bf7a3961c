import Foundation
import JSONValue
import TestSupport
import Testing

@testable import Core
@testable import RemoteDocs

@Suite("Remote docs: a minimal MCP client over Streamable HTTP")
struct RemoteDocsTests {
    static let url = URL(string: "https://docs.example.test/mcp")!

    /// A docs server that keeps a session and answers in server-sent events, as fastmcp does.
    static func sseServer(result: String) -> FakeTransport {
        FakeTransport { request, index in
            let message = try JSONDecoder().decode(JSONValue.self, from: request.body ?? Data())
            switch message["method"]?.stringValue {
            case "initialize":
                return HTTPResponseData(
                    status: 200, headers: [("Content-Type", "text/event-stream"), ("Mcp-Session-Id", "s-1")],
                    body: Data(
                        "event: message\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}\r\n\r\n"
                            .utf8))
            case "notifications/initialized":
                return HTTPResponseData(status: 202)
            default:
                let body =
                    "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}}\n\nevent: "
                    + "message\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\ndata: \"result\":\(result)}\n\n"
                return HTTPResponseData(status: 200, headers: [("Content-Type", "text/event-stream")], body: Data(body.utf8))
            }
        }
    }

    @Test("initialize, initialized, tools/call: the session id is carried, no credential is ever sent, results are read")
    func exchange() async throws {
        let transport = Self.sseServer(
            result:
                #"{"structuredContent":{"query":"q","results":[{"title":"Pools","link":"https://docs/p","snippet":"pause it","score":0.9},{"snippet":"two"},{"snippet":"three"}]},"content":[]}"#
        )
        let docs = RemoteDocs(url: Self.url, timeout: 5, userAgent: "prefect-mcp/test", transport: transport)
        let answer = await docs.search("pause a pool", topK: 2)
        #expect(
            answer
                == RemoteDocsAnswer(
                    url: Self.url.absoluteString, status: .ok, error: nil,
                    results: [
                        .init(title: "Pools", link: "https://docs/p", snippet: "pause it"), .init(title: nil, link: nil, snippet: "two"),
                    ]))
        let requests = transport.requests
        #expect(requests.count == 3)
        #expect(requests.map { $0.header("Mcp-Session-Id") } == [nil, "s-1", "s-1"])
        for request in requests {
            #expect(request.header("Authorization") == nil)
            #expect(!request.headers.contains { $0.name.lowercased().hasPrefix("x-prefect") })
            #expect(request.header("Accept") == "application/json, text/event-stream")
        }
        let call = try JSONDecoder().decode(JSONValue.self, from: requests[2].body ?? Data())
        #expect(call["params"] == ["name": "search_prefect", "arguments": ["query": "pause a pool", "top_k": 2]])
    }

    @Test("A tool error, an HTTP error, a JSON-RPC error and a refused connection are answers with a reason, never throws")
    func failures() async {
        let toolError = await RemoteDocs(
            url: Self.url, timeout: 5, transport: Self.sseServer(result: #"{"isError":true,"content":[{"type":"text","text":"index offline"}]}"#)
        )
        .search("q", topK: 1)
        #expect(toolError.status == .error && toolError.error?.contains("index offline") == true)

        let http = await RemoteDocs(url: Self.url, timeout: 5, transport: FakeTransport(status: 502, body: "bad gateway")).search("q", topK: 1)
        #expect(http.status == .error && http.error?.contains("HTTP 502") == true)

        let rpc = await RemoteDocs(
            url: Self.url, timeout: 5,
            transport: FakeTransport(
                status: 200, body: #"{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"no sessions here"}}"#,
                headers: [("Content-Type", "application/json")])
        )
        .search("q", topK: 1)
        #expect(rpc.status == .error && rpc.error?.contains("no sessions here") == true)

        let refused = await RemoteDocs(
            url: Self.url, timeout: 5, transport: FakeTransport { _, _ in throw TransportError.unreachable("connection refused") }
        ).search("q", topK: 1)
        #expect(refused == RemoteDocsAnswer(url: Self.url.absoluteString, status: .unreachable, error: "connection refused", results: []))
    }

    @Test("Text content is read as JSON when it is JSON, else kept as one passage, cut visibly when long")
    func textContent() {
        let json: JSONValue = ["content": [["type": "text", "text": #"{"results":[{"snippet":"from text","title":"T"}]}"#]]]
        #expect(RemoteDocs.results(of: json) == [.init(title: "T", link: nil, snippet: "from text")])
        let long = String(repeating: "a", count: 2000)
        let plain: JSONValue = ["content": [["type": "text", "text": .string(long)]]]
        let cut = RemoteDocs.results(of: plain)
        #expect(
            cut.count == 1 && cut[0].snippet.hasPrefix(String(repeating: "a", count: 1500)) && cut[0].snippet.hasSuffix("[cut: 500 more characters]"))
    }
}
