/// Validates JSON values against the JSON Schema subset that tool schemas use: `type` (one or several), `enum`,
/// `const`, `properties`, `required`, `additionalProperties`, `items`, `minItems`/`maxItems`, `uniqueItems`,
/// `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum`, `minLength`/`maxLength`, `pattern`, `format`
/// (`uuid`, `date-time`), `anyOf`/`oneOf`/`allOf`, and local `$ref`s into `$defs` or `definitions`.
/// Unknown keywords are ignored, as the specification says.
///
/// Arguments can be as large as a line (16 MiB), so a string over its `maxLength` gets that one violation and no
/// further checks, a string of more than ``maximumPatternBytes`` is not matched against a `pattern` (a regex takes
/// seconds over megabytes) but refused, and messages quote at most `String.echoLimit` characters of any value.
///
/// ```swift
/// let violations = JSONSchemaValidator(schema: tool.inputSchema).validate(arguments)
/// // ["limit: must be at most 200, got 500", "filter: unknown property \"flow_id\" (allowed: id, name, state)"]
/// ```
public struct JSONSchemaValidator: Sendable {
    public let schema: JSONValue
    /// At most this many violations are reported.
    public var maximumViolations = 10
    /// The longest string, in UTF-8 bytes, matched against a `pattern`.
    static let maximumPatternBytes = 16 << 10

    public init(schema: JSONValue) {
        self.schema = schema
    }

