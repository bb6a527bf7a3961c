import FoundationEssentials
import Logging

extension PageLimit {
    /// The most items one paged call returns, however many it asks for (see ``PrefectClient/page(limit:offset:pageSize:_:)``).
    package static let total = 10_000
}

/// One page of a list, with an exact answer to "is there more?".
package struct Page<Item: Sendable>: Sendable {
    package var items: [Item]
    /// More items match than this page holds.
    package var truncated: Bool
    /// The offset of the next page, when there is one.
    package var nextOffset: Int?
}

/// An opaque cursor that carries an offset, what it pages through (so a cursor of one list is refused by another),
/// and the moment the first page was taken (so "recent" means the same thing on every page).
package struct PageCursor: Sendable, Equatable {
    package var offset: Int
    /// What the cursor belongs to: a tool name and a fingerprint of its arguments.
    package var scope: String
    /// Seconds since 1970 of the first page's "now".
    package var anchor: Double

    package init(offset: Int, scope: String, anchor: Double) {
        self.offset = offset
        self.scope = scope
        self.anchor = anchor
    }

    package var encoded: String {
        Data("v1|\(scope)|\(offset)|\(anchor)".utf8).base64EncodedString()
    }

    /// Decodes a cursor; nil when it is malformed or belongs to another scope.
    package init?(_ text: String, scope: String) {
        guard let data = Data(base64Encoded: text) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "v1", parts[1] == scope, let offset = Int(parts[2]), offset >= 0,
            let anchor = Double(parts[3])
        else { return nil }
        self.offset = offset
        self.scope = scope
        self.anchor = anchor
    }

    /// A short stable fingerprint (FNV-1a, 64 bits) of text, for scopes.
    package static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 36)
    }
}

extension PrefectClient {
    /// The one way Core reads a list page by page, and its one cap policy.
    ///
    /// Prefect answers at most ``PageLimit/maximum`` (200) items a request, so a caller that asks for more gets them
    /// request after request: all `limit` items it asked for, or every item there is when fewer match. A call returns at
    /// most ``PageLimit/total`` (10 000) items. Nothing is cut silently: whenever more items match than the page holds
    /// (because the caller asked for fewer, or because of that cap), ``Page/truncated`` is true and ``Page/nextOffset``
    /// says where to continue. `truncated` is exact: the last request asks for one item more, or, when it is already
    /// full, a one-item probe runs beside it.
    ///
    /// ```swift
    /// let page = try await client.page(limit: 500, offset: 0) { size, offset in
    ///     try await client.send(PrefectAPI.deployments(DeploymentsQuery(limit: size, offset: offset)))
    /// }
    /// // 500 deployments from 3 requests (200, 200, 101), truncated when a 501st exists.
    /// ```
    /// - Parameters:
    ///   - limit: items wanted, clamped into `1...PageLimit.total`.
    ///   - pageSize: items per request, at most the server's maximum.
    ///   - fetch: gets `(limit, offset)` with `limit` never over `pageSize`; items it returns beyond `limit` are ignored.
    package func page<Item: Sendable>(
        limit: Int, offset: Int, pageSize: Int = PageLimit.maximum,
        _ fetch: @Sendable (_ limit: Int, _ offset: Int) async throws -> [Item]
    ) async throws -> Page<Item> {
        let wanted = PageLimit.clamp(limit, maximum: PageLimit.total)
        let size = PageLimit.clamp(pageSize)
        var items: [Item] = []
        func done(more: Bool) -> Page<Item> {
            Page(items: items, truncated: more, nextOffset: more ? offset + items.count : nil)
        }
        while true {
            let remaining = wanted - items.count
            let at = offset + items.count
            if remaining < size {
                // One more than wanted fits in the request: whether it comes back is the answer.
                let last = try await fetch(remaining + 1, at)
                items += last.prefix(remaining)
                return done(more: last.count > remaining)
            }
            if remaining == size {
                // A full last request cannot ask for one more: probe the item after it at the same time.
                async let last = fetch(size, at)
                async let probe = fetch(1, at + size)
                items += try await last.prefix(size)
                let more = try await !probe.isEmpty
                return done(more: more)
            }
            let next = try await fetch(size, at)
            items += next.prefix(size)
            if next.count < size { return done(more: false) }
        }
    }

    /// Every item of a list, for callers that need the whole of it (work pools, their workers and queues,
    /// concurrency limits): ``page(limit:offset:pageSize:_:)`` from offset 0 up to `maximumItems`. Past that cap the
    /// list ends there and a warning says so on the log.
    /// - Parameter fetch: gets the offset and asks for ``PageLimit/maximum`` items there.
    package func allPages<Item: Sendable>(
        maximumItems: Int = PageLimit.total,
        _ fetch: @Sendable (_ offset: Int) async throws -> [Item]
    ) async throws -> [Item] {
        let all = try await page(limit: maximumItems, offset: 0) { size, offset in
            Array(try await fetch(offset).prefix(size))
        }
        if all.truncated {
            Logger(label: "prefect-mcp.client").warning("A list has more than \(all.items.count) items; only the first \(all.items.count) are used.")
        }
        return all.items
    }
}
