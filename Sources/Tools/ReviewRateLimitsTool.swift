import Core
import FoundationEssentials
import JSONValue
import MCP

extension PrefectTools {
    /// `review_rate_limits`: when Prefect Cloud throttled the account, grouped into periods (Cloud only).
    static func reviewRateLimits(_ environment: ToolEnvironment) -> ToolDefinition {
        let date: JSONValue = ["type": ["string", "null"], "format": "date-time"]
        let keyDenial: JSONValue = [
            "type": "object", "required": ["key", "total_denied", "peak_denied_per_minute"],
            "properties": ["key": ["type": "string"], "total_denied": ["type": "integer"], "peak_denied_per_minute": ["type": "integer"]],
        ]
        return ToolDefinition(
            name: "review_rate_limits",
            title: "Review Rate Limits",
            description: """
                Prefect Cloud only: when the account was rate-limited (HTTP 429) and which operation groups were \
                throttled, as periods of consecutive throttled minutes. "Keys" are operation groups (runs, \
                deployments, writing-logs, reading-events, …), not API keys. Use it when runs or clients report 429s. \
                `since` defaults to 3 days ago, `until` to 1 minute ago (ISO 8601 or a time ago: 15m, 24h, 7d). On a \
                self-hosted server it answers with an error: those have no rate limits.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "since": ["type": "string", "description": "ISO 8601 or a time ago (15m, 24h, 7d); default 3d."],
                    "until": ["type": "string", "description": "ISO 8601 or a time ago; default 1m."],
                ],
            ],
            outputSchema: [
                "type": "object", "required": ["account_id", "since", "until", "summary", "throttling_periods"],
                "properties": [
                    "account_id": ["type": "string"], "since": ["type": "string"], "until": ["type": "string"],
                    "summary": [
                        "type": "object",
                        "required": [
                            "total_throttling_periods", "affected_keys", "first_throttled_at", "last_throttled_at", "total_minutes_throttled",
                        ],
                        "properties": [
                            "total_throttling_periods": ["type": "integer"], "affected_keys": ["type": "array", "items": ["type": "string"]],
                            "first_throttled_at": date, "last_throttled_at": date, "total_minutes_throttled": ["type": "integer"],
                        ],
                    ],
                    "throttling_periods": [
                        "type": "array",
                        "items": [
                            "type": "object", "required": ["start", "end", "duration_minutes", "keys_affected"],
                            "properties": [
                                "start": ["type": "string"], "end": ["type": "string"], "duration_minutes": ["type": "integer"],
                                "keys_affected": ["type": "array", "items": keyDenial],
                            ],
                        ],
                    ],
                ],
            ],
            annotations: .readOnly
        ) { values, _ in
            let arguments = ToolArguments(values, tool: "review_rate_limits")
            let until = try arguments.date("until") ?? arguments.now.addingTimeInterval(-60)
            let since = try arguments.date("since") ?? arguments.now.addingTimeInterval(-3 * 86_400)
            guard since < until else { throw ToolError("since must be before until.") }
            return try await environment.query { client, _ in
                do {
                    return ToolResult(try JSONValue(encoding: try await client.rateLimits(since: since, until: until)))
                } catch let error as RateLimitsUnavailable {
                    throw ToolError(error.description)
                }
            }
        }
    }
}
