import Foundation

/// Finds the JSON keys a `Decodable` type reads at its top level, by decoding it from a decoder that records every
/// key asked for and answers with empty values. Lets contract tests compare our request types with Prefect's
/// OpenAPI document without listing the keys a second time.
enum KeyProbe {
    static func keys<T: Decodable>(of type: T.Type) -> Set<String> {
        let recorder = Recorder()
        _ = try? T(from: ProbeDecoder(recorder: recorder, depth: 0))
        return recorder.keys
    }

    final class Recorder {
        var keys: Set<String> = []
    }

    struct Stop: Error {}

    /// Records keys only at depth 0; deeper values decode as empties.
    struct ProbeDecoder: Decoder {
        let recorder: Recorder
        let depth: Int
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Keyed<Key>(recorder: recorder, depth: depth))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed() }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { Single() }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let recorder: Recorder
        let depth: Int
        var codingPath: [any CodingKey] = []
        var allKeys: [Key] = []

        private func record(_ key: Key) {
            if depth == 0 { recorder.keys.insert(key.stringValue) }
        }
        func contains(_ key: Key) -> Bool {
            record(key)
            return false
        }
        func decodeNil(forKey key: Key) throws -> Bool {
            record(key)
            return true
        }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            record(key)
            return try T(from: ProbeDecoder(recorder: recorder, depth: depth + 1))
        }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            record(key)
            return KeyedDecodingContainer(Keyed<NestedKey>(recorder: recorder, depth: depth + 1))
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            record(key)
            return Unkeyed()
        }
        func superDecoder() throws -> any Decoder { ProbeDecoder(recorder: recorder, depth: depth + 1) }
        func superDecoder(forKey key: Key) throws -> any Decoder { ProbeDecoder(recorder: recorder, depth: depth + 1) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        var codingPath: [any CodingKey] = []
        var count: Int? = 0
        var isAtEnd: Bool { true }
        var currentIndex = 0
        mutating func decodeNil() throws -> Bool { true }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { throw Stop() }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> { throw Stop() }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw Stop() }
        mutating func superDecoder() throws -> any Decoder { throw Stop() }
    }

    /// Empty values: 0, "", false; anything else decodes from a nested probe.
    struct Single: SingleValueDecodingContainer {
        var codingPath: [any CodingKey] = []
        func decodeNil() -> Bool { false }
        func decode(_ type: Bool.Type) throws -> Bool { false }
        func decode(_ type: String.Type) throws -> String { "" }
        func decode(_ type: Double.Type) throws -> Double { 0 }
        func decode(_ type: Float.Type) throws -> Float { 0 }
        func decode(_ type: Int.Type) throws -> Int { 0 }
        func decode(_ type: Int8.Type) throws -> Int8 { 0 }
        func decode(_ type: Int16.Type) throws -> Int16 { 0 }
        func decode(_ type: Int32.Type) throws -> Int32 { 0 }
        func decode(_ type: Int64.Type) throws -> Int64 { 0 }
        func decode(_ type: UInt.Type) throws -> UInt { 0 }
        func decode(_ type: UInt8.Type) throws -> UInt8 { 0 }
        func decode(_ type: UInt16.Type) throws -> UInt16 { 0 }
        func decode(_ type: UInt32.Type) throws -> UInt32 { 0 }
        func decode(_ type: UInt64.Type) throws -> UInt64 { 0 }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: ProbeDecoder(recorder: Recorder(), depth: 1)) }
    }
}
