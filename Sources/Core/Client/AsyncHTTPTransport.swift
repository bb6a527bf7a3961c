import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOHTTP1
import NIOSSL

/// ``HTTPTransport`` over AsyncHTTPClient, with its own connection pool.
package final class AsyncHTTPTransport: HTTPTransport {
    private let client: HTTPClient
    /// Responses larger than this are refused rather than buffered (a runaway log download, say).
    private let maximumBodyBytes: Int

    package init(skipTLSVerification: Bool = false, connectTimeout: Double = 10, maximumBodyBytes: Int = 256 << 20) {
        var configuration = HTTPClient.Configuration(
            timeout: HTTPClient.Configuration.Timeout(connect: .milliseconds(Int64(connectTimeout * 1000)))
        )
        if skipTLSVerification {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            configuration.tlsConfiguration = tls
        }
        configuration.redirectConfiguration = .disallow
        // AsyncHTTPClient otherwise retries a refused connection until the connect timeout: fail fast instead,
        // so a wrong URL or a stopped server is reported at once (retries of 502/503 are RetryPolicy's job).
        configuration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.maximumBodyBytes = maximumBodyBytes
    }

    package func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        do {
            return try await sendOnce(request, lastTry: false)
        } catch ChannelError.ioOnClosedChannel {
            // A kept-alive connection the server closed just as it was picked (uvicorn closes idle ones after 5 s):
            // nothing was written, so even a write is safe to send again, once, on a fresh connection.
            return try await sendOnce(request, lastTry: true)
        }
    }

    private func sendOnce(_ request: HTTPRequestData, lastTry: Bool) async throws -> HTTPResponseData {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(outgoing, timeout: .milliseconds(Int64(request.timeout * 1000)))
            let bytes = try await response.body.collect(upTo: maximumBodyBytes)
            return HTTPResponseData(
                status: Int(response.status.code),
                headers: response.headers.map { (name: $0.name, value: $0.value) },
                body: Data(bytes.readableBytesView)
            )
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                throw TransportError.timeout
            case .connectTimeout:
                throw TransportError.unreachable("connection timed out")
            default:
                throw TransportError.unreachable(String(describing: error))
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch ChannelError.ioOnClosedChannel where !lastTry {
            throw ChannelError.ioOnClosedChannel
        } catch {
            throw TransportError.unreachable(Self.describe(error))
        }
    }

    package func shutdown() async {
        try? await client.shutdown()
    }

    /// `connection refused` rather than `NIOConnectionError(host: …, dnsAError: nil, …)`.
    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("refused") || text.contains("errno: 111") { return "connection refused" }
        if text.contains("NIOConnectionError") {
            if text.contains("dnsAError: Optional") || text.contains("dnsAAAAError: Optional") { return "host name could not be resolved" }
            return "could not connect"
        }
        if text.contains("NIOSSL") || text.contains("handshake") { return "TLS error: \(text)" }
        return text
    }
}
