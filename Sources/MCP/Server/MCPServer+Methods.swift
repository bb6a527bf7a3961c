import JSONValue

extension MCPServer {
    /// Runs one request and returns its result; throws ``JSONRPCError`` for protocol errors.
    func dispatch(method: String, params: JSONValue, context: RequestContext) async throws -> MethodResult {
        if method == "tools/call" { return try await callTool(params, context: context) }
        return MethodResult(try await result(method: method, params: params, context: context))
    }

    /// The result of every method but `tools/call`.
    private func result(method: String, params: JSONValue, context: RequestContext) async throws -> JSONValue {
        let modern = context.era == .modern
        switch method {
        case "initialize" where !modern:
            return initialize(params)
        case "server/discover" where modern:
            return discover()
        case "ping" where !modern, "logging/setLevel" where !modern:
            return [:]
        case "tools/list":
            try checkCursor(params)
            return ["tools": .array(registry.tools.map(\.listing))]
        case "resources/list":
            try checkCursor(params)
            return ["resources": .array(registry.resources.map(\.listing))]
        case "resources/templates/list":
            try checkCursor(params)
            return ["resourceTemplates": .array(registry.resourceTemplates.map(\.listing))]
        case "resources/read":
            return try await readResource(params, context: context)
        case "prompts/list":
            try checkCursor(params)
            return ["prompts": .array(registry.prompts.map(\.listing))]
        case "prompts/get":
            return try await getPrompt(params, context: context)
        case "completion/complete":
            return try await complete(params, context: context)
        default:
            throw JSONRPCError.methodNotFound(method)
        }
    }

    // MARK: - Lifecycle

    private func initialize(_ params: JSONValue) -> JSONValue {
        let version = ProtocolVersion.negotiate(params["protocolVersion"]?.stringValue)
        era = .legacy(version: version)
        clientInfo = params["clientInfo"]
        clientCapabilities = params["capabilities"]
        return [
            "protocolVersion": .string(version),
            "capabilities": capabilities(modern: false),
            "serverInfo": info.json,
            "instructions": .string(info.instructions),
        ]
    }

    private func discover() -> JSONValue {
        [
            "supportedVersions": .array(ProtocolVersion.modern.map(JSONValue.string)),
            "capabilities": capabilities(modern: true),
            "serverInfo": info.json,
            "instructions": .string(info.instructions),
        ]
    }

    private func capabilities(modern: Bool) -> JSONValue {
        var capabilities: [String: JSONValue] = [
            "tools": ["listChanged": false],
            "resources": ["subscribe": false, "listChanged": false],
            "prompts": ["listChanged": false],
            "completions": [:],
        ]
        if !modern { capabilities["logging"] = [:] }  // logging/setLevel is accepted (diagnostics go to stderr)
        return .object(capabilities)
    }

    /// Lists fit in one page; a cursor we never issued is an error, not an empty page.
    private func checkCursor(_ params: JSONValue) throws {
        if let cursor = params["cursor"], cursor != .null {
            throw JSONRPCError.invalidParams("Invalid cursor: this list has a single page")
        }
    }

    // MARK: - Tools