    public func validate(_ value: JSONValue) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        check(value, against: schema, path: "", into: &violations, depth: 0)
        return Array(violations.prefix(maximumViolations))
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, into violations: inout [SchemaViolation], depth: Int) {
        guard violations.count < maximumViolations else { return }
        guard depth < 64 else {
            violations.append(SchemaViolation(path: path, message: "nested too deeply"))
            return
        }
        guard case .object(let rules) = schema else {
            if schema == .bool(false) { violations.append(SchemaViolation(path: path, message: "no value is allowed here")) }
            return
        }
        if let ref = rules["$ref"]?.stringValue {
            guard let target = resolve(ref) else {
                violations.append(SchemaViolation(path: path, message: "schema reference \(ref) cannot be resolved"))
                return
            }
            check(value, against: target, path: path, into: &violations, depth: depth + 1)
        }
        if let types = rules["type"], !matches(value, types: types) {
            var violation = SchemaViolation(path: path, message: "expected \(describe(types: types)), got \(describe(value))")
            violation.isTypeMismatch = true
            violations.append(violation)
            return
        }
        // A string over its maxLength is refused for that alone: the other keywords would scan it for nothing.
        if case .string(let text) = value, let maximum = rules["maxLength"]?.intValue, text.utf8.count > maximum {
            let count = text.count  // no more characters than bytes: counted only when it may be too long
            if count > maximum {
                violations.append(SchemaViolation(path: path, message: "must be at most \(maximum) characters long, got \(count)"))
                return
            }
        }
        if let options = rules["enum"]?.arrayValue, !options.contains(where: { equal($0, value) }) {
            violations.append(
                SchemaViolation(path: path, message: "expected one of \(options.map(render).joined(separator: ", ")); got \(render(value))"))
        }
        if let constant = rules["const"], !equal(constant, value) {
            violations.append(SchemaViolation(path: path, message: "expected \(render(constant)), got \(render(value))"))
        }
        checkNumber(value, rules, path: path, into: &violations)
        checkString(value, rules, path: path, into: &violations)
        checkArray(value, rules, path: path, into: &violations, depth: depth)
        checkObject(value, rules, path: path, into: &violations, depth: depth)
        checkCombinators(value, rules, path: path, into: &violations, depth: depth)
    }

    // MARK: - Keywords by kind

    private func checkNumber(_ value: JSONValue, _ rules: [String: JSONValue], path: String, into violations: inout [SchemaViolation]) {
        guard let number = value.doubleValue, value.boolValue == nil else { return }
        if let minimum = rules["minimum"]?.doubleValue, number < minimum {
            violations.append(SchemaViolation(path: path, message: "must be at least \(render(rules["minimum"]!)), got \(render(value))"))
        }
        if let maximum = rules["maximum"]?.doubleValue, number > maximum {
            violations.append(SchemaViolation(path: path, message: "must be at most \(render(rules["maximum"]!)), got \(render(value))"))
        }
        if let bound = rules["exclusiveMinimum"]?.doubleValue, number <= bound {
            violations.append(
                SchemaViolation(path: path, message: "must be greater than \(render(rules["exclusiveMinimum"]!)), got \(render(value))"))
        }
        if let bound = rules["exclusiveMaximum"]?.doubleValue, number >= bound {
            violations.append(SchemaViolation(path: path, message: "must be less than \(render(rules["exclusiveMaximum"]!)), got \(render(value))"))
        }
    }

    private func checkString(_ value: JSONValue, _ rules: [String: JSONValue], path: String, into violations: inout [SchemaViolation]) {
        guard case .string(let text) = value else { return }
        if let minimum = rules["minLength"]?.intValue, minimum > 0, text.prefix(minimum).count < minimum {
            violations.append(SchemaViolation(path: path, message: "must be at least \(minimum) characters long"))
        }
        if let pattern = rules["pattern"]?.stringValue, let regex = try? Regex(pattern) {
            if text.utf8.count > Self.maximumPatternBytes {
                let limit = Self.maximumPatternBytes
                violations.append(
                    SchemaViolation(
                        path: path,
                        message: "must be at most \(limit) bytes long to be matched against the pattern \(pattern), got \(text.utf8.count)"))
            } else if (try? regex.firstMatch(in: text)) == nil {
                violations.append(SchemaViolation(path: path, message: "must match the pattern \(pattern), got \(render(value))"))
            }
        }
        if let format = rules["format"]?.stringValue, !SchemaFormats.matches(text, format: format) {
            violations.append(SchemaViolation(path: path, message: "must be \(SchemaFormats.describe(format)), got \(render(value))"))
        }
    }

    private func checkArray(_ value: JSONValue, _ rules: [String: JSONValue], path: String, into violations: inout [SchemaViolation], depth: Int) {
        guard case .array(let items) = value else { return }
        if let minimum = rules["minItems"]?.intValue, items.count < minimum {
            violations.append(SchemaViolation(path: path, message: "must have at least \(minimum) item\(minimum == 1 ? "" : "s")"))
        }
        if let maximum = rules["maxItems"]?.intValue, items.count > maximum {
            violations.append(SchemaViolation(path: path, message: "must have at most \(maximum) items, got \(items.count)"))
        }
        if rules["uniqueItems"] == .bool(true) {
            for index in items.indices where items[..<index].contains(where: { equal($0, items[index]) }) {
                violations.append(SchemaViolation(path: "\(path)[\(index)]", message: "repeats an earlier item"))
                break
            }
        }
        if let itemSchema = rules["items"] {
            for (index, item) in items.enumerated() {
                check(item, against: itemSchema, path: "\(path)[\(index)]", into: &violations, depth: depth + 1)
            }
        }
    }

    private func checkObject(_ value: JSONValue, _ rules: [String: JSONValue], path: String, into violations: inout [SchemaViolation], depth: Int) {
        guard case .object(let members) = value else { return }
        let properties = rules["properties"]?.objectValue ?? [:]
        for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
            violations.append(SchemaViolation(path: join(path, name), message: "is required"))
        }
        for name in members.keys.sorted() {
            let member = members[name]!
            if let propertySchema = properties[name] {
                check(member, against: propertySchema, path: join(path, name), into: &violations, depth: depth + 1)
            } else if let additional = rules["additionalProperties"] {
                if additional == .bool(false) {
                    let allowed = properties.keys.sorted().joined(separator: ", ")
                    violations.append(
                        SchemaViolation(path: join(path, name), message: "is not allowed here (allowed: \(allowed.isEmpty ? "none" : allowed))"))
                } else if case .object = additional {
                    check(member, against: additional, path: join(path, name), into: &violations, depth: depth + 1)
                }
            }
        }
    }

    private func checkCombinators(
        _ value: JSONValue, _ rules: [String: JSONValue], path: String, into violations: inout [SchemaViolation], depth: Int
    ) {
        if let all = rules["allOf"]?.arrayValue {
            for schema in all { check(value, against: schema, path: path, into: &violations, depth: depth + 1) }
        }
        if let any = rules["anyOf"]?.arrayValue {
            let results = any.map { schema -> [SchemaViolation] in
                var local: [SchemaViolation] = []
                check(value, against: schema, path: path, into: &local, depth: depth + 1)
                return local
            }
            if !results.contains(where: \.isEmpty) {
                violations.append(contentsOf: Self.closest(results, at: path))
            }
        }
        if let one = rules["oneOf"]?.arrayValue {
            let results = one.map { schema -> [SchemaViolation] in
                var local: [SchemaViolation] = []
                check(value, against: schema, path: path, into: &local, depth: depth + 1)
                return local
            }
            let matching = results.filter(\.isEmpty).count
            if matching == 0 {
                violations.append(contentsOf: Self.closest(results, at: path))
            } else if matching > 1 {
                violations.append(SchemaViolation(path: path, message: "matches more than one of the allowed shapes"))
            }
        }
    }

    // MARK: - Helpers

    /// The failed alternative that was most likely meant: one whose type matched, then the fewest violations.
    private static func closest(_ alternatives: [[SchemaViolation]], at path: String) -> [SchemaViolation] {
        func rank(_ violations: [SchemaViolation]) -> (Int, Int) {
            let wrongType = violations.contains { $0.isTypeMismatch && $0.path == path }
            return (wrongType ? 1 : 0, violations.count)
        }
        return alternatives.min { rank($0) < rank($1) } ?? []
    }

    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return reference == "#" ? schema : nil }
        var node = schema
        for part in reference.dropFirst(2).split(separator: "/") {
            let key = String(part).replacing("~1", with: "/").replacing("~0", with: "~")
            guard let next = node[key] else { return nil }
            node = next
        }
        return node
    }

    private func matches(_ value: JSONValue, types: JSONValue) -> Bool {
        switch types {
        case .string(let type): matches(value, type: type)
        case .array(let list): list.contains { $0.stringValue.map { matches(value, type: $0) } ?? false }
        default: true
        }
    }

    private func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .int): true
        case ("integer", .double(let number)): number.rounded() == number
        case ("number", .int), ("number", .double): true
        default: false
        }
    }

    private func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if let a = left.doubleValue, let b = right.doubleValue, left.boolValue == nil, right.boolValue == nil { return a == b }
        return left == right
    }

    /// The path to a member; a long member name (the client's own, under `additionalProperties`) is cut.
    private func join(_ path: String, _ name: String) -> String {
        let name = name.echoed
        return path.isEmpty ? name : "\(path).\(name)"
    }

    private func describe(types: JSONValue) -> String {
        let names = types.arrayValue?.compactMap(\.stringValue) ?? types.stringValue.map { [$0] } ?? []
        let words = names.map { name -> String in
            switch name {
            case "integer": "an integer"
            case "object": "an object"
            case "array": "an array"
            case "null": "null"
            default: "a \(name)"
            }
        }
        return words.count <= 1 ? (words.first ?? "a value") : words.dropLast().joined(separator: ", ") + " or " + words.last!
    }

    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean (\(render(value)))"
        case .int, .double: "a number (\(render(value)))"
        case .string: "a string (\(render(value)))"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// A short rendering for messages: strings quoted, long ones cut.
    private func render(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .string(let text): return "\"" + text.echoed + "\""
        case .array: return "[…]"
        case .object: return "{…}"
        }
    }
}

/// The `format` values the validator checks; others are accepted as the specification allows.
enum SchemaFormats {
    static func matches(_ text: String, format: String) -> Bool {
        switch format {
        case "uuid": isUUID(text)
        case "date-time": isDateTime(text)
        default: true
        }
    }

    static func describe(_ format: String) -> String {
        switch format {
        case "uuid": "a UUID like 0b6c3c3e-1f2a-4d5b-9c8d-7e6f5a4b3c2d"
        case "date-time": "an ISO 8601 date-time like 2026-11-25T12:00:00Z"
        default: "in \(format) format"
        }
    }

    static func isUUID(_ text: String) -> Bool {
        guard text.utf8.count == 36 else { return false }
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                if byte != UInt8(ascii: "-") { return false }
            } else if !(byte >= 48 && byte <= 57) && !(byte >= 97 && byte <= 102) && !(byte >= 65 && byte <= 70) {
                return false
            }
        }
        return true
    }

    /// `YYYY-MM-DDTHH:MM:SS` with optional fraction and a `Z` or `±HH:MM` zone.
    static func isDateTime(_ text: String) -> Bool {
        (try? Regex(#"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$"#).wholeMatch(in: text)) != nil
    }
}
