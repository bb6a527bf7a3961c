import Foundation
import JSONValue
import MCP
import Testing

@testable import Tools

/// One committed JSON file per tool (name, title, annotations, input and output schema), as github-mcp-server's
/// `__toolsnaps__`: a change to what clients see shows up in review. `UPDATE_SNAPSHOTS=1 swift test --filter
/// SnapshotTests` rewrites them.
@Suite("Tool schema snapshots and the README's tool table")
struct SnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md").standardized
    static let update = ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1"
    static let fix = "UPDATE_SNAPSHOTS=1 swift test --filter SnapshotTests"

    static func snapshot(of tool: ToolDefinition) throws -> Data {
        var object: [String: JSONValue] = [
            "name": .string(tool.name), "title": .string(tool.title), "description": .string(tool.description), "inputSchema": tool.inputSchema,
            "annotations": [
                "readOnlyHint": .bool(tool.annotations.readOnlyHint), "destructiveHint": .bool(tool.annotations.destructiveHint),
                "idempotentHint": .bool(tool.annotations.idempotentHint), "openWorldHint": .bool(tool.annotations.openWorldHint),
            ],
        ]
        if let output = tool.outputSchema { object["outputSchema"] = output }
        return Data((JSONValue.object(object).prettyText + "\n").utf8)
    }

    @Test("Each tool's schema matches its snapshot", arguments: ToolsFixture.registry().tools.map(\.name))
    func matches(name: String) throws {
        let tool = try #require(ToolsFixture.registry().tools.first { $0.name == name })
        let file = Self.directory.appendingPathComponent("\(name).json")
        let current = try Self.snapshot(of: tool)
        if Self.update {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try current.write(to: file, options: .atomic)
            return
        }
        let committed = try? Data(contentsOf: file)
        #expect(
            committed == current,
            "the schema of \(name) differs from Tests/ToolsTests/Snapshots/\(name).json; if the change is meant, run: \(Self.fix)")
    }

    @Test("No snapshot is left for a tool that is gone")
    func noStaleSnapshots() throws {
        let names = Set(ToolsFixture.registry().tools.map { "\($0.name).json" })
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".json") })
        if Self.update {
            for stale in files.subtracting(names) { try FileManager.default.removeItem(at: Self.directory.appendingPathComponent(stale)) }
            return
        }
        #expect(files == names, "stale: \(files.subtracting(names).sorted()), missing: \(names.subtracting(files).sorted()); run: \(Self.fix)")
    }

    @Test("The README's tool table lists the registered tools, in tools/list order")
    func readmeTable() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let section = try #require(text.firstRange(of: "### Tools").map { text[$0.upperBound...] })
        let table = section.split(separator: "\n").drop { !$0.hasPrefix("| tool |") }.dropFirst(2).prefix { $0.hasPrefix("|") }
        let listed = table.flatMap { row in
            row.split(separator: "|").first.map { cell in cell.matches(of: /`([a-z_]+)`/).map { String($0.output.1) } } ?? []
        }
        let registered = ToolsFixture.registry().tools.map(\.name)
        #expect(
            listed == registered,
            """
            README.md's tool table (section "### Tools", first column) lists \(listed) but tools/list has \(registered): \
            add, remove or reorder rows to match PrefectTools.registry.
            """)
    }
}
