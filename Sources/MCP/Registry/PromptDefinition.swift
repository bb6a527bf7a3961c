import JSONValue

/// One argument of a prompt.
public struct PromptArgument: Sendable {
    public var name: String
    public var description: String
    public var required: Bool
    public var completion: CompletionProvider?

    public init(name: String, description: String, required: Bool, completion: CompletionProvider? = nil) {
        self.name = name
        self.description = description
        self.required = required
        self.completion = completion
    }
}

/// What `prompts/get` returns: user-role text messages.
public struct PromptResult: Sendable {
    public var description: String
    public var messages: [String]

    public init(description: String, messages: [String]) {
        self.description = description
        self.messages = messages
    }

    var json: JSONValue {
        [
            "description": .string(description),
            "messages": .array(messages.map { ["role": "user", "content": ["type": "text", "text": .string($0)]] }),
        ]
    }
}

/// A prompt template with arguments.
public struct PromptDefinition: Sendable {
    public typealias Renderer = @Sendable (_ arguments: [String: String], _ context: RequestContext) async throws -> PromptResult

    public var name: String
    public var title: String
    public var description: String
    public var arguments: [PromptArgument]
    public var render: Renderer

    public init(name: String, title: String, description: String, arguments: [PromptArgument], render: @escaping Renderer) {
        self.name = name
        self.title = title
        self.description = description
        self.arguments = arguments
        self.render = render
    }

    var listing: JSONValue {
        [
            "name": .string(name), "title": .string(title), "description": .string(description),
            "arguments": .array(
                arguments.map { ["name": .string($0.name), "description": .string($0.description), "required": .bool($0.required)] }),
        ]
    }
}

/// Everything a server offers. Lists keep the order given, so `tools/list` is deterministic.
public struct Registry: Sendable {
    public var tools: [ToolDefinition]
    public var resources: [ResourceDefinition]
    public var resourceTemplates: [ResourceTemplateDefinition]
    public var prompts: [PromptDefinition]

    public init(
        tools: [ToolDefinition] = [], resources: [ResourceDefinition] = [], resourceTemplates: [ResourceTemplateDefinition] = [],
        prompts: [PromptDefinition] = []
    ) {
        self.tools = tools
        self.resources = resources
        self.resourceTemplates = resourceTemplates
        self.prompts = prompts
    }

    func tool(named name: String) -> ToolDefinition? { tools.first { $0.name == name } }
    func prompt(named name: String) -> PromptDefinition? { prompts.first { $0.name == name } }
}