    private func callTool(_ params: JSONValue, context: RequestContext) async throws -> MethodResult {
        guard let name = params["name"]?.stringValue else { throw JSONRPCError.invalidParams("params.name must be the tool's name") }
        guard let tool = registry.tool(named: name) else {
            throw JSONRPCError.invalidParams("Unknown tool: '\(name.echoed)'. Call tools/list for the tools this server has.")
        }
        let arguments = params["arguments"] ?? [:]
        guard case .object = arguments else {
            return MethodResult(
                Self.errorResult(
                    "Invalid arguments for \(name.echoed): arguments must be an object, got \(arguments.arrayValue != nil ? "an array" : "a scalar")")
            )
        }
        let violations = JSONSchemaValidator(schema: tool.inputSchema).validate(arguments)
        if !violations.isEmpty {
            return MethodResult(Self.errorResult("Invalid arguments for \(name):\n" + violations.map { "- \($0)" }.joined(separator: "\n")))
        }
        let result: ToolResult
        do {
            result = try await tool.handler(arguments, context)
        } catch let error as ToolError {
            return MethodResult(Self.errorResult(error.message))
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as JSONRPCError {
            throw error
        } catch let needed as InputRequired where context.era == .modern {
            return MethodResult(["resultType": "input_required", "inputRequests": .object(needed.requests)])
        } catch {
            return MethodResult(Self.errorResult(String(describing: error)))
        }
        guard case .object = result.structured else {
            throw JSONRPCError.internalError("Internal error: \(name) produced structured content that is not an object")
        }
        #if DEBUG
            if let schema = tool.outputSchema {
                let problems = JSONSchemaValidator(schema: schema).validate(result.structured)
                if !problems.isEmpty {
                    throw JSONRPCError.internalError(
                        "Internal error: \(name)'s result does not match its output schema: " + problems.map(\.description).joined(separator: "; "))
                }
            }
        #endif
        let structuredText = result.structured.jsonBytes
        var content: [JSONValue] = [["type": "text", "text": .string(String(decoding: structuredText, as: UTF8.self))]]
        for link in result.links {
            var block: [String: JSONValue] = ["type": "resource_link", "uri": .string(link.uri), "name": .string(link.name)]
            if let description = link.description { block["description"] = .string(description) }
            if let mimeType = link.mimeType { block["mimeType"] = .string(mimeType) }
            content.append(.object(block))
        }
        return MethodResult(["content": .array(content), "isError": false], structuredText: structuredText)
    }

    static func errorResult(_ message: String) -> JSONValue {
        ["content": [["type": "text", "text": .string(message)]], "isError": true]
    }

    // MARK: - Resources

    private func readResource(_ params: JSONValue, context: RequestContext) async throws -> JSONValue {
        guard let uri = params["uri"]?.stringValue else { throw JSONRPCError.invalidParams("params.uri must be a string") }
        let contents: [ResourceContents]
        do {
            if let resource = registry.resources.first(where: { $0.uri == uri }) {
                contents = try await resource.read(context)
            } else if let (template, variables) = registry.resourceTemplates.lazy.compactMap({ t in t.match(uri).map { (t, $0) } }).first {
                contents = try await template.read(variables, context)
            } else {
                throw JSONRPCError(
                    code: JSONRPCError.invalidParamsCode, message: "Resource not found: \(uri.echoed)", data: ["uri": .string(uri.echoed)])
            }
        } catch let error as ToolError {
            throw JSONRPCError(code: JSONRPCError.invalidParamsCode, message: error.message, data: ["uri": .string(uri)])
        } catch let error as JSONRPCError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw JSONRPCError.internalError("Reading \(uri.echoed) failed: \(error)")
        }
        return ["contents": .array(contents.map(\.json))]
    }

    // MARK: - Prompts and completions

    private func getPrompt(_ params: JSONValue, context: RequestContext) async throws -> JSONValue {
        guard let name = params["name"]?.stringValue else { throw JSONRPCError.invalidParams("params.name must be the prompt's name") }
        guard let prompt = registry.prompt(named: name) else { throw JSONRPCError.invalidParams("Unknown prompt: '\(name.echoed)'") }
        var arguments: [String: String] = [:]
        if let given = params["arguments"], given != .null {
            guard case .object(let object) = given else { throw JSONRPCError.invalidParams("params.arguments must be an object of strings") }
            for (key, value) in object {
                guard let text = value.stringValue else { throw JSONRPCError.invalidParams("Prompt argument '\(key.echoed)' must be a string") }
                guard prompt.arguments.contains(where: { $0.name == key }) else {
                    throw JSONRPCError.invalidParams(
                        "Prompt '\(name)' has no argument '\(key.echoed)' (it takes: \(prompt.arguments.map(\.name).joined(separator: ", ")))")
                }
                arguments[key] = text
            }
        }
        for argument in prompt.arguments where argument.required && (arguments[argument.name] ?? "").isEmpty {
            throw JSONRPCError.invalidParams("Prompt '\(name)' needs the argument '\(argument.name)': \(argument.description)")
        }
        do {
            return try await prompt.render(arguments, context).json
        } catch let error as ToolError {
            throw JSONRPCError.invalidParams(error.message)
        }
    }

    private func complete(_ params: JSONValue, context: RequestContext) async throws -> JSONValue {
        guard let ref = params["ref"], let type = ref["type"]?.stringValue else {
            throw JSONRPCError.invalidParams("params.ref must say what to complete")
        }
        guard let argument = params["argument"]?["name"]?.stringValue else { throw JSONRPCError.invalidParams("params.argument.name is required") }
        let prefix = params["argument"]?["value"]?.stringValue ?? ""
        let provider: CompletionProvider?
        switch type {
        case "ref/prompt":
            guard let name = ref["name"]?.stringValue, let prompt = registry.prompt(named: name) else {
                throw JSONRPCError.invalidParams("Unknown prompt: '\((ref["name"]?.stringValue ?? "").echoed)'")
            }
            provider = prompt.arguments.first { $0.name == argument }?.completion
        case "ref/resource":
            guard let uri = ref["uri"]?.stringValue, let template = registry.resourceTemplates.first(where: { $0.uriTemplate == uri }) else {
                throw JSONRPCError.invalidParams("Unknown resource template: '\((ref["uri"]?.stringValue ?? "").echoed)'")
            }
            provider = template.completions[argument]
        default:
            throw JSONRPCError.invalidParams("params.ref.type must be ref/prompt or ref/resource")
        }
        let values = try await provider?(prefix, context) ?? []
        return [
            "completion": [
                "values": .array(values.prefix(100).map(JSONValue.string)), "total": .int(values.count), "hasMore": .bool(values.count > 100),
            ]
        ]
    }
}
