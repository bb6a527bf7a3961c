/// Encodes `Encodable` values straight into a ``JSONValue``: tool results and request bodies are built this way,
/// instead of `JSONEncoder` writing text that is then parsed back. `value.jsonBytes` of the result are the bytes
/// `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]`.
///
/// ```swift
/// let json = try JSONValueEncoder().encode(run)   // .object(["id": "…", …])
/// ```
public struct JSONValueEncoder: Sendable {
    /// Encodes the values the tree cannot (Prefect's dates as text): called with each value about to be encoded;
    /// return nil to encode it the usual way.
    public typealias Leaf = @Sendable (_ value: any Encodable) throws -> JSONValue?

    public var leaf: Leaf?

    public init(leaf: Leaf? = nil) {
        self.leaf = leaf
    }

    public func encode(_ value: some Encodable) throws -> JSONValue {
        try TreeEncoder(options: self, path: []).encodeValue(value, key: nil)
    }
}

/// A type whose every key is written, `null` when its optional is absent (synthesized `Encodable` leaves absent
/// optionals out): rows and results conform so readers see one shape whatever the server omitted. Only
/// ``JSONValueEncoder`` honours it.
///
/// ```swift
/// struct Row: Encodable, EncodesAbsentAsNull { var id: String; var note: String? }   // {"id":"1","note":null}
/// ```
public protocol EncodesAbsentAsNull: Encodable {}

/// What one container slot holds: a finished value, or a nested container still being filled.
enum EncodedMember {
    case value(JSONValue)
    case node(EncodingNode)

    var json: JSONValue {
        switch self {
        case .value(let value): value
        case .node(let node): node.json
        }
    }
}

/// The value one encoder writes: a single value, or an object or an array filled in place.
final class EncodingNode {
    var single: JSONValue?
    var members: [String: EncodedMember]?
    var items: [EncodedMember]?

    var json: JSONValue {
        if let members { return .object(members.mapValues(\.json)) }
        if let items { return .array(items.map(\.json)) }
        return single ?? .object([:])  // as JSONEncoder writes a value that encoded nothing
    }
}

final class TreeEncoder: Encoder, SingleValueEncodingContainer {
    let options: JSONValueEncoder
    let codingPath: [any CodingKey]
    let node = EncodingNode()
    /// The value being encoded is ``EncodesAbsentAsNull``: its keyed container writes absent optionals as null.
    let writesNulls: Bool

