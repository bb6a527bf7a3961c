import Core
import FoundationEssentials
import JSONValue
import MCP

extension PrefectTools {
    /// `read_events`: events newest first in a window, by name prefix; pages follow the server's page token.
    static func readEvents(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "read_events",
            title: "Read Events",
            description: """
                Prefect events, newest first: state changes (prefect.flow-run.Failed, prefect.flow-run.Late, …), \
                work pool and queue readiness (prefect.work-pool.not-ready), deployment changes, and custom events. \
                Times take ISO 8601 or a time ago (15m, 24h, 7d); without either bound the window is the last hour. \
                `total` counts every match in the window; page with next_cursor.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "event_type_prefix": ["type": "string", "minLength": 1, "description": "e.g. prefect.flow-run. or prefect.work-pool."],
                    "occurred_after": ["type": "string", "description": "ISO 8601 or a time ago (15m, 24h, 7d)."],
                    "occurred_before": ["type": "string", "description": "ISO 8601 or a time ago; default now."],
                    "limit": SchemaFragments.limit(default: 50, maximum: 50),
                    "cursor": SchemaFragments.cursor,
                ],
            ],
            outputSchema: SchemaFragments.listOutput(
                key: "events",
                item: ["type": "object", "required": ["id", "event", "occurred", "resource_id"]],
                extra: ["total": ["type": "integer"], "window": ["type": "object"]]
            ),
            annotations: .readOnly
        ) { values, _ in
            let arguments = ToolArguments(values, tool: "read_events")
            let cursorText = arguments.string("cursor")
            let until = try arguments.date("occurred_before") ?? arguments.now
            let since = try arguments.date("occurred_after") ?? until.addingTimeInterval(-3600)
            guard since <= until else { throw ToolError("occurred_after must be before occurred_before.") }
            let limit = arguments.int("limit", default: 50)
            return try await environment.query { client, _ in
                let position = try cursorText.map(EventCursor.init) ?? EventCursor(token: nil, skip: 0)
                let page =
                    if let token = position.token {
                        try await client.events(pageToken: token)
                    } else {
                        try await client.events(prefix: arguments.string("event_type_prefix"), since: since, until: until, limit: limit)
                    }
                let rows = page.events.dropFirst(position.skip).map { EventRow($0).json }
                // Event pages continue from the server's token. Rows of this page the budget left out come first on
                // the next one: the same page again, skipping what was shown.
                let output = ListOutput(
                    key: "events", items: rows,
                    next: .token { kept in
                        if position.skip + kept < page.events.count {
                            return EventCursor(token: position.token, skip: position.skip + kept).encoded
                        }
                        return page.nextPageToken.map { EventCursor(token: $0, skip: 0).encoded }
                    },
                    extra: [
                        "total": .int(page.total),
                        "window": ["since": .string(PrefectDate.format(since)), "until": .string(PrefectDate.format(until))],
                    ]
                )
                return ToolResult(output.json())
            }
        }
    }

    /// `get_concurrency_limits`: tag, deployment and global limits, de-duplicated, with their real occupancy.
    static func getConcurrencyLimits(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "get_concurrency_limits",
            title: "Get Concurrency Limits",
            description: """
                Every concurrency limit: v1 tag limits (they bind task runs carrying the tag), deployment limits \
                (named deployment:<id> by Prefect; `deployment` gives its flow/deployment) and other global limits, \
                de-duplicated (Prefect lists each tag limit twice). `active_slots` are the slots Prefect holds, the \
                number it enforces: `full` is true when every slot is taken, and runs waiting on it stay Late or \
                Pending. `occupied_by` counts what really occupies a tag limit (running task runs with the tag) or a \
                deployment limit (its Pending, Running and Cancelling runs); `slot_mismatch` is `leaked` when Prefect \
                holds more slots than that (they block new runs with nothing running; `note` gives the command that \
                gives them back) and `missing` when fewer (a run forced into Running takes none; the limit can be \
                exceeded).
                """,
            inputSchema: ["type": "object", "properties": [:], "additionalProperties": false],
            outputSchema: [
                "type": "object", "required": ["concurrency_limits", "count"],
                "properties": [
                    "concurrency_limits": [
                        "type": "array",
                        "items": [
                            "type": "object", "required": ["id", "name", "kind", "limit", "active_slots", "full", "occupied_by", "slot_mismatch"],
                            "properties": [
                                "deployment": SchemaFragments.nullableString, "occupied_by": SchemaFragments.nullableInteger,
                                "slot_mismatch": ["enum": ["leaked", "missing", .null]], "note": SchemaFragments.nullableString,
                            ],
                        ],
                    ],
                    "count": ["type": "integer"],
                ],
            ],
            annotations: .readOnly
        ) { _, _ in
            try await environment.query { client, _ in
                let limits = try await client.concurrencyLimits(reconciled: true)
                return ToolResult(["concurrency_limits": try JSONValue(encoding: limits), "count": .int(limits.count)])
            }
        }
    }

    /// `get_flow_run_history`: run counts by state per time bucket.
    static func getFlowRunHistory(_ environment: ToolEnvironment) -> ToolDefinition {
        ToolDefinition(
            name: "get_flow_run_history",
            title: "Get Flow Run History",
            description: """
                Flow-run counts by state in time buckets (Prefect's history endpoint): over `window` (default 24h) in \
                buckets of `interval` (default 1h; at most 200 buckets). Runs fall in the bucket of their expected \
                start time. Narrow by deployment_name or work_pool_name, or with a FlowRunFilter.
                """,
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "window": ["type": "string", "pattern": "^[0-9]+[smhdw]$", "default": "24h"],
                    "interval": ["type": "string", "pattern": "^[0-9]+[smhdw]$", "default": "1h"],
                    "deployment_name": ["type": "string", "minLength": 1],
                    "work_pool_name": ["type": "string", "minLength": 1],
                    "filter": FilterSchemas.flowRunFilter,
                ],
            ],
            outputSchema: [
                "type": "object", "required": ["buckets", "totals", "window", "interval_seconds"],
                "properties": [
                    "buckets": ["type": "array", "items": ["type": "object", "required": ["start", "end", "counts"]]],
                    "totals": ["type": "object", "additionalProperties": ["type": "integer"]],
                    "window": ["type": "string"], "interval_seconds": ["type": "integer"],
                ],
            ],
            annotations: .readOnly
        ) { values, _ in
            let arguments = ToolArguments(values, tool: "get_flow_run_history")
            let windowText = arguments.string("window") ?? "24h"
            let intervalText = arguments.string("interval") ?? "1h"
            guard let window = TimeWindow(windowText) else {
                throw ToolError("window: '\(windowText.echoed)' is not a window; use \(TimeWindow.expectedFormat).")
            }
            guard let interval = TimeWindow(intervalText) else {
                throw ToolError("interval: '\(intervalText.echoed)' is not an interval; use \(TimeWindow.expectedFormat).")
            }
            guard window.seconds / interval.seconds <= 200 else {
                throw ToolError(
                    "interval: \(intervalText) over \(windowText) makes \(window.seconds / interval.seconds) buckets; at most 200 are "
                        + "allowed. Use a longer interval."
                )
            }
            let filter = try arguments.filter(as: FlowRunFilter.self)
            return try await environment.query { client, _ in
                let end = arguments.now
                let buckets = try await client.flowRunHistory(
                    start: end.addingTimeInterval(-Double(window.seconds)), end: end, interval: Double(interval.seconds), flowRuns: filter,
                    deploymentName: arguments.string("deployment_name"), workPoolName: arguments.string("work_pool_name"))
                return ToolResult(try JSONValue(encoding: FlowRunHistory(buckets, window: window, interval: interval)))
            }
        }
    }
}

/// Where `read_events` goes on: the server's page token (nil: the first page of the query the arguments make) and
/// how many events of that page were already shown.
struct EventCursor: Equatable {
    var token: String?
    var skip: Int

    init(token: String?, skip: Int) {
        self.token = token
        self.skip = skip
    }

    /// Reads a `next_cursor` of `read_events`.
    init(_ text: String) throws {
        guard let data = Data(base64Encoded: text),
            case let parts = String(decoding: data, as: UTF8.self).split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false),
            parts.count == 3, parts[0] == "events2", let skip = Int(parts[1]), skip >= 0
        else {
            throw ToolError("cursor: not a cursor of read_events. Pass back next_cursor unchanged, with the same other arguments.")
        }
        self.init(token: parts[2].isEmpty ? nil : String(parts[2]), skip: skip)
    }

    var encoded: String { Data("events2|\(skip)|\(token ?? "")".utf8).base64EncodedString() }
}
