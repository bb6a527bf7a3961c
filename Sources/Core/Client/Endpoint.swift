package import FoundationEssentials

/// One call of the Prefect API and the type of its answer (as kean/Get's `Request<Response>`).
package struct Endpoint<Response: Sendable>: Sendable {
    package enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case patch = "PATCH"
    }

    /// What a request that changes Prefect may be retried as (reads, GET or POST `…/filter`, are `nil`).
    package enum Write: Sendable, Equatable {
        /// Sending it twice leaves Prefect as sending it once (pause, resume, a state proposal): retried like a read.
        case idempotent
        /// Sending it twice may do it twice (a new run): never retried, an unknown outcome is reported as such.
        case once
    }

    /// What `path` is relative to.
    package enum Base: Sendable {
        /// The configured API URL (a self-hosted server, or a Cloud workspace).
        case api
        /// The Prefect Cloud API root, where account-level routes live (`/accounts/{id}/rate-limits/usage`).
        case cloudRoot
    }

    package var method: Method
    package var base: Base = .api
    /// The route template, e.g. `/work_pools/{name}/workers/filter`: for error messages and contract tests.
    package var route: String
    /// The concrete path relative to the API base, e.g. `/work_pools/prod/workers/filter`.
    package var path: String
    package var query: [URLQueryItem]
    /// Set for a request that changes Prefect; only ``PrefectActions`` makes those.
    package var write: Write?
    /// The JSON body, encoded when the request is sent.
    package var body: (any Encodable & Sendable)?
    /// Turns a 2xx body into the response.
    package var decode: @Sendable (Data) throws -> Response

    package init(
        _ method: Method,
        _ route: String,
        path: String? = nil,
        query: [URLQueryItem] = [],
        body: (any Encodable & Sendable)? = nil,
        write: Write? = nil,
        decode: @escaping @Sendable (Data) throws -> Response
    ) {
        self.method = method
        self.route = route
        self.path = path ?? route
        self.query = query
        self.body = body
        self.write = write
        self.decode = decode
    }
}

extension Endpoint where Response: Decodable {
    /// An endpoint whose JSON answer decodes into `Response`.
    package init(
        _ method: Method,
        _ route: String,
        path: String? = nil,
        query: [URLQueryItem] = [],
        body: (any Encodable & Sendable)? = nil,
        write: Write? = nil
    ) {
        self.init(method, route, path: path, query: query, body: body, write: write) { data in
            try JSONCoding.decode(Response.self, from: data)
        }
    }
}

/// The answer of a write that returns nothing worth reading (204, or `null`).
package struct NoContent: Sendable, Equatable {
    package init() {}
}

extension Endpoint where Response == NoContent {
    /// A write whose answer is ignored.
    package init(_ method: Method, _ route: String, path: String? = nil, body: (any Encodable & Sendable)? = nil, write: Write) {
        self.init(method, route, path: path, body: body, write: write) { _ in NoContent() }
    }
}

/// Escapes one path segment (a work-pool or deployment name may hold spaces or slashes).
func pathSegment(_ value: String) -> String {
    value.percentEncodedSegment
}