    init(options: JSONValueEncoder, path: [any CodingKey], writesNulls: Bool = false) {
        self.options = options
        self.codingPath = path
        self.writesNulls = writesNulls
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// The one place a nested value is encoded: the tree's own values and strings go in as they are.
    func encodeValue<T: Encodable>(_ value: T, key: (any CodingKey)?) throws -> JSONValue {
        if let json = value as? JSONValue { return json }
        if let text = value as? String { return .string(text) }
        if let leaf = options.leaf, let json = try leaf(value) { return json }
        let child = TreeEncoder(options: options, path: key.map { codingPath + [$0] } ?? codingPath, writesNulls: value is any EncodesAbsentAsNull)
        try value.encode(to: child)
        return child.node.json
    }

    static func number(_ value: Double, path: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        return .double(value)
    }

    static func integer(_ value: some BinaryInteger) -> JSONValue {
        Int(exactly: value).map(JSONValue.int) ?? .double(Double(value))
    }

    // MARK: Encoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.members == nil { node.members = [:] }
        return KeyedEncodingContainer(KeyedTreeEncoder<Key>(encoder: self, node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if node.items == nil { node.items = [] }
        return UnkeyedTreeEncoder(encoder: self, node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: SingleValueEncodingContainer

    func encodeNil() { node.single = .null }
    func encode(_ value: Bool) { node.single = .bool(value) }
    func encode(_ value: String) { node.single = .string(value) }
    func encode(_ value: Double) throws { node.single = try Self.number(value, path: codingPath) }
    func encode(_ value: Float) throws { node.single = try Self.number(Double("\(value)") ?? Double(value), path: codingPath) }
    func encode(_ value: Int) { node.single = .int(value) }
    func encode(_ value: Int8) { node.single = Self.integer(value) }
    func encode(_ value: Int16) { node.single = Self.integer(value) }
    func encode(_ value: Int32) { node.single = Self.integer(value) }
    func encode(_ value: Int64) { node.single = Self.integer(value) }
    func encode(_ value: UInt) { node.single = Self.integer(value) }
    func encode(_ value: UInt8) { node.single = Self.integer(value) }
    func encode(_ value: UInt16) { node.single = Self.integer(value) }
    func encode(_ value: UInt32) { node.single = Self.integer(value) }
    func encode(_ value: UInt64) { node.single = Self.integer(value) }

    func encode<T: Encodable>(_ value: T) throws {
        // Asked of the value itself (a wrapper encoding what it wraps): the leaf still applies.
        if let json = value as? JSONValue { node.single = json; return }
        if let leaf = options.leaf, let json = try leaf(value) { node.single = json; return }
        try value.encode(to: self)
    }
}

struct KeyedTreeEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: TreeEncoder
    let node: EncodingNode
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue, _ key: Key) { node.members![key.stringValue] = .value(value) }

    func encodeNil(forKey key: Key) { set(.null, key) }
    func encode(_ value: Bool, forKey key: Key) { set(.bool(value), key) }
    func encode(_ value: String, forKey key: Key) { set(.string(value), key) }
    func encode(_ value: Double, forKey key: Key) throws { set(try TreeEncoder.number(value, path: codingPath + [key]), key) }
    func encode(_ value: Float, forKey key: Key) throws {
        set(try TreeEncoder.number(Double("\(value)") ?? Double(value), path: codingPath + [key]), key)
    }
    func encode(_ value: Int, forKey key: Key) { set(.int(value), key) }
    func encode(_ value: Int8, forKey key: Key) { set(TreeEncoder.integer(value), key) }
    func encode(_ value: Int16, forKey key: Key) { set(TreeEncoder.integer(value), key) }
    func encode(_ value: Int32, forKey key: Key) { set(TreeEncoder.integer(value), key) }
    func encode(_ value: Int64, forKey key: Key) { set(TreeEncoder.integer(value), key) }
    func encode(_ value: UInt, forKey key: Key) { set(TreeEncoder.integer(value), key) }
    func encode(_ value: UInt8, forKey key: Key) { set(TreeEncoder.integer(value), key) }
    func encode(_ value: UInt16, forKey key: Key) { set(TreeEncoder.integer(value), key) }
    func encode(_ value: UInt32, forKey key: Key) { set(TreeEncoder.integer(value), key) }
    func encode(_ value: UInt64, forKey key: Key) { set(TreeEncoder.integer(value), key) }

    func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        set(try encoder.encodeValue(value, key: key), key)
    }

    // Synthesized `Encodable` writes optionals through these: absent ones are left out, or written as null for an
    // ``EncodesAbsentAsNull`` value.
    private func encodeIfPresent<T>(_ value: T?, _ key: Key, _ encode: (T) throws -> Void) rethrows {
        if let value { try encode(value) } else if encoder.writesNulls { set(.null, key) }
    }

    func encodeIfPresent(_ value: Bool?, forKey key: Key) { encodeIfPresent(value, key) { encode($0, forKey: key) } }
    func encodeIfPresent(_ value: String?, forKey key: Key) { encodeIfPresent(value, key) { encode($0, forKey: key) } }
    func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encodeIfPresent(value, key) { try encode($0, forKey: key) } }
    func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encodeIfPresent(value, key) { try encode($0, forKey: key) } }
    func encodeIfPresent(_ value: Int?, forKey key: Key) { encodeIfPresent(value, key) { encode($0, forKey: key) } }
    func encodeIfPresent(_ value: Int8?, forKey key: Key) { encodeIfPresent(value, key) { encode($0, forKey: key) } }
    func encodeIfPresent(_ value: Int16?, forKey key: Key) { encodeIfPresent(value, key) { encode($0, forKey: key) } }
    func encodeIfPresent(_ value: Int32?, forKey key: Key) { encodeIfPresent(value, key) { encode($0, forKey: key) } }
    func encodeIfPresent(_ value: Int64?, forKey key: Key) { encodeIfPresent(value, key) { encode($0, forKey: key) } }
    func encodeIfPresent(_ value: UInt?, forKey key: Key) { encodeIfPresent(value, key) { encode($0, forKey: key) } }
    func encodeIfPresent(_ value: UInt8?, forKey key: Key) { encodeIfPresent(value, key) { encode($0, forKey: key) } }
    func encodeIfPresent(_ value: UInt16?, forKey key: Key) { encodeIfPresent(value, key) { encode($0, forKey: key) } }
    func encodeIfPresent(_ value: UInt32?, forKey key: Key) { encodeIfPresent(value, key) { encode($0, forKey: key) } }
    func encodeIfPresent(_ value: UInt64?, forKey key: Key) { encodeIfPresent(value, key) { encode($0, forKey: key) } }
    func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        try encodeIfPresent(value, key) { try encode($0, forKey: key) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = TreeEncoder(options: encoder.options, path: codingPath + [key])
        node.members![key.stringValue] = .node(child.node)
        return child.container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = TreeEncoder(options: encoder.options, path: codingPath + [key])
        node.members![key.stringValue] = .node(child.node)
        return child.unkeyedContainer()
    }

    func superEncoder() -> any Encoder { superEncoder(named: "super") }

    func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let child = TreeEncoder(options: encoder.options, path: codingPath + [TreeIndexKey(stringValue: name)!])
        node.members![name] = .node(child.node)
        return child
    }
}

