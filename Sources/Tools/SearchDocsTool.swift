import Core
import FoundationEssentials
import JSONValue
import MCP
import RemoteDocs

extension PrefectTools {
    /// `search_docs`: "how do I … with the prefect CLI", answered from a reference bundled in the binary.
    static func searchDocs(_ environment: ToolEnvironment) -> ToolDefinition {
        let remote = environment.docs
        let nullableString: JSONValue = ["type": ["string", "null"]]
        let remoteNote = remote.map {
            "; `remote` adds passages from the Prefect docs server at \($0.url.displayString) when it answers within \(Int($0.timeout)) s"
        }
        return ToolDefinition(
            name: "search_docs",
            title: "Search Docs",
            description: """
                How to do something with the prefect CLI (create or update a deployment, run one, pause schedules, work \
                pools and queues, workers, automations, variables, blocks, concurrency limits, profiles). Answers from a \
                reference bundled in prefect-mcp (Prefect 3.9 CLI), so it works offline\(remoteNote ?? ""). \
                Use it to give the user the exact command for a change: prefect-mcp itself never changes Prefect.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false, "required": ["query"],
                "properties": [
                    "query": ["type": "string", "minLength": 2, "maxLength": 500, "description": "What the user wants to do, in words."],
                    "top_k": ["type": "integer", "minimum": 1, "maximum": 20, "default": 3],
                ],
            ],
            outputSchema: [
                "type": "object", "required": ["query", "results", "source", "remote"],
                "properties": [
                    "query": ["type": "string"], "source": ["type": "string"],
                    "results": [
                        "type": "array",
                        "items": [
                            "type": "object", "required": ["topic", "commands", "notes"],
                            "properties": [
                                "topic": ["type": "string"], "commands": ["type": "array", "items": ["type": "string"]], "notes": ["type": "string"],
                            ],
                        ],
                    ],
                    "remote": [
                        "type": ["object", "null"], "required": ["url", "status", "error", "results"],
                        "description": "The remote docs server's answer; null when none is configured (--docs-url).",
                        "properties": [
                            "url": ["type": "string"], "status": ["enum": ["ok", "unreachable", "timeout", "error"]], "error": nullableString,
                            "results": [
                                "type": "array",
                                "items": [
                                    "type": "object", "required": ["snippet"],
                                    "properties": ["title": nullableString, "link": nullableString, "snippet": ["type": "string"]],
                                ],
                            ],
                        ],
                    ],
                ],
            ],
            annotations: .readOnly
        ) { values, _ in
            let query = values["query"]?.stringValue ?? ""
            let topK = values["top_k"]?.intValue ?? 3
            async let answer = remote?.search(query, topK: topK)
            let results = CLIReference.search(query, limit: topK)
            return ToolResult([
                "query": .string(query),
                "source": "prefect-mcp's bundled prefect 3.9 CLI reference",
                "results": try JSONValue(encoding: results),
                "remote": try await answer.map { try JSONValue(encoding: $0) } ?? .null,
            ])
        }
    }
}
