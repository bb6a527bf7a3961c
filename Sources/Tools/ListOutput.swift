import Core
import FoundationEssentials
import JSONValue

/// The shape every list tool returns: `{<items>: [...], count, truncated, next_cursor}`, kept under a byte budget.
/// Long strings are cut with a marker saying how much was cut; rows that do not fit are left for the next page.
struct ListOutput {
    /// What an assistant should have to read at most, in bytes of JSON.
    static let budget = 40_000
    /// Longest string kept whole (messages, tracebacks, parameters).
    static let longestString = 2_000

    /// How the next page is reached.
    enum Continuation {
        /// By offset: the cursor this page was read with (its offset is where `items` start), and whether the server
        /// has more after them.
        case offset(PageCursor, truncated: Bool)
        /// By the server's page token: the next cursor, given how many of `items` were kept (all of them, or fewer
        /// when the budget cut the page), or nil at the end.
        case token((_ kept: Int) -> String?)
    }

    var key: String
    var items: [JSONValue]
    var next: Continuation
    var extra: [String: JSONValue] = [:]
    /// Strings longer than this are cut (log lines keep more: a traceback is the point).
    var longestString = ListOutput.longestString
    /// Items are given in reading order of the pages (e.g. newest first) but shown reversed (oldest first).
    var reversedForDisplay = false

    func json() -> JSONValue {
        var kept: [JSONValue] = []
        var size = 200 + extra.reduce(0) { $0 + Self.size($1.value) }
        var cutForBudget = false
        for item in items {
            let clipped = Self.clip(item, limit: longestString)
            let itemSize = Self.size(clipped) + 1
            if size + itemSize > Self.budget, !kept.isEmpty {
                cutForBudget = true
                break
            }
            kept.append(clipped)
            size += itemSize
        }
        let nextCursor: String?
        switch next {
        case .token(let cursor):
            nextCursor = cursor(kept.count)
        case .offset(var cursor, let truncated):
            cursor.offset += kept.count
            nextCursor = truncated || cutForBudget ? cursor.encoded : nil
        }
        var object: [String: JSONValue] = [
            key: .array(reversedForDisplay ? kept.reversed() : kept),
            "count": .int(kept.count),
            "truncated": .bool(nextCursor != nil),
            "next_cursor": nextCursor.map(JSONValue.string) ?? .null,
        ]
        if cutForBudget {
            object["note"] = .string(
                "\(items.count - kept.count) more rows did not fit the \(Self.budget / 1000) KB budget; pass next_cursor for them")
        }
        for (name, value) in extra { object[name] = value }
        return .object(object)
    }

    static func size(_ value: JSONValue) -> Int {
        value.jsonByteCount
    }

    /// Cuts every string longer than ``longestString``, saying so in the string itself.
    static func clip(_ value: JSONValue, limit: Int = longestString) -> JSONValue {
        clipped(value, limit: limit) ?? value
    }

    /// The value with its long strings cut, or nil when none is too long: most rows are kept as they are, without
    /// copying them.
    private static func clipped(_ value: JSONValue, limit: Int) -> JSONValue? {
        switch value {
        case .string(let text):
            return text.isLonger(than: limit) ? .string(text.clipped(to: limit)) : nil
        case .array(var items):
            var changed = false
            for index in items.indices {
                if let clipped = clipped(items[index], limit: limit) {
                    items[index] = clipped
                    changed = true
                }
            }
            return changed ? .array(items) : nil
        case .object(var object):
            var changed = false
            for (key, member) in object {
                if let clipped = clipped(member, limit: limit) {
                    object[key] = clipped
                    changed = true
                }
            }
            return changed ? .object(object) : nil
        default:
            return nil
        }
    }
}

/// Shared schema fragments.
enum SchemaFragments {
    static func limit(default value: Int, maximum: Int = 200) -> JSONValue {
        [
            "type": "integer", "minimum": 1, "maximum": .int(maximum), "default": .int(value),
            "description": .string("Rows per page (1–\(maximum), default \(value))."),
        ]
    }

    static let cursor: JSONValue = [
        "type": "string", "description": "next_cursor from the previous page of this tool, with the same other arguments.",
    ]

    /// `{<key>: [item], count, truncated, next_cursor}` plus `extra` properties.
    static func listOutput(key: String, item: JSONValue, extra: [String: JSONValue] = [:]) -> JSONValue {
        var properties: [String: JSONValue] = [
            key: ["type": "array", "items": item],
            "count": ["type": "integer"],
            "truncated": ["type": "boolean", "description": "More rows match: pass next_cursor for them."],
            "next_cursor": ["type": ["string", "null"]],
            "note": ["type": "string"],
        ]
        for (name, schema) in extra { properties[name] = schema }
        return ["type": "object", "required": .array([.string(key), "count", "truncated", "next_cursor"]), "properties": .object(properties)]
    }

    static let nullableString: JSONValue = ["type": ["string", "null"]]
    static let nullableNumber: JSONValue = ["type": ["number", "null"]]
    static let nullableInteger: JSONValue = ["type": ["integer", "null"]]

    /// A ``FlowRunRow``.
    static let flowRunRow: JSONValue = [
        "type": "object",
        "required": [
            "id", "name", "flow_id", "flow_name", "deployment_name", "state_type", "state_name", "expected_start_time", "start_time", "end_time",
            "ui_url",
        ],
        "properties": [
            "id": ["type": "string"], "name": ["type": "string"], "flow_id": ["type": "string"], "flow_name": nullableString,
            "deployment_id": nullableString, "deployment_name": nullableString, "work_pool_name": nullableString, "work_queue_name": nullableString,
            "state_type": nullableString, "state_name": nullableString, "state_message": nullableString,
            "expected_start_time": nullableString, "start_time": nullableString, "end_time": nullableString,
            "duration_seconds": nullableNumber, "late_by_seconds": nullableNumber, "run_count": nullableInteger,
            "tags": ["type": "array", "items": ["type": "string"]], "parent_task_run_id": nullableString, "ui_url": ["type": "string"],
        ],
    ]
}
