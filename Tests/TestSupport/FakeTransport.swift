package import Core
import Foundation
import JSONValue
import Synchronization

/// Answers requests from a script, for the cases a real Prefect server cannot produce on demand
/// (a Cloud 401, a 500, a 503 with Retry-After, a refused connection). Records what was sent.
package final class FakeTransport: HTTPTransport {
    package typealias Responder = @Sendable (HTTPRequestData, Int) throws -> HTTPResponseData

    private let responder: Responder
    private let log = Mutex<[HTTPRequestData]>([])
    private let delay: Duration
    private let flight = Mutex<(now: Int, peak: Int)>((0, 0))

    /// - Parameters:
    ///   - delay: how long each answer takes (an async wait, as a network is).
    ///   - responder: gets the request and its 0-based index.
    package init(delay: Duration = .zero, _ responder: @escaping Responder) {
        self.delay = delay
        self.responder = responder
    }

    /// The most requests that were waiting for an answer at once.
    package var peakConcurrency: Int { flight.withLock { $0.peak } }

    /// Always answers `status` with `body`.
    package convenience init(status: Int, body: String, headers: [(name: String, value: String)] = []) {
        self.init { _, _ in HTTPResponseData(status: status, headers: headers, body: Data(body.utf8)) }
    }

    package var requests: [HTTPRequestData] { log.withLock { $0 } }

    package func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        let index = log.withLock { log in
            log.append(request)
            return log.count - 1
        }
        if delay > .zero {
            flight.withLock { $0 = ($0.now + 1, max($0.peak, $0.now + 1)) }
            try? await Task.sleep(for: delay)
            flight.withLock { $0.now -= 1 }
        }
        return try responder(request, index)
    }

    /// What this fake answers `request`, without recording it: for a fake that wraps another.
    package func respond(_ request: HTTPRequestData, _ index: Int) throws -> HTTPResponseData {
        try responder(request, index)
    }

    package func shutdown() async {}
}

extension PrefectClient {
    /// A client over a fake transport at a fixed URL, retrying quickly.
    package static func fake(
        _ transport: FakeTransport, credential: Credential? = nil,
        retry: RetryPolicy = RetryPolicy(maximumAttempts: 3, baseDelay: 0.001, maximumDelay: 0.01)
    ) -> PrefectClient {
        PrefectClient(
            configuration: Configuration(apiURL: URL(string: "http://prefect.test:4200/api")!, credential: credential, timeout: 5, retry: retry),
            transport: transport
        )
    }
}

/// The JSON text of an encodable value, keys sorted, as the client sends it.
package func jsonText(_ value: some Encodable) throws -> String {
    try JSONCoding.encode(value).jsonText
}
