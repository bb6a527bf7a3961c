import JSONValue
import Testing

@testable import MCP

@Suite("JSON Schema validation")
struct SchemaValidatorTests {
    static let filterSchema: JSONValue = [
        "type": "object", "additionalProperties": false,
        "properties": [
            "limit": ["type": "integer", "minimum": 1, "maximum": 200],
            "id": ["type": "string", "format": "uuid"],
            "since": ["type": "string", "format": "date-time"],
            "filter": ["$ref": "#/$defs/FlowRunFilter"],
            "window": ["type": "string", "pattern": "^[0-9]+[smhdw]$"],
            "level": ["anyOf": [["type": "integer"], ["type": "string", "enum": ["DEBUG", "INFO", "ERROR"]]]],
            "note": ["type": ["string", "null"]],
        ],
        "$defs": [
            "FlowRunFilter": [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "state": [
                        "type": "object", "additionalProperties": false,
                        "properties": [
                            "type": [
                                "type": "object", "additionalProperties": false,
                                "properties": [
                                    "any_": [
                                        "type": "array", "minItems": 1, "uniqueItems": true,
                                        "items": ["type": "string", "enum": ["SCHEDULED", "RUNNING", "FAILED"]],
                                    ]
                                ],
                            ]
                        ],
                    ]
                ],
            ]
        ],
    ]

    func violations(_ value: JSONValue) -> [String] {
        JSONSchemaValidator(schema: Self.filterSchema).validate(value).map(\.description)
    }

    @Test("Valid values pass")
    func valid() {
        #expect(
            violations([
                "limit": 5, "id": "0b6c3c3e-1f2a-4d5b-9c8d-7e6f5a4b3c2d", "since": "2026-11-25T12:00:00.123Z",
                "filter": ["state": ["type": ["any_": ["FAILED", "RUNNING"]]]], "window": "24h", "level": "ERROR", "note": nil,
            ]) == [])
        #expect(violations(["limit": 5.0]) == [], "5.0 is an integer")
    }

    @Test("Violations name the path, including through $ref and arrays")
    func paths() {
        #expect(
            violations(["filter": ["state": ["type": ["any_": ["LATE"]]]]]) == [
                #"filter.state.type.any_[0]: expected one of "SCHEDULED", "RUNNING", "FAILED"; got "LATE""#
            ])
        #expect(violations(["filter": ["flow_runs": [:]]]) == ["filter.flow_runs: is not allowed here (allowed: state)"])
        #expect(violations(["filter": ["state": ["type": ["any_": []]]]]) == ["filter.state.type.any_: must have at least 1 item"])
        #expect(
            violations(["filter": ["state": ["type": ["any_": ["FAILED", "FAILED"]]]]]) == ["filter.state.type.any_[1]: repeats an earlier item"])
    }

    static let ruleCases: [(JSONValue, String)] = {
        var cases: [(JSONValue, String)] = []
        cases.append((["limit": 0], "limit: must be at least 1, got 0"))
        cases.append((["limit": 201], "limit: must be at most 200, got 201"))
        cases.append((["limit": 1.5], "limit: expected an integer, got a number (1.5)"))
        cases.append((["limit": "10"], #"limit: expected an integer, got a string ("10")"#))
        cases.append((["id": "12345"], #"id: must be a UUID like 0b6c3c3e-1f2a-4d5b-9c8d-7e6f5a4b3c2d, got "12345""#))
        cases.append((["since": "yesterday"], #"since: must be an ISO 8601 date-time like 2026-11-25T12:00:00Z, got "yesterday""#))
        cases.append((["window": "1 day"], #"window: must match the pattern ^[0-9]+[smhdw]$, got "1 day""#))
        cases.append((["level": "LOUD"], #"level: expected one of "DEBUG", "INFO", "ERROR"; got "LOUD""#))
        cases.append((["note": 3], "note: expected a string or null, got a number (3)"))
        cases.append(([1, 2], "expected an object, got an array"))
        return cases
    }()

    @Test("Bounds, formats, patterns, types and unions", arguments: ruleCases)
    func rules(value: JSONValue, message: String) {
        #expect(violations(value) == [message])
    }

    static let megabyte = String(repeating: "x", count: 1_000_000)

    @Test(
        "A 1 MB value or member name is quoted cut to 200 characters, saying how much was cut",
        arguments: [
            (["limit": .string(megabyte)], "limit: expected an integer, got a string"),
            (["level": .string(megabyte)], "level: expected one of"),
            (["id": .string(megabyte)], "id: must be a UUID"),
            (["filter": ["state": ["type": ["any_": [.string(megabyte)]]]]], "filter.state.type.any_[0]: expected one of"),
            ([megabyte: 1], "xxxxxxxxxx"),
            (["window": .string("1 day" + String(repeating: " ", count: 10_000))], "window: must match the pattern"),
        ] as [(JSONValue, String)])
    func hugeValues(value: JSONValue, start: String) throws {
        let messages = violations(value)
        try #require(messages.count == 1)
        let message = messages[0]
        #expect(message.hasPrefix(start))
        #expect(message.contains(" … [cut: "))
        #expect(message.count < 400)
    }

    @Test("A string over its maxLength gets that violation alone; one too long to match a pattern is refused for that")
    func hugeStrings() {
        let digits = String(repeating: "7", count: 1_000_000)
        let bounded = JSONSchemaValidator(schema: ["type": "string", "maxLength": 10, "pattern": "^[0-9]+$", "enum": ["1"], "format": "uuid"])
        #expect(bounded.validate(.string(digits)).map(\.description) == ["must be at most 10 characters long, got 1000000"])
        #expect(
            violations(["window": .string(digits)]) == [
                "window: must be at most 16384 bytes long to be matched against the pattern ^[0-9]+[smhdw]$, got 1000000"
            ])
        #expect(violations(["window": .string(String(repeating: "7", count: 16_383) + "h")]) == [])
    }

    @Test("Reports are capped")
    func cap() {
        var object: [String: JSONValue] = [:]
        for index in 0..<50 { object["x\(index)"] = 1 }
        #expect(violations(.object(object)).count == 10)
    }
}
