package import JSONValue

/// One parameter of a flow, as a form asks for it: read from the deployment's `parameter_openapi_schema` the way
/// Prefect writes it (properties ordered by `position`, `Optional[X]` as `anyOf [X, null]`, an `Enum` or `Literal`
/// as `enum`, possibly behind `allOf`/`$ref` to `definitions`).
package struct ParameterField: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case string, integer, number, boolean
        case choice([String])
        /// Anything else (objects, lists, unions): typed as JSON.
        case json
    }

    package var name: String
    package var kind: Kind
    package var required: Bool
    /// The property's own schema, what a typed value is checked against.
    package var schema: JSONValue
    /// What the field starts with: the deployment's value for it, else the schema's default, as text.
    package var initialText: String

    /// The fields of a deployment's parameters, in the flow signature's order.
    package static func fields(of declared: DeploymentParameters) -> [ParameterField] {
        guard let schema = declared.parameterOpenAPISchema, let properties = schema["properties"]?.objectValue else { return [] }
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let definitions = schema["definitions"]?.objectValue ?? schema["$defs"]?.objectValue ?? [:]
        let ordered = properties.sorted { left, right in
            (left.value["position"]?.intValue ?? .max, left.key) < (right.value["position"]?.intValue ?? .max, right.key)
        }
        return ordered.map { name, property in
            let initial = declared.parameters?[name] ?? property["default"]
            return ParameterField(
                name: name, kind: kind(of: property, definitions: definitions), required: required.contains(name), schema: property,
                initialText: initial.map(text(of:)) ?? "")
        }
    }

    /// A value as a field shows it: a string as it is, anything else as JSON.
    package static func text(of value: JSONValue) -> String {
        if let string = value.stringValue { return string }
        return value.jsonText
    }

    static func kind(of property: JSONValue, definitions: [String: JSONValue]) -> Kind {
        var property = property
        // Optional[X]: X, the field left empty means "not given".
        if let options = property["anyOf"]?.arrayValue {
            let nonNull = options.filter { $0["type"]?.stringValue != "null" }
            guard nonNull.count == 1 else { return .json }
            property = nonNull[0]
        }
        if let reference = (property["$ref"] ?? property["allOf"]?.arrayValue?.first?["$ref"])?.stringValue,
            let target = definitions[String(reference.split(separator: "/").last ?? "")]
        {
            property = target
        }
        if let values = property["enum"]?.arrayValue {
            let strings = values.compactMap(\.stringValue)
            return strings.count == values.count ? .choice(strings) : .json
        }
        switch property["type"]?.stringValue {
        case "string": return .string
        case "integer": return .integer
        case "number": return .number
        case "boolean": return .boolean
        default: return .json
        }
    }
}
