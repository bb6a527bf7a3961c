/// Decodes `Decodable` types straight from a parsed ``JSONValue``: the decoder every Prefect answer goes through.
///
/// Foundation's `JSONDecoder` spends most of its time on free-form members (`[String: JSONValue]` payloads, each
/// value guessed kind by kind, a thrown error per wrong guess); here a `JSONValue` member is the tree itself, and the
/// errors are the same `DecodingError`s with the same coding paths.
///
/// ```swift
/// let run = try JSONValueDecoder().decode(FlowRun.self, from: bytes)
/// ```
public struct JSONValueDecoder: Sendable {
    /// Decodes the types the tree cannot (Prefect's dates from their text): called with each type about to be
    /// decoded from a `Decoder`; return nil to decode it the usual way.
    public typealias Leaf = @Sendable (_ type: any Decodable.Type, _ decoder: any Decoder) throws -> (any Decodable)?

    public var leaf: Leaf?

    public init(leaf: Leaf? = nil) {
        self.leaf = leaf
    }

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try TreeDecoder(value: value, options: self).decodeValue(value, as: T.self, key: nil)
    }

    /// Parses UTF-8 JSON text, then decodes it; invalid JSON throws ``JSONValue/ParseError``.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try decode(T.self, from: JSONValue(parsing: bytes))
    }
}

extension JSONValue {
    /// What a type-mismatch error says was found ("an object", "null", ...).
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One value being decoded; its parent and key make the coding path, built only when an error needs it.
final class TreeDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let options: JSONValueDecoder
    private let parent: TreeDecoder?
    private let key: (any CodingKey)?

    init(value: JSONValue, options: JSONValueDecoder, parent: TreeDecoder? = nil, key: (any CodingKey)? = nil) {
        self.value = value
        self.options = options
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node: TreeDecoder? = self
        while let current = node {
            if let key = current.key { keys.append(key) }
            node = current.parent
        }
        return keys.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func path(adding key: (any CodingKey)?) -> [any CodingKey] {
        key.map { codingPath + [$0] } ?? codingPath
    }

    /// As `JSONDecoder` says it: a null where a value belongs is `valueNotFound`, anything else `typeMismatch`.
    func mismatch<T>(_ type: T.Type, _ found: JSONValue, key: (any CodingKey)?) -> DecodingError {
        let context = DecodingError.Context(
            codingPath: path(adding: key), debugDescription: "Expected to decode \(type) but found \(found.kindName) instead.")
        return found == .null ? .valueNotFound(type, context) : .typeMismatch(type, context)
    }

    // MARK: Values

    /// The one place a nested value is decoded: the tree's own types are handed over as they are.
    func decodeValue<T: Decodable>(_ value: JSONValue, as type: T.Type, key: (any CodingKey)?) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        if T.self == String.self { return try string(value, key: key) as! T }
        if T.self == [String: JSONValue].self {
            guard case .object(let members) = value else { throw mismatch(T.self, value, key: key) }
            return members as! T
        }
        if T.self == [String: String].self {  // resource labels: the stdlib's dictionary decoding is slow here
            guard case .object(let members) = value else { throw mismatch(T.self, value, key: key) }
            // All strings (the usual case): mapValues keeps the table as it is, without hashing a key again.
            if members.values.allSatisfy({ if case .string = $0 { true } else { false } }) {
                return members.mapValues { if case .string(let text) = $0 { text } else { "" } } as! T
            }
            let child = TreeDecoder(value: value, options: options, parent: self, key: key)
            var labels: [String: String] = [:]
            labels.reserveCapacity(members.count)
            for (name, member) in members {
                labels[name] = try child.string(member, key: TreeIndexKey(stringValue: name))
            }
            return labels as! T
        }
        if T.self == [JSONValue].self {
            guard case .array(let items) = value else { throw mismatch(T.self, value, key: key) }
            return items as! T
        }
        let child = TreeDecoder(value: value, options: options, parent: self, key: key)
        if let leaf = options.leaf, let decoded = try leaf(T.self, child) {
            guard let decoded = decoded as? T else { throw mismatch(T.self, value, key: key) }
            return decoded
        }
        return try T(from: child)
    }

