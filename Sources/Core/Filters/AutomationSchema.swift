package import JSONValue

/// Prefect's automation schema (``FilterSchemas/automation``), whole or narrowed to one action type.
///
/// ```swift
/// let schema = try AutomationSchema.pruned(toAction: "cancel-flow-run")
/// // actions, actions_on_trigger and actions_on_resolve take only {"type": "cancel-flow-run"};
/// // $defs keeps the trigger definitions and CancelFlowRun, and drops the other actions.
/// ```
package enum AutomationSchema {
    /// The keys whose items are actions.
    package static let actionKeys = ["actions", "actions_on_trigger", "actions_on_resolve"]

    /// An action type the schema does not have.
    package struct UnknownActionType: Error, CustomStringConvertible {
        package var given: String
        package var valid: [String]
        package var description: String {
            "action_type: '\(given.echoed)' is not an automation action type; valid ones: \(valid.joined(separator: ", "))."
        }
    }

    /// Every action type (`run-deployment`, `cancel-flow-run`, …) with the `$defs` reference that describes it, in
    /// the schema's order.
    package static let actions: [(type: String, ref: String)] = actions(of: FilterSchemas.automation)

    /// The action types, in the schema's order.
    package static var actionTypes: [String] { actions.map(\.type) }

    /// The automation schema whose action lists take only `type`, with the `$defs` no longer referenced left out
    /// (every `$ref` left still resolves).
    /// - Throws: ``UnknownActionType`` listing the valid types.
    package static func pruned(toAction type: String) throws -> JSONValue {
        try pruned(FilterSchemas.automation, toAction: type)
    }

    static func pruned(_ schema: JSONValue, toAction type: String) throws -> JSONValue {
        let known = actions(of: schema)
        guard let ref = known.first(where: { $0.type == type })?.ref else {
            throw UnknownActionType(given: type, valid: known.map(\.type))
        }
        guard case .object(var root) = schema, case .object(var properties) = root["properties"] else { return schema }
        for key in actionKeys {
            guard case .object(var list) = properties[key] else { continue }
            list["items"] = ["$ref": .string(ref)]
            properties[key] = .object(list)
        }
        root["properties"] = .object(properties)
        root["$defs"] = .object(referencedDefinitions(of: .object(root)))
        return .object(root)
    }

    /// The action types of a schema: the `type` constant of each definition its `actions` items refer to.
    static func actions(of schema: JSONValue) -> [(type: String, ref: String)] {
        let options = schema["properties"]?["actions"]?["items"]?["anyOf"]?.arrayValue ?? []
        return options.compactMap { option in
            guard let ref = option["$ref"]?.stringValue, let definition = resolve(ref, in: schema),
                let type = definition["properties"]?["type"]?["const"]?.stringValue
            else { return nil }
            return (type, ref)
        }
    }

    /// The definition a local `#/$defs/Name` reference points to.
    static func resolve(_ ref: String, in schema: JSONValue) -> JSONValue? {
        guard ref.hasPrefix("#/$defs/") else { return nil }
        return schema["$defs"]?[String(ref.dropFirst("#/$defs/".count))]
    }

    /// The `$defs` entries reachable from the schema's body (everything but `$defs`), following references inside
    /// definitions too.
    static func referencedDefinitions(of schema: JSONValue) -> [String: JSONValue] {
        let all = schema["$defs"]?.objectValue ?? [:]
        var body = schema.objectValue ?? [:]
        body["$defs"] = nil
        var kept: [String: JSONValue] = [:]
        var pending = references(in: .object(body))
        while let ref = pending.popLast() {
            let name = String(ref.dropFirst("#/$defs/".count))
            guard ref.hasPrefix("#/$defs/"), kept[name] == nil, let definition = all[name] else { continue }
            kept[name] = definition
            pending += references(in: definition)
        }
        return kept
    }

    /// Every `$ref` string in a value, however deep.
    package static func references(in value: JSONValue) -> [String] {
        switch value {
        case .object(let object):
            var found = object["$ref"]?.stringValue.map { [$0] } ?? []
            for (key, member) in object where key != "$ref" { found += references(in: member) }
            return found
        case .array(let items):
            return items.flatMap(references(in:))
        default:
            return []
        }
    }
}
