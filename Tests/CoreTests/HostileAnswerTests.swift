import Foundation
import TestSupport
import Testing

@testable import Core

/// What a user reads when a server answers something Prefect never would: each message says what happened and
/// what to do, without the library's type names.
@Suite("PrefectClient: hostile and odd answers")
struct HostileAnswerTests {
    private static let internals = ["HTTPClientError", "NIO", "Dictionary<", "Optional(", "(0)"]

    private func failure(_ transport: FakeTransport) async -> PrefectError? {
        await failure(transport, PrefectAPI.health)
    }

    private func failure<Response>(_ transport: FakeTransport, _ endpoint: Endpoint<Response>) async -> PrefectError? {
        do {
            _ = try await PrefectClient.fake(transport).send(endpoint)
            return nil
        } catch {
            return error as? PrefectError
        }
    }

    @Test("A redirect names its target and is not followed", arguments: [301, 302, 307, 308])
    func redirect(status: Int) async throws {
        let transport = FakeTransport(status: status, body: "", headers: [("Location", "https://elsewhere.test/api/health")])
        let failure = try #require(await failure(transport))
        #expect(failure == .redirected(status: status, route: "GET /health", location: "https://elsewhere.test/api/health"))
        #expect(failure.description.contains("redirect (\(status)) to https://elsewhere.test/api/health"))
        #expect(transport.requests.count == 1)
    }

    @Test("A redirect's target is shown without its credentials")
    func redirectCredentials() async throws {
        let transport = FakeTransport(status: 302, body: "", headers: [("Location", "https://bob:hunter2@elsewhere.test/api")])
        let failure = try #require(await failure(transport))
        #expect(!failure.description.contains("hunter2"))
        #expect(failure.description.contains("https://***@elsewhere.test/api"))
    }

    @Test("429 after the retries says rate-limited and when to retry")
    func rateLimited() async throws {
        let transport = FakeTransport(status: 429, body: #"{"detail":"slow down"}"#, headers: [("Retry-After", "0")])
        let failure = try #require(await failure(transport))
        #expect(failure == .rateLimited(route: "GET /health", retryAfter: 0))
        #expect(failure.description.hasPrefix("Rate-limited (429) on GET /health"))
        #expect(transport.requests.count == 3)
        let without = try #require(await self.failure(FakeTransport(status: 429, body: "")))
        #expect(without == .rateLimited(route: "GET /health", retryAfter: nil))
    }

    @Test("A web page where JSON belongs says so and suggests the API address")
    func htmlPage() async throws {
        let transport = FakeTransport(status: 200, body: "<!DOCTYPE html><html><body>Prefect</body></html>", headers: [("Content-Type", "text/html")])
        let failure = try #require(await failure(transport))
        guard case .invalidResponse(let route, let reason) = failure else {
            Issue.record("expected an invalid response, got \(failure)")
            return
        }
        #expect(route == "GET /health")
        #expect(reason.contains("not JSON") && reason.contains("text/html") && reason.contains("web page"))
    }

    @Test("A JSON answer of the wrong shape names JSON kinds, not Swift types")
    func wrongShape() async throws {
        let transport = FakeTransport(status: 200, body: "[1, 2]")
        let failure = try #require(await failure(transport, PrefectAPI.flowRun(id: "0b6c3c3e-1f2a-4d5b-9c8d-7e6f5a4b3c2d")))
        #expect(failure.description.contains("expected an object at the top level, found an array"))
        for word in Self.internals { #expect(!failure.description.contains(word)) }
    }

    @Test("Transport verdicts become messages: busy, too large")
    func transportVerdicts() async throws {
        let busy = try #require(await failure(FakeTransport { _, _ in throw TransportError.busy(waiting: 40) }))
        #expect(busy == .busy(url: "http://prefect.test:4200/api", seconds: 5, waiting: 40))
        #expect(busy.description.contains("is busy") && busy.description.contains("behind 39 others"))
        #expect(busy.isConnectionError)

        let huge = try #require(await failure(FakeTransport { _, _ in throw TransportError.tooLarge(limit: 32 << 20, announced: 300 << 20) }))
        #expect(huge == .responseTooLarge(route: "GET /health", limit: 32 << 20, announced: 300 << 20))
        #expect(huge.description.contains("GET /health is larger than the 32 MiB") && huge.description.contains("300 MiB"))
    }

    @Test("Errors name the URL without the credentials it carries")
    func urlCredentials() async throws {
        let client = PrefectClient(
            configuration: .init(apiURL: URL(string: "http://bob:hunter2@prefect.test:4200/api")!, timeout: 5, retry: .none),
            transport: FakeTransport { _, _ in throw TransportError.unreachable("connection refused") })
        do {
            _ = try await client.send(PrefectAPI.health)
            Issue.record("expected a failure")
        } catch {
            #expect(String(describing: error).contains("http://***@prefect.test:4200/api"))
            #expect(!String(describing: error).contains("hunter2"))
        }
    }

    @Test("TLS failures give BoringSSL's reason, never the paths of the machine it was built on")
    func tlsReason() {
        let text =
            "handshakeFailed(NIOSSL.BoringSSLError.sslError([Error: 268435581 error:1000007d:SSL "
            + "routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /home/build/boringssl/ssl/handshake.cc:393]))"
        let reason = AsyncHTTPTransport.tlsReason(text)
        #expect(reason.hasPrefix("TLS handshake failed: certificate verify failed"))
        #expect(reason.contains("PREFECT_API_TLS_INSECURE_SKIP_VERIFY"))
        #expect(!reason.contains("/home/") && !reason.contains(".cc"))
        #expect(
            AsyncHTTPTransport.tlsReason("NIOSSLError.uncleanShutdown")
                == "TLS handshake failed: the server closed the connection (is it speaking TLS?)")
    }
}
