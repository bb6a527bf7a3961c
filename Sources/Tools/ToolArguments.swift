import Core
import FoundationEssentials
import JSONValue
import MCP

/// Reads tool arguments that already passed schema validation; what the schema cannot check throws ``ToolError``
/// naming the parameter.
struct ToolArguments {
    let values: JSONValue
    let tool: String
    let now: Date

    init(_ values: JSONValue, tool: String, now: Date = Date()) {
        self.values = values
        self.tool = tool
        self.now = now
    }

    func string(_ key: String) -> String? { values[key]?.stringValue }
    func int(_ key: String, default value: Int) -> Int { values[key]?.intValue ?? value }
    func bool(_ key: String, default value: Bool) -> Bool { values[key]?.boolValue ?? value }

    /// A time argument: ISO 8601, `now`, or a time ago (`15m`, `24h`, `7d`).
    func date(_ key: String) throws -> Date? {
        guard let text = string(key) else { return nil }
        guard let date = TimeReference.parse(text, now: now) else {
            throw ToolError("\(key): '\(text.echoed)' is not a time; use \(TimeReference.expectedFormat).")
        }
        return date
    }

    /// A UUID argument.
    func uuid(_ key: String) throws -> String? {
        guard let text = string(key) else { return nil }
        guard UUID(uuidString: text) != nil else {
            throw ToolError(
                "\(key): '\(text.echoed)' is not a UUID. Ids look like 0b6c3c3e-1f2a-4d5b-9c8d-7e6f5a4b3c2d; to find one by name, list with "
                    + "a name filter first."
            )
        }
        return text.lowercased()
    }

    /// Decodes a Prefect filter object, refusing any key it would otherwise drop on the way to Prefect.
    func filter<Filter: Codable>(_ key: String = "filter", as type: Filter.Type) throws -> Filter? {
        guard let value = values[key], value != .null else { return nil }
        let filter: Filter
        do {
            filter = try JSONCoding.decode(Filter.self, from: value)
        } catch {
            throw ToolError("\(key): not a valid Prefect filter: \(error)")
        }
        let roundTrip = try JSONValue(encoding: filter)
        if let lost = Self.firstDifference(value, roundTrip, path: key) {
            throw ToolError("\(lost): prefect-mcp cannot pass this filter key to Prefect; leave it out or filter differently.")
        }
        return filter
    }

    /// The page position from `cursor`, or the first page. The cursor must come from this tool with the same
    /// arguments.
    func cursor() throws -> PageCursor {
        let scope = "\(tool):\(PageCursor.fingerprint(Self.canonical(values, dropping: ["cursor", "limit"])))"
        guard let text = string("cursor") else { return PageCursor(offset: 0, scope: scope, anchor: now.timeIntervalSince1970) }
        guard let cursor = PageCursor(text, scope: scope) else {
            throw ToolError("cursor: not a cursor of \(tool) with these arguments. Pass back next_cursor unchanged, with the same other arguments.")
        }
        return cursor
    }

    private static func canonical(_ value: JSONValue, dropping keys: Set<String>) -> String {
        guard case .object(var object) = value else { return "" }
        for key in keys { object[key] = nil }
        return JSONValue.object(object).jsonText
    }

    /// Where `given` has something `kept` lost, as a path; dates are compared as instants.
    private static func firstDifference(_ given: JSONValue, _ kept: JSONValue, path: String) -> String? {
        switch (given, kept) {
        case (.object(let a), .object(let b)):
            for key in a.keys.sorted() where a[key] != .null {
                guard let other = b[key] else { return "\(path).\(key)" }
                if let lost = firstDifference(a[key]!, other, path: "\(path).\(key)") { return lost }
            }
            return nil
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return path }
            for (index, pair) in zip(a, b).enumerated() {
                if let lost = firstDifference(pair.0, pair.1, path: "\(path)[\(index)]") { return lost }
            }
            return nil
        case (.string(let a), .string(let b)):
            if a == b { return nil }
            if let x = PrefectDate.parse(a), let y = PrefectDate.parse(b), abs(x.timeIntervalSince(y)) < 0.000_001 { return nil }
            return path
        default:
            if let x = given.doubleValue, let y = kept.doubleValue, x == y { return nil }
            return given == kept ? nil : path
        }
    }
}
