public import JSONValue

/// The four behaviour hints of a tool.
public struct ToolAnnotations: Sendable, Hashable {
    public var readOnlyHint: Bool
    public var destructiveHint: Bool
    public var idempotentHint: Bool
    public var openWorldHint: Bool

    public init(readOnlyHint: Bool, destructiveHint: Bool, idempotentHint: Bool, openWorldHint: Bool) {
        self.readOnlyHint = readOnlyHint
        self.destructiveHint = destructiveHint
        self.idempotentHint = idempotentHint
        self.openWorldHint = openWorldHint
    }

    /// A read of a closed domain: changes nothing, same answer for the same state.
    public static let readOnly = ToolAnnotations(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false)
}

/// What a tool handler returns: a JSON object, mirrored as text, plus optional links.
public struct ToolResult: Sendable {
    public var structured: JSONValue
    /// `resource_link` content blocks added after the JSON text.
    public var links: [ResourceLink]

    public init(_ structured: JSONValue, links: [ResourceLink] = []) {
        self.structured = structured
        self.links = links
    }
}

/// A link from a tool result to a resource.
public struct ResourceLink: Sendable, Hashable {
    public var uri: String
    public var name: String
    public var description: String?
    public var mimeType: String?

    public init(uri: String, name: String, description: String? = nil, mimeType: String? = nil) {
        self.uri = uri
        self.name = name
        self.description = description
        self.mimeType = mimeType
    }
}

/// An error a handler throws to return an `isError` result with this message (bad input, a Prefect error).
public struct ToolError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A tool, declared once: everything `tools/list` shows and what `tools/call` runs.
///
/// ```swift
/// ToolDefinition(
///     name: "echo", title: "Echo", description: "Returns its arguments.",
///     inputSchema: ["type": "object", "properties": ["text": ["type": "string"]], "additionalProperties": false],
///     outputSchema: ["type": "object"], annotations: .readOnly
/// ) { arguments, context in ToolResult(arguments) }
/// ```
public struct ToolDefinition: Sendable {
    public typealias Handler = @Sendable (_ arguments: JSONValue, _ context: RequestContext) async throws -> ToolResult

    public var name: String
    public var title: String
    public var description: String
    public var inputSchema: JSONValue
    public var outputSchema: JSONValue?
    public var annotations: ToolAnnotations
    public var handler: Handler

    public init(
        name: String, title: String, description: String, inputSchema: JSONValue, outputSchema: JSONValue?,
        annotations: ToolAnnotations, handler: @escaping Handler
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.annotations = annotations
        self.handler = handler
    }

    /// The `tools/list` entry.
    var listing: JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name),
            "title": .string(title),
            "description": .string(description),
            "inputSchema": inputSchema,
            "annotations": [
                "title": .string(title),
                "readOnlyHint": .bool(annotations.readOnlyHint),
                "destructiveHint": .bool(annotations.destructiveHint),
                "idempotentHint": .bool(annotations.idempotentHint),
                "openWorldHint": .bool(annotations.openWorldHint),
            ],
        ]
        if let outputSchema { object["outputSchema"] = outputSchema }
        return .object(object)
    }
}
