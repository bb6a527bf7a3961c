#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
    /// Fetches `limit` items at `offset` by asking for one more, so ``Page/truncated`` is exact.
    /// - Parameter fetch: gets `(limit, offset)`; `limit` is at most one more than asked and never over 200.
    package func page<Item: Sendable>(
        limit: Int, offset: Int, maximum: Int = PageLimit.maximum,
        _ fetch: @Sendable (_ limit: Int, _ offset: Int) async throws -> [Item]
    ) async throws -> Page<Item> {
        let size = PageLimit.clamp(limit, maximum: maximum)
        if size < maximum {
            let items = try await fetch(size + 1, offset)
            let more = items.count > size
            return Page(items: Array(items.prefix(size)), truncated: more, nextOffset: more ? offset + size : nil)
        }
        // A full-size page cannot ask for one more: probe the next item separately.
        async let items = fetch(size, offset)
        async let probe = fetch(1, offset + size)
        let more = try await !probe.isEmpty
        return Page(items: try await items, truncated: more, nextOffset: more ? offset + size : nil)
    }
}
