import Foundation
import TestSupport
import Testing

@testable import Core

@Suite("PrefectClient: headers, errors, retries, CSRF")
struct ClientTests {
    @Test("Every request carries the API version, and the credential as configured")
    func headers() async throws {
        let transport = FakeTransport(status: 200, body: "7")
        let client = PrefectClient.fake(transport, credential: .basic(Secret("admin:pw"), source: .environment("PREFECT_API_AUTH_STRING")))
        #expect(try await client.send(PrefectAPI.countFlowRuns(FlowRunsCount())) == 7)
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url.absoluteString == "http://prefect.test:4200/api/flow_runs/count")
        #expect(request.header("X-PREFECT-API-VERSION") == "0.8.4")
        #expect(request.header("Authorization") == "Basic YWRtaW46cHc=")
        #expect(request.header("Content-Type") == "application/json")
        #expect(String(decoding: request.body ?? Data(), as: UTF8.self) == "{}")
    }

    @Test("Path segments are escaped")
    func escaping() async throws {
        let transport = FakeTransport(status: 200, body: "[]")
        _ = try await PrefectClient.fake(transport).send(PrefectAPI.workers(pool: "my pool/x", WorkersQuery()))
        #expect(transport.requests.first?.url.absoluteString == "http://prefect.test:4200/api/work_pools/my%20pool%2Fx/workers/filter")
    }

    @Test(
        "Statuses map to typed errors with the server's detail",
        arguments: [
            (
                401, #"{"exception_message":"Unauthorized"}"#,
                PrefectError.unauthorized(route: "POST /flow_runs/count", credential: "API key (env PREFECT_API_KEY)")
            ),
            (
                403, #"{"detail":"Not allowed for this key."}"#,
                .forbidden(route: "POST /flow_runs/count", credential: "API key (env PREFECT_API_KEY)", detail: "Not allowed for this key.")
            ),
            (404, #"{"detail":"Flow run not found"}"#, .notFound(route: "POST /flow_runs/count", detail: "Flow run not found")),
            (
                422,
                #"{"exception_message":"Invalid request received.","exception_detail":[{"loc":["body","flow_runs","state","type","any_",0],"msg":"Input should be 'SCHEDULED', 'PENDING'","type":"enum"}],"request_body":{"huge":"x"}}"#,
                .invalidRequest(
                    status: 422, route: "POST /flow_runs/count",
                    detail: "Invalid request received.; body.flow_runs.state.type.any_.0: Input should be 'SCHEDULED', 'PENDING'")
            ),
            (
                500, #"{"exception_message":"Internal Server Error"}"#,
                .serverError(status: 500, route: "POST /flow_runs/count", detail: "Internal Server Error")
            ),
            (
                500, "<html>oops</html>",
                .serverError(
                    status: 500, route: "POST /flow_runs/count", detail: "an HTML page, not Prefect's JSON (a proxy or load balancer answering?)")
            ),
            (
                502, "<!DOCTYPE html>\n<html><head><title>502\n Bad Gateway</title></head></html>",
                .serverError(
                    status: 502, route: "POST /flow_runs/count",
                    detail: "an HTML page, not Prefect's JSON (a proxy or load balancer answering?) titled '502 Bad Gateway'")
            ),
            (500, "Internal\n  Server   Error\n", .serverError(status: 500, route: "POST /flow_runs/count", detail: "Internal Server Error")),
        ])
    func statusMapping(status: Int, body: String, expected: PrefectError) async {
        let client = PrefectClient.fake(
            FakeTransport(status: status, body: body),
            credential: .bearer(Secret("pnu_secret_value_12345678"), source: .environment("PREFECT_API_KEY")))
        await #expect(throws: expected) { try await client.send(PrefectAPI.countFlowRuns(FlowRunsCount())) }
    }

    @Test("Error messages never contain the secret")
    func noSecretInErrors() async {
        let secret = "pnu_secret_value_12345678"
        let client = PrefectClient.fake(
            FakeTransport(status: 401, body: "{}"), credential: .bearer(Secret(secret), source: .environment("PREFECT_API_KEY")))
        do {
            _ = try await client.send(PrefectAPI.health)
            Issue.record("expected a 401")
        } catch {
            #expect(!String(describing: error).contains(secret))
            #expect(String(describing: error).contains("PREFECT_API_KEY"))
        }
    }

    @Test("503 with Retry-After is retried, then succeeds")
    func retries() async throws {
        let transport = FakeTransport { _, index in
            index < 2
                ? HTTPResponseData(status: 503, headers: [("Retry-After", "0")], body: Data())
                : HTTPResponseData(status: 200, body: Data("true".utf8))
        }
        #expect(try await PrefectClient.fake(transport).send(PrefectAPI.health))
        #expect(transport.requests.count == 3)
    }

    @Test("Retries stop after the policy's attempts; 500 and 4xx are never retried")
    func retryLimits() async {
        let busy = FakeTransport(status: 429, body: "{}")
        await #expect(throws: PrefectError.self) { try await PrefectClient.fake(busy).send(PrefectAPI.health) }
        #expect(busy.requests.count == 3)
        let broken = FakeTransport(status: 500, body: "{}")
        await #expect(throws: PrefectError.self) { try await PrefectClient.fake(broken).send(PrefectAPI.health) }
        #expect(broken.requests.count == 1)
    }

    @Test("Transport failures name the URL")
    func transportErrors() async {
        let refused = FakeTransport { _, _ in throw TransportError.unreachable("connection refused") }
        await #expect(throws: PrefectError.unreachable(url: "http://prefect.test:4200/api", reason: "connection refused")) {
            try await PrefectClient.fake(refused).send(PrefectAPI.health)
        }
        #expect(refused.requests.count == 1)
        let slow = FakeTransport { _, _ in throw TransportError.timeout }
        await #expect(throws: PrefectError.timeout(url: "http://prefect.test:4200/api", seconds: 5)) {
            try await PrefectClient.fake(slow).send(PrefectAPI.health)
        }
    }

    @Test("A 2xx body that does not decode is an invalid response naming the path")
    func invalidResponse() async {
        let client = PrefectClient.fake(FakeTransport(status: 200, body: #"[{"id":"x"}]"#))
        await #expect {
            try await client.send(PrefectAPI.flowRuns(FlowRunsQuery()))
        } throws: { error in
            guard case PrefectError.invalidResponse(let route, let reason) = error else { return false }
            return route == "POST /flow_runs/filter" && reason.contains("name") && reason.contains("[0]")
        }
    }

    @Test("A CSRF 403 fetches a token once and repeats the request with it")
    func csrf() async throws {
        let transport = FakeTransport { request, _ in
            if request.url.path.hasSuffix("/csrf-token") {
                let client = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems?.first?.value ?? ""
                return HTTPResponseData(status: 200, body: Data(#"{"token":"tok","client":"\#(client)","expiration":"2099-01-01T00:00:00Z"}"#.utf8))
            }
            if request.header("Prefect-Csrf-Token") == "tok" { return HTTPResponseData(status: 200, body: Data("3".utf8)) }
            return HTTPResponseData(status: 403, body: Data(#"{"detail":"Missing CSRF token."}"#.utf8))
        }
        let client = PrefectClient.fake(transport)
        #expect(try await client.send(PrefectAPI.countFlowRuns(FlowRunsCount())) == 3)
        #expect(try await client.send(PrefectAPI.countFlowRuns(FlowRunsCount())) == 3)
        // count (403), csrf-token, count (200), count (200: token reused)
        #expect(transport.requests.map(\.url.path) == ["/api/flow_runs/count", "/api/csrf-token", "/api/flow_runs/count", "/api/flow_runs/count"])
        #expect(transport.requests[2].header("Prefect-Csrf-Client") == transport.requests[3].header("Prefect-Csrf-Client"))
    }

    @Test("Concurrent CSRF failures share one token refresh (each new token invalidates the previous one)")
    func csrfConcurrent() async throws {
        let issued = Counter()
        let transport = FakeTransport { request, _ in
            if request.url.path.hasSuffix("/csrf-token") {
                issued.enter()
                Thread.sleep(forTimeInterval: 0.02)
                return HTTPResponseData(
                    status: 200, body: Data(#"{"token":"tok\#(issued.total)","client":"c","expiration":"2099-01-01T00:00:00Z"}"#.utf8))
            }
            // Only the newest token is valid, as on a real server.
            if request.header("Prefect-Csrf-Token") == "tok\(issued.total)" { return HTTPResponseData(status: 200, body: Data("1".utf8)) }
            return HTTPResponseData(status: 403, body: Data(#"{"detail":"Invalid CSRF token or client identifier."}"#.utf8))
        }
        let client = PrefectClient.fake(transport)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await client.send(PrefectAPI.countFlowRuns(FlowRunsCount())) } }
            for try await value in group { #expect(value == 1) }
        }
        #expect(issued.total == 1)
    }

    @Test("Requests of one query run concurrently")
    func concurrency() async throws {
        let transport = FakeTransport(delay: .milliseconds(200)) { _, _ in HTTPResponseData(status: 200, body: Data("1".utf8)) }
        let client = PrefectClient.fake(transport)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 { group.addTask { try await client.send(PrefectAPI.countFlowRuns(FlowRunsCount())) } }
            for try await _ in group {}
        }
        #expect(transport.peakConcurrency == 4, "the client must not serialise requests")
    }
}

/// Counts concurrent entries and remembers the peak.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var peak = 0
    private var entered = 0

    func enter() {
        lock.lock()
        current += 1
        entered += 1
        peak = max(peak, current)
        lock.unlock()
    }

    /// Entries so far.
    var total: Int {
        lock.lock()
        defer { lock.unlock() }
        return entered
    }

    func leave() {
        lock.lock()
        current -= 1
        lock.unlock()
    }
}
