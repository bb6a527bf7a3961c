import JSONValue
import MCP

/// Tools that exist only to exercise the protocol layer in end-to-end tests (`prefect-mcp mcp --test-tools`,
/// a hidden flag): large results, slow calls with progress, cancellation, failures. They touch nothing.
enum TestingTools {
    static let all: [ToolDefinition] = [echo, sleep, blob]

    static let echo = ToolDefinition(
        name: "test_echo", title: "Test Echo", description: "Testing only: returns its arguments.",
        inputSchema: [
            "type": "object", "additionalProperties": false, "required": ["text"],
            "properties": ["text": ["type": "string", "maxLength": 1000], "count": ["type": "integer", "minimum": 0, "maximum": 10]],
        ],
        outputSchema: ["type": "object", "required": ["text"], "properties": ["text": ["type": "string"], "count": ["type": "integer"]]],
        annotations: .readOnly
    ) { arguments, _ in ToolResult(arguments) }

    static let sleep = ToolDefinition(
        name: "test_sleep", title: "Test Sleep",
        description: "Testing only: waits `milliseconds` in `steps` steps, reporting progress after each; honours cancellation.",
        inputSchema: [
            "type": "object", "additionalProperties": false,
            "properties": [
                "milliseconds": ["type": "integer", "minimum": 0, "maximum": 60_000], "steps": ["type": "integer", "minimum": 1, "maximum": 100],
            ],
        ],
        outputSchema: ["type": "object", "required": ["slept_ms"], "properties": ["slept_ms": ["type": "integer"]]],
        annotations: .readOnly
    ) { arguments, context in
        let total = arguments["milliseconds"]?.intValue ?? 100
        let steps = arguments["steps"]?.intValue ?? 1
        for step in 1...steps {
            try await Task.sleep(for: .milliseconds(total / steps))
            context.reportProgress(Double(step), total: Double(steps), message: "step \(step) of \(steps)")
        }
        return ToolResult(["slept_ms": .int(total)])
    }

    static let blob = ToolDefinition(
        name: "test_blob", title: "Test Blob", description: "Testing only: returns `bytes` characters of a marker pattern.",
        inputSchema: [
            "type": "object", "additionalProperties": false, "required": ["bytes", "marker"],
            "properties": [
                "bytes": ["type": "integer", "minimum": 0, "maximum": 1_000_000], "marker": ["type": "string", "minLength": 1, "maxLength": 16],
            ],
        ],
        outputSchema: ["type": "object", "required": ["marker", "data"], "properties": ["marker": ["type": "string"], "data": ["type": "string"]]],
        annotations: .readOnly
    ) { arguments, _ in
        let marker = arguments["marker"]?.stringValue ?? "x"
        let count = arguments["bytes"]?.intValue ?? 0
        let data = String(String(repeating: marker, count: count / marker.count + 1).prefix(count))
        return ToolResult(["marker": .string(marker), "data": .string(data)])
    }
}
