import Foundation
import TestSupport
import Testing

/// Every command's `--help` as a golden file: help is what teaches the tool, so a change to it shows up in review.
/// `UPDATE_GOLDENS=1 swift test --filter HelpGoldenTests` rewrites them after a deliberate change.
@Suite("--help of every command")
struct HelpGoldenTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    @Test("--help matches its golden file", arguments: ["", "dashboard", "mcp", "status", "logs", "run", "cancel", "setup", "doctor"])
    func help(command: String) throws {
        let arguments = (command.isEmpty ? [] : [command]) + ["--help"]
        let result = try BinaryRunner.run(arguments, environment: ["COLUMNS": "100"])
        #expect(result.status == 0, "\(result.stderr)")
        let file = Self.goldens.appendingPathComponent("help\(command.isEmpty ? "" : "-" + command).txt")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldens, withIntermediateDirectories: true)
            try Data(result.stdout.utf8).write(to: file, options: .atomic)
            return
        }
        let golden = try? String(contentsOf: file, encoding: .utf8)
        #expect(
            result.stdout == golden,
            """
            `prefect-mcp \(arguments.joined(separator: " "))` differs from Tests/AppTests/Goldens/\(file.lastPathComponent); \
            if the change is meant, run UPDATE_GOLDENS=1 swift test --filter HelpGoldenTests and read the diff
            """)
    }
}
