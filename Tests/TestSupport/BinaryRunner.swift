public import Foundation

/// Runs the built `prefect-mcp` binary, as a user or a script would.
public enum BinaryRunner {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// `PREFECT_MCP_BINARY`, else `.build/debug/prefect-mcp` of this package.
    public static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["PREFECT_MCP_BINARY"], !path.isEmpty { return path }
        return packageRoot.appendingPathComponent(".build/debug/prefect-mcp").path
    }

    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs the binary with exactly `environment` (plus PATH and LANG), so no setting leaks in from the machine.
    /// - Parameter home: `HOME` for the run; a fresh empty directory by default, so no profiles file is found.
    public static func run(_ arguments: [String], environment: [String: String] = [:], home: String? = nil, stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaryPath)
        process.arguments = arguments
        var env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        env["HOME"] = try home ?? TemporaryDirectory.make()
        process.environment = env.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Fresh directories under the system temporary directory.
public enum TemporaryDirectory {
    public static func make() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-mcp-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}
