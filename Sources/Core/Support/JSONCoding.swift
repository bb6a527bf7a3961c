import FoundationEssentials
package import JSONValue

/// The encoder and decoder every Prefect request and response goes through.
package enum JSONCoding {
    /// Encodes request bodies and tool results into a tree (``JSONValueEncoder``), dates as
    /// ``PrefectDate/format(_:)``; the tree's `jsonBytes` have sorted keys, so request bodies are stable for tests.
    package static let treeEncoder = JSONValueEncoder { value in
        (value as? Date).map { .string(PrefectDate.format($0)) }
    }

    package static func encode(_ value: some Encodable) throws -> JSONValue {
        try treeEncoder.encode(value)
    }

    /// Decodes Prefect's answers and tool arguments from a parsed tree (``JSONValueDecoder``), dates with
    /// ``PrefectDate/parse(_:)``.
    package static let decoder = JSONValueDecoder { type, decoder in
        guard type == Date.self else { return nil }
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = PrefectDate.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text.echoed)' is not an ISO 8601 date-time")
        }
        return date
    }

    /// Parses JSON text and decodes it; invalid JSON throws ``JSONValue/ParseError``, a wrong shape `DecodingError`.
    /// A ``ScannedDecodable`` type is read straight from the bytes first, and the usual way only when that fails.
    package static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        if let scanned = T.self as? any ScannedDecodable.Type, let value = try? scanned.init(scanning: bytes) as? T {
            return value
        }
        return try decoder.decode(T.self, from: bytes)
    }

    package static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try decoder.decode(T.self, from: value)
    }
}
