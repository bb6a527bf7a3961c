package import FoundationEssentials

/// One HTTP request as the client builds it.
package struct HTTPRequestData: Sendable {
    package var method: String
    package var url: URL
    package var headers: [(name: String, value: String)]
    package var body: Data?
    /// Seconds for the whole exchange.
    package var timeout: Double

    package init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil, timeout: Double) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// One HTTP response.
package struct HTTPResponseData: Sendable {
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: Data

    package init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Why no response arrived.
package enum TransportError: Error, Equatable {
    /// Nothing answered: connection refused, DNS failure, TLS failure, connection reset.
    case unreachable(String)
    /// The exchange took longer than the timeout.
    case timeout
    /// The request waited for a connection until its timeout, behind `waiting` others: the client is asking more
    /// than the server answers in time.
    case busy(waiting: Int)
    /// The body is longer than `limit` bytes (the server announced `announced` bytes, when it did).
    case tooLarge(limit: Int, announced: Int?)
}

/// Sends HTTP requests. Production uses ``AsyncHTTPTransport``; tests inject canned responses for what a real
/// Prefect server cannot produce (a Cloud 401, a 500, a 503 with `Retry-After`).
package protocol HTTPTransport: Sendable {
    /// - Throws: ``TransportError`` only.
    func send(_ request: HTTPRequestData) async throws -> HTTPResponseData
    /// Releases connections; the transport is unusable afterwards.
    func shutdown() async
}
