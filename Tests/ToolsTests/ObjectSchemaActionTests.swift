import Core
import JSONValue
import MCP
import Testing

@testable import Tools

@Suite("get_object_schema narrowed to one action type")
struct ObjectSchemaActionTests {
    static func schema(_ arguments: JSONValue) async throws -> JSONValue {
        try #require(try await ToolsFixture.call("get_object_schema", arguments).structured["schema"])
    }

    @Test("Each action type: only it in the three action lists, every $ref resolves, every kept $def is used, and it is smaller")
    func pruned() async throws {
        let full = try await Self.schema(["object_type": "automation"])
        let types = AutomationSchema.actionTypes
        #expect(types.count >= 15 && types.contains("run-deployment") && types.contains("cancel-flow-run"))
        for type in types {
            let schema = try await Self.schema(["object_type": "automation", "action_type": .string(type)])
            let definitions = try #require(schema["$defs"]?.objectValue)
            for key in AutomationSchema.actionKeys {
                let ref = try #require(schema["properties"]?[key]?["items"]?["$ref"]?.stringValue, "\(type): \(key)")
                let definition = try #require(definitions[String(ref.dropFirst("#/$defs/".count))])
                #expect(definition["properties"]?["type"]?["const"]?.stringValue == type)
            }
            let refs = Set(AutomationSchema.references(in: schema))
            for ref in refs {
                #expect(ref.hasPrefix("#/$defs/") && definitions[String(ref.dropFirst("#/$defs/".count))] != nil, "\(type): \(ref) does not resolve")
            }
            #expect(Set(definitions.keys) == Set(refs.map { String($0.dropFirst("#/$defs/".count)) }), "\(type): unused definitions kept")
            #expect(definitions["EventTrigger-Input"] != nil, "the trigger definitions stay")
            #expect(schema.jsonByteCount * 10 < full.jsonByteCount * 8, "\(type): \(schema.jsonByteCount) of \(full.jsonByteCount) bytes")
        }
    }

    @Test("A pruned schema validates an automation with that action and refuses one with another")
    func validates() async throws {
        let schema = try await Self.schema(["object_type": "automation", "action_type": "run-deployment"])
        let automation: JSONValue = [
            "name": "x", "trigger": ["type": "event", "posture": "Reactive", "expect": ["acme.go"]],
            "actions": [["type": "run-deployment", "source": "selected", "deployment_id": "11111111-1111-4111-8111-111111111111"]],
        ]
        #expect(JSONSchemaValidator(schema: schema).validate(automation).isEmpty)
        var other = automation.objectValue ?? [:]
        other["actions"] = [["type": "cancel-flow-run"]]
        #expect(!JSONSchemaValidator(schema: schema).validate(.object(other)).isEmpty)
    }

    @Test("The worked example comes only with the schemas it is valid against")
    func example() async throws {
        let cancel = try await ToolsFixture.call("get_object_schema", ["object_type": "automation", "action_type": "cancel-flow-run"]).structured
        let run = try await ToolsFixture.call("get_object_schema", ["object_type": "automation", "action_type": "run-deployment"]).structured
        let example = try #require(cancel["examples"]?["proactive_stuck_pending_flow_runs"])
        #expect(JSONSchemaValidator(schema: try #require(cancel["schema"])).validate(example).isEmpty)
        #expect(run["examples"] == [:] && run["action_type"] == "run-deployment")
    }

    @Test("An unknown action type is an error listing the valid ones, in the handler and in the input schema")
    func unknown() async throws {
        await #expect {
            try await ToolsFixture.call("get_object_schema", ["object_type": "automation", "action_type": "launch-rocket"])
        } throws: { error in
            let text = String(describing: error)
            return text.hasPrefix("action_type: 'launch-rocket' is not an automation action type") && text.contains("run-deployment")
                && text.contains("cancel-flow-run")
        }
        let tool = try #require(ToolsFixture.registry().tools.first { $0.name == "get_object_schema" })
        let violations = JSONSchemaValidator(schema: tool.inputSchema).validate(["object_type": "automation", "action_type": "launch-rocket"])
        #expect(violations.map(String.init(describing:)).joined().contains("run-deployment"))
    }
}