struct UnkeyedTreeEncoder: UnkeyedEncodingContainer {
    let encoder: TreeEncoder
    let node: EncodingNode
    let codingPath: [any CodingKey]

    var count: Int { node.items!.count }

    private func append(_ value: JSONValue) { node.items!.append(.value(value)) }
    private var nextPath: [any CodingKey] { codingPath + [TreeIndexKey(index: count)] }

    mutating func encodeNil() { append(.null) }
    mutating func encode(_ value: Bool) { append(.bool(value)) }
    mutating func encode(_ value: String) { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try TreeEncoder.number(value, path: nextPath)) }
    mutating func encode(_ value: Float) throws { append(try TreeEncoder.number(Double("\(value)") ?? Double(value), path: nextPath)) }
    mutating func encode(_ value: Int) { append(.int(value)) }
    mutating func encode(_ value: Int8) { append(TreeEncoder.integer(value)) }
    mutating func encode(_ value: Int16) { append(TreeEncoder.integer(value)) }
    mutating func encode(_ value: Int32) { append(TreeEncoder.integer(value)) }
    mutating func encode(_ value: Int64) { append(TreeEncoder.integer(value)) }
    mutating func encode(_ value: UInt) { append(TreeEncoder.integer(value)) }
    mutating func encode(_ value: UInt8) { append(TreeEncoder.integer(value)) }
    mutating func encode(_ value: UInt16) { append(TreeEncoder.integer(value)) }
    mutating func encode(_ value: UInt32) { append(TreeEncoder.integer(value)) }
    mutating func encode(_ value: UInt64) { append(TreeEncoder.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        append(try encoder.encodeValue(value, key: TreeIndexKey(index: count)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = TreeEncoder(options: encoder.options, path: nextPath)
        node.items!.append(.node(child.node))
        return child.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = TreeEncoder(options: encoder.options, path: nextPath)
        node.items!.append(.node(child.node))
        return child.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = TreeEncoder(options: encoder.options, path: nextPath)
        node.items!.append(.node(child.node))
        return child
    }
}
