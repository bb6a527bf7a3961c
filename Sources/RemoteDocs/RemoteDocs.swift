package import Core
package import FoundationEssentials
import JSONValue

/// What a remote docs MCP server answered, or why it did not.
package struct RemoteDocsAnswer: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    package enum Status: String, Codable, Sendable {
        case ok, unreachable, timeout, error
    }

    package struct Result: Codable, Sendable, Equatable {
        package var title: String?
        package var link: String?
        package var snippet: String
    }

    package var url: String
    package var status: Status
    package var error: String?
    package var results: [Result]

    enum CodingKeys: String, CodingKey { case url, status, error, results }
}

/// Searches a remote documentation server that speaks MCP over Streamable HTTP (Prefect's is
/// `https://prefect-docs.fastmcp.app/mcp`, tool `search_prefect`): initialize, then one `tools/call`.
///
/// It sends only what the protocol needs (content type, accept, protocol version, session id, user agent) and never
/// a credential: no Prefect key, auth string or client header reaches the docs server. The whole exchange has one
/// deadline; a docs server that is down or slow costs at most `timeout` seconds and never fails the caller.
package struct RemoteDocs: Sendable {
    package var url: URL
    package var timeout: Double
    package var tool: String
    package var userAgent: String
    private let transport: any HTTPTransport

    package static let defaultTool = "search_prefect"
    /// The longest snippet kept; longer ones are cut with a marker.
    package static let snippetLimit = 1500

    package init(url: URL, timeout: Double, tool: String = RemoteDocs.defaultTool, userAgent: String = "prefect-mcp", transport: any HTTPTransport) {
        self.url = url
        self.timeout = timeout
        self.tool = tool
        self.userAgent = userAgent
        self.transport = transport
    }

    /// A client with a connection pool of its own (never the Prefect client's); call ``shutdown()`` when done.
    package init(url: URL, timeout: Double, tool: String = RemoteDocs.defaultTool, userAgent: String = "prefect-mcp") {
        self.init(
            url: url, timeout: timeout, tool: tool, userAgent: userAgent,
            transport: AsyncHTTPTransport(connectTimeout: timeout, maximumBodyBytes: 8 << 20))
    }

    package func shutdown() async {
        await transport.shutdown()
    }

    /// Never throws: a failure is an answer with its status and reason.
    package func search(_ query: String, topK: Int) async -> RemoteDocsAnswer {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        do {
            let session = try await initialize(deadline: deadline)
            let result = try await call(
                "tools/call", id: 2, params: ["name": .string(tool), "arguments": ["query": .string(query), "top_k": .int(topK)]],
                session: session, deadline: deadline)
            if result["isError"]?.boolValue == true {
                let text = result["content"]?.arrayValue?.compactMap { $0["text"]?.stringValue }.joined(separator: " ") ?? "no detail"
                return answer(.error, "the docs server's \(tool) failed: \(text.clipped(to: 300))")
            }
            return RemoteDocsAnswer(url: url.displayString, status: .ok, error: nil, results: Array(Self.results(of: result).prefix(topK)))
        } catch let failure as Failure {
            return answer(failure.status, failure.reason)
        } catch TransportError.timeout {
            return answer(.timeout, "no answer within \(timeout) s")
        } catch TransportError.unreachable(let reason) {
            return answer(.unreachable, reason)
        } catch {
            return answer(.error, String(describing: error))
        }
    }

    private func answer(_ status: RemoteDocsAnswer.Status, _ reason: String) -> RemoteDocsAnswer {
        RemoteDocsAnswer(url: url.displayString, status: status, error: reason, results: [])
    }

    private struct Failure: Error {
        var status: RemoteDocsAnswer.Status
        var reason: String
    }

    // MARK: - Protocol

    /// `initialize` then `notifications/initialized`; returns the session id, if the server keeps sessions.
    private func initialize(deadline: ContinuousClock.Instant) async throws -> String? {
        let params: JSONValue = [
            "protocolVersion": "2025-06-18", "capabilities": [:],
            "clientInfo": ["name": "prefect-mcp", "version": .string(userAgent)],
        ]
        let (_, session) = try await exchange(
            ["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params], session: nil, deadline: deadline)
        _ = try await exchange(["jsonrpc": "2.0", "method": "notifications/initialized"], session: session, deadline: deadline)
        return session
    }

    private func call(_ method: String, id: Int, params: JSONValue, session: String?, deadline: ContinuousClock.Instant) async throws -> JSONValue {
        let (result, _) = try await exchange(
            ["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params], session: session, deadline: deadline)
        guard let result else { throw Failure(status: .error, reason: "the docs server sent no answer to \(method)") }
        return result
    }

    /// Posts one message; returns the `result` of the response (nil for a notification) and the session id.
    private func exchange(_ message: JSONValue, session: String?, deadline: ContinuousClock.Instant) async throws -> (JSONValue?, String?) {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { throw TransportError.timeout }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("Accept", "application/json, text/event-stream"),
            ("User-Agent", userAgent),
        ]
        if message["method"]?.stringValue != "initialize" { headers.append(("MCP-Protocol-Version", "2025-06-18")) }
        if let session { headers.append(("Mcp-Session-Id", session)) }
        let seconds = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) / 1e18
        let request = HTTPRequestData(method: "POST", url: url, headers: headers, body: Data(message.jsonBytes), timeout: seconds)
        let response = try await transport.send(request)
        let sessionID = response.header("Mcp-Session-Id") ?? session
        guard (200..<300).contains(response.status) else {
            throw Failure(
                status: .error, reason: "HTTP \(response.status) from the docs server: \(String(decoding: response.body.prefix(200), as: UTF8.self))")
        }
        guard let id = message["id"] else { return (nil, sessionID) }
        let reply = try Self.response(to: id, in: response)
        if let error = reply["error"] {
            throw Failure(
                status: .error,
                reason: "the docs server refused \(message["method"]?.stringValue ?? "the request"): \(error["message"]?.stringValue ?? "no message")"
            )
        }
        return (reply["result"] ?? .null, sessionID)
    }

    /// The JSON-RPC response with `id`, from a JSON body or a server-sent event stream.
    static func response(to id: JSONValue, in response: HTTPResponseData) throws -> JSONValue {
        let isStream = response.header("Content-Type")?.lowercased().contains("text/event-stream") == true
        let messages: [JSONValue]
        if isStream {
            messages = events(in: String(decoding: response.body, as: UTF8.self)).compactMap { try? JSONValue(parsing: $0.utf8) }
        } else {
            guard let message = try? JSONValue(parsing: response.body) else {
                throw Failure(status: .error, reason: "the docs server's answer is not JSON")
            }
            messages = [message]
        }
        guard let reply = messages.first(where: { $0["id"] == id && ($0["result"] != nil || $0["error"] != nil) }) else {
            throw Failure(status: .error, reason: "the docs server's answer holds no response to request \(id)")
        }
        return reply
    }

    /// The `data` of each server-sent event (multi-line data joined by newlines).
    static func events(in text: String) -> [String] {
        var events: [String] = []
        var data: [String] = []
        // "\r\n" is one Character in Swift, and a newline: splitting on isNewline handles LF, CRLF and CR alike.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.isEmpty {
                if !data.isEmpty { events.append(data.joined(separator: "\n")) }
                data = []
            } else if line.hasPrefix("data:") {
                let value = line.dropFirst(5)
                data.append(String(value.hasPrefix(" ") ? value.dropFirst() : value))
            }
        }
        if !data.isEmpty { events.append(data.joined(separator: "\n")) }
        return events
    }

    /// Results from a `tools/call` result: `structuredContent.results` (Prefect's docs server), else JSON in the text
    /// content, else the text itself as one snippet.
    static func results(of result: JSONValue) -> [RemoteDocsAnswer.Result] {
        func parse(_ value: JSONValue?) -> [RemoteDocsAnswer.Result]? {
            guard let value else { return nil }
            if let items = value["results"]?.arrayValue ?? value["result"]?["results"]?.arrayValue ?? value.arrayValue {
                return items.compactMap { item in
                    guard let text = item["snippet"]?.stringValue ?? item["text"]?.stringValue ?? item["content"]?.stringValue else { return nil }
                    return RemoteDocsAnswer.Result(
                        title: item["title"]?.stringValue, link: item["link"]?.stringValue ?? item["url"]?.stringValue,
                        snippet: text.clipped(to: snippetLimit))
                }
            }
            return nil
        }
        if let structured = parse(result["structuredContent"]) { return structured }
        let texts = result["content"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? []
        for text in texts {
            if let json = try? JSONValue(parsing: text.utf8), let parsed = parse(json) { return parsed }
        }
        return texts.map { RemoteDocsAnswer.Result(title: nil, link: nil, snippet: $0.clipped(to: snippetLimit)) }
    }
}
