import Foundation
import JSONValue
import Testing

@testable import Core

/// The generated filter schemas (what MCP tools accept), Prefect's OpenAPI document and the Swift filter types (what
/// is sent) must agree key for key: a key valid by the schema but missing from the Swift type would be dropped.
/// Regenerate with `scripts/generate-filter-schemas URL` when Prefect's filters change.
@Suite("Generated filter schemas agree with Prefect and with the Swift filters")
struct FilterSchemaTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var schema: JSONValue
        var swiftKeys: Set<String>
        /// Prefect keys prefect-mcp deliberately does not send.
        var omitted: Set<String> = []
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "FlowRunFilter", schema: FilterSchemas.flowRunFilter, swiftKeys: KeyProbe.keys(of: FlowRunFilter.self), omitted: ["created_by"]),
        Case(name: "TaskRunFilter", schema: FilterSchemas.taskRunFilter, swiftKeys: KeyProbe.keys(of: TaskRunFilter.self)),
        Case(name: "FlowFilter", schema: FilterSchemas.flowFilter, swiftKeys: KeyProbe.keys(of: FlowFilter.self)),
        Case(
            name: "DeploymentFilter", schema: FilterSchemas.deploymentFilter, swiftKeys: KeyProbe.keys(of: DeploymentFilter.self),
            omitted: ["concurrency_limit"]),
        Case(name: "WorkPoolFilter", schema: FilterSchemas.workPoolFilter, swiftKeys: KeyProbe.keys(of: WorkPoolFilter.self)),
        Case(name: "AutomationFilter", schema: FilterSchemas.automationFilter, swiftKeys: KeyProbe.keys(of: AutomationFilter.self)),
        Case(name: "VariableFilter", schema: FilterSchemas.variableFilter, swiftKeys: KeyProbe.keys(of: VariableFilter.self)),
        Case(name: "ArtifactFilter", schema: FilterSchemas.artifactFilter, swiftKeys: KeyProbe.keys(of: ArtifactFilter.self)),
    ]

    static func keys(_ schema: JSONValue?) -> Set<String> { Set(schema?["properties"]?.objectValue?.keys ?? [:].keys) }

    @Test("Top-level keys: schema = Swift type = Prefect's minus what is omitted on purpose", arguments: cases)
    func topLevel(_ item: Case) throws {
        let schema = Self.keys(item.schema)
        let prefect = Set(try #require(RouteContractTests.document.filterSchemas[item.name]))
        #expect(schema == item.swiftKeys, "schema \(schema.sorted()) vs Swift \(item.swiftKeys.sorted())")
        #expect(
            schema == prefect.subtracting(item.omitted),
            "schema \(schema.sorted()) vs Prefect \(prefect.sorted()): regenerate with scripts/generate-filter-schemas")
        #expect(item.schema["additionalProperties"] == false)
    }

    @Test("Nested state filters agree too")
    func nested() {
        #expect(Self.keys(FilterSchemas.flowRunFilter["properties"]?["state"]) == KeyProbe.keys(of: FlowRunStateFilter.self))
        #expect(Self.keys(FilterSchemas.taskRunFilter["properties"]?["state"]) == KeyProbe.keys(of: TaskRunStateFilter.self))
        #expect(Self.keys(FilterSchemas.flowRunFilter["properties"]?["start_time"]) == KeyProbe.keys(of: NullableTimeRange.self))
        #expect(Self.keys(FilterSchemas.flowRunFilter["properties"]?["expected_start_time"]) == KeyProbe.keys(of: TimeRange.self))
    }

    @Test("The automation schema resolves every reference it makes")
    func automation() {
        let text = FilterSchemas.automation.jsonText
        let definitions = Set(FilterSchemas.automation["$defs"]?.objectValue?.keys ?? [:].keys)
        let references = text.matches(of: /#\/\$defs\/([A-Za-z0-9_-]+)/).map { String($0.1) }
        #expect(!references.isEmpty)
        #expect(Set(references).isSubset(of: definitions))
    }
}
