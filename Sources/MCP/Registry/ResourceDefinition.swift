import JSONValue

/// The text of one resource.
public struct ResourceContents: Sendable, Hashable {
    public var uri: String
    public var mimeType: String
    public var text: String

    public init(uri: String, mimeType: String = "application/json", text: String) {
        self.uri = uri
        self.mimeType = mimeType
        self.text = text
    }

    var json: JSONValue { ["uri": .string(uri), "mimeType": .string(mimeType), "text": .string(text)] }
}

/// Suggests values for one variable or argument from what the user typed so far.
public typealias CompletionProvider = @Sendable (_ prefix: String, _ context: RequestContext) async throws -> [String]

/// A fixed resource.
public struct ResourceDefinition: Sendable {
    public typealias Reader = @Sendable (_ context: RequestContext) async throws -> [ResourceContents]

    public var uri: String
    public var name: String
    public var title: String?
    public var description: String
    public var mimeType: String
    public var read: Reader

    public init(uri: String, name: String, title: String? = nil, description: String, mimeType: String = "application/json", read: @escaping Reader) {
        self.uri = uri
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
        self.read = read
    }

    var listing: JSONValue {
        var object: [String: JSONValue] = [
            "uri": .string(uri), "name": .string(name), "description": .string(description), "mimeType": .string(mimeType),
        ]
        if let title { object["title"] = .string(title) }
        return .object(object)
    }
}

/// A family of resources named by a URI template such as `prefect://flow-runs/{id}`. Each `{variable}` matches one
/// path segment (no `/`).
public struct ResourceTemplateDefinition: Sendable {
    public typealias Reader = @Sendable (_ variables: [String: String], _ context: RequestContext) async throws -> [ResourceContents]

    public var uriTemplate: String
    public var name: String
    public var title: String?
    public var description: String
    public var mimeType: String
    public var read: Reader
    /// Completions per variable name.
    public var completions: [String: CompletionProvider]

    public init(
        uriTemplate: String, name: String, title: String? = nil, description: String, mimeType: String = "application/json",
        completions: [String: CompletionProvider] = [:], read: @escaping Reader
    ) {
        self.uriTemplate = uriTemplate
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
        self.completions = completions
        self.read = read
    }

    var listing: JSONValue {
        var object: [String: JSONValue] = [
            "uriTemplate": .string(uriTemplate), "name": .string(name), "description": .string(description), "mimeType": .string(mimeType),
        ]
        if let title { object["title"] = .string(title) }
        return .object(object)
    }

    /// The variables of `uri` when it matches this template, else nil. Values are percent-decoded.
    public func match(_ uri: String) -> [String: String]? {
        var variables: [String: String] = [:]
        var template = Substring(uriTemplate)
        var rest = Substring(uri)
        while !template.isEmpty {
            if template.first == "{" {
                guard let close = template.firstIndex(of: "}") else { return nil }
                let name = String(template[template.index(after: template.startIndex)..<close])
                template = template[template.index(after: close)...]
                // The variable runs to the next literal character of the template, and never across a `/`.
                let stop = template.first
                var end = rest.startIndex
                while end < rest.endIndex, rest[end] != "/", rest[end] != stop { end = rest.index(after: end) }
                let value = rest[..<end]
                guard !value.isEmpty, let decoded = String(value).removingPercentEncoding else { return nil }
                variables[name] = decoded
                rest = rest[end...]
            } else {
                guard rest.first == template.first else { return nil }
                rest = rest.dropFirst()
                template = template.dropFirst()
            }
        }
        return rest.isEmpty ? variables : nil
    }
}

extension String {
    /// Decodes `%XX` escapes; nil when an escape is malformed or the bytes are not UTF-8.
    var removingPercentEncoding: String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else {
                    return nil
                }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