    func string(_ value: JSONValue, key: (any CodingKey)?) throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self, value, key: key) }
        return text
    }

    func bool(_ value: JSONValue, key: (any CodingKey)?) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self, value, key: key) }
        return flag
    }

    func integer<I: FixedWidthInteger>(_ value: JSONValue, key: (any CodingKey)?) throws -> I {
        let converted: I? =
            switch value {
            case .int(let number): I(exactly: number)
            case .double(let number): I(exactly: number)
            default: throw mismatch(I.self, value, key: key)
            }
        guard let converted else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path(adding: key), debugDescription: "Number \(value.jsonText) does not fit in \(I.self)."))
        }
        return converted
    }

    func floatingPoint<F: BinaryFloatingPoint>(_ value: JSONValue, key: (any CodingKey)?) throws -> F {
        switch value {
        case .int(let number): F(number)
        case .double(let number): F(number)
        default: throw mismatch(F.self, value, key: key)
        }
    }

    // MARK: Decoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: Any].self, value, key: nil) }
        return KeyedDecodingContainer(KeyedTree<Key>(decoder: self, members: members))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw mismatch([Any].self, value, key: nil) }
        return UnkeyedTree(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try bool(value, key: nil) }
    func decode(_ type: String.Type) throws -> String { try string(value, key: nil) }
    func decode(_ type: Double.Type) throws -> Double { try floatingPoint(value, key: nil) }
    func decode(_ type: Float.Type) throws -> Float { try floatingPoint(value, key: nil) }
    func decode(_ type: Int.Type) throws -> Int { try integer(value, key: nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(value, key: nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(value, key: nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(value, key: nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(value, key: nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(value, key: nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(value, key: nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(value, key: nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(value, key: nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(value, key: nil) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // Asked of the value itself (a wrapper decoding what it wraps): the leaf still applies, the path stays.
        if T.self == JSONValue.self { return value as! T }
        if let leaf = options.leaf, let decoded = try leaf(T.self, self) {
            guard let decoded = decoded as? T else { throw mismatch(T.self, value, key: nil) }
            return decoded
        }
        return try T(from: self)
    }
}

/// The members of an object.
struct KeyedTree<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TreeDecoder
    let members: [String: JSONValue]

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key) == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.bool(member(key), key: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.string(member(key), key: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.floatingPoint(member(key), key: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.floatingPoint(member(key), key: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.integer(member(key), key: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.integer(member(key), key: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.integer(member(key), key: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.integer(member(key), key: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.integer(member(key), key: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.integer(member(key), key: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.integer(member(key), key: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.integer(member(key), key: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.integer(member(key), key: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.integer(member(key), key: key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decodeValue(member(key), as: T.self, key: key)
    }

    /// One lookup instead of the default's three (contains, decodeNil, decode): most optional members are present.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        return try decoder.decodeValue(value, as: T.self, key: key)
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        return try decoder.string(value, key: key)
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        return try decoder.integer(value, key: key)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        return try decoder.bool(value, key: key)
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        return try decoder.floatingPoint(value, key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try TreeDecoder(value: member(key), options: decoder.options, parent: decoder, key: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TreeDecoder(value: member(key), options: decoder.options, parent: decoder, key: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        TreeDecoder(value: members["super"] ?? .null, options: decoder.options, parent: decoder, key: TreeIndexKey.superKey)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(value: members[key.stringValue] ?? .null, options: decoder.options, parent: decoder, key: key)
    }
}

/// The items of an array, in order.
struct UnkeyedTree: UnkeyedDecodingContainer {
    let decoder: TreeDecoder
    let items: [JSONValue]
    private(set) var currentIndex = 0

    init(decoder: TreeDecoder, items: [JSONValue]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    /// The next item, without moving past it: a value that fails to decode stays current, as in `JSONDecoder`.
    private func peek<T>(_ type: T.Type) throws -> (JSONValue, TreeIndexKey) {
        let key = TreeIndexKey(index: currentIndex)
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "Unkeyed container is at end."))
        }
        return (items[currentIndex], key)
    }

    /// Decodes the next item with `decode(decoder, item, its key)` and moves past it.
    private mutating func next<T>(_ type: T.Type, _ decode: (TreeDecoder, JSONValue, TreeIndexKey) throws -> T) throws -> T {
        let (value, key) = try peek(type)
        let decoded = try decode(decoder, value, key)
        currentIndex += 1
        return decoded
    }

    mutating func decodeNil() throws -> Bool {
        let (value, _) = try peek(JSONValue.self)
        guard value == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) { try $0.bool($1, key: $2) } }
    mutating func decode(_ type: String.Type) throws -> String { try next(type) { try $0.string($1, key: $2) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type) { try $0.floatingPoint($1, key: $2) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type) { try $0.floatingPoint($1, key: $2) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) { try $0.integer($1, key: $2) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) { try $0.integer($1, key: $2) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) { try $0.integer($1, key: $2) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) { try $0.integer($1, key: $2) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) { try $0.integer($1, key: $2) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) { try $0.integer($1, key: $2) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) { try $0.integer($1, key: $2) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) { try $0.integer($1, key: $2) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) { try $0.integer($1, key: $2) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) { try $0.integer($1, key: $2) } }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next(type) { try $0.decodeValue($1, as: T.self, key: $2) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next(KeyedDecodingContainer<NestedKey>.self) {
            try TreeDecoder(value: $1, options: $0.options, parent: $0, key: $2).container(keyedBy: type)
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next((any UnkeyedDecodingContainer).self) {
            try TreeDecoder(value: $1, options: $0.options, parent: $0, key: $2).unkeyedContainer()
        }
    }

    mutating func superDecoder() throws -> any Decoder {
        try next((any Decoder).self) { TreeDecoder(value: $1, options: $0.options, parent: $0, key: $2) }
    }
}

/// An array position in a coding path (and `super` for `superDecoder()`); the text is made only when asked for.
struct TreeIndexKey: CodingKey {
    var intValue: Int?
    private var name: String?

    var stringValue: String { name ?? "Index \(intValue ?? 0)" }

    init(index: Int) { intValue = index }

    init?(stringValue: String) { name = stringValue }

    init?(intValue: Int) { self.init(index: intValue) }

    static let superKey = TreeIndexKey(stringValue: "super")!
}
