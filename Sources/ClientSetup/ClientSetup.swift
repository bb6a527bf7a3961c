import JSONValue

/// What `prefect-mcp setup` would do to one client's configuration file, computed before anything is written.
///
/// ```swift
/// let change = try ConfigChange.plan(client: .cursor, scope: .project, entry: entry, home: home, project: cwd)
/// print(change.diff)            // --dry-run
/// let backup = try change.write()
/// ```
public struct ConfigChange: Sendable {
    public var client: AssistantClient
    public var path: String
    /// The file's text now; nil when there is no file.
    public var before: String?
    /// The text to write; nil when the file already has the entry as given (a second run changes nothing).
    public var after: String?

    /// The name the server is registered under.
    public static let serverName = "prefect"

    /// Reads the client's file and computes its new text.
    /// - Throws: ``ConfigFileError`` when the file cannot be read, is malformed (line and reason), or holds the
    ///   server in a form setup does not rewrite. Nothing is written either way.
    public static func plan(
        client: AssistantClient, scope: AssistantClient.Scope, entry: ServerEntry, home: String, project: String, environment: [String: String] = [:]
    ) throws(ConfigFileError) -> ConfigChange {
        let path = client.configPath(scope: scope, home: home, project: project, environment: environment)
        let before = try ConfigFileIO.read(path)
        let after: String?
        if client.usesTOML {
            after = try TOMLServerEdit.apply(to: before ?? "", server: serverName, entry: entry, path: path)
        } else {
            after = try JSONServerEdit.apply(to: before ?? "", server: serverName, entry: members(of: entry, for: client), path: path)
        }
        return ConfigChange(client: client, path: path, before: before, after: after)
    }

    /// The JSON members of the entry, in the order written: Claude Code's entries name their transport.
    static func members(of entry: ServerEntry, for client: AssistantClient) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = client == .claude ? [("type", "stdio")] : []
        members.append(("command", .string(entry.command)))
        members.append(("args", .array(entry.arguments.map(JSONValue.string))))
        if !entry.environment.isEmpty { members.append(("env", .object(entry.environment.mapValues(JSONValue.string)))) }
        return members
    }

    public var changes: Bool { after != nil }

    /// Where the old file is copied before it is replaced.
    public var backupPath: String { "\(path).bak" }

    /// Writes the backup of an existing file first, then the new text. Returns the backup's path (nil for a new
    /// file, or when nothing changes).
    public func write() throws(ConfigFileError) -> String? {
        guard let after else { return nil }
        var backup: String?
        if let before {
            try ConfigFileIO.write(before, to: backupPath, mode: 0o600)
            backup = backupPath
        }
        try ConfigFileIO.write(after, to: path, mode: 0o644)
        return backup
    }

    /// A unified diff of the change (`--- path`, `+++ path`, one hunk with three lines of context); empty when
    /// nothing changes.
    public var diff: String {
        guard let after else { return "" }
        return UnifiedDiff.make(old: before ?? "", new: after, oldName: before == nil ? "/dev/null" : path, newName: path)
    }
}

/// The smallest unified diff of two texts that differ in one stretch (as a splice makes them).
enum UnifiedDiff {
    static func make(old: String, new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        guard prefix < a.count || prefix < b.count, a != b else { return "" }
        let start = max(0, prefix - context)
        let aEnd = min(a.count, a.count - suffix + context)
        let bEnd = min(b.count, b.count - suffix + context)
        var out = ["--- \(oldName)", "+++ \(newName)", "@@ -\(range(start, aEnd - start)) +\(range(start, bEnd - start)) @@"]
        out += a[start..<prefix].map { " \($0)" }
        out += a[prefix..<(a.count - suffix)].map { "-\($0)" }
        out += b[prefix..<(b.count - suffix)].map { "+\($0)" }
        out += a[(a.count - suffix)..<aEnd].map { " \($0)" }
        return out.joined(separator: "\n") + "\n"
    }

    static func range(_ start: Int, _ count: Int) -> String {
        count == 0 ? "\(start),0" : count == 1 ? "\(start + 1)" : "\(start + 1),\(count)"
    }

    static func lines(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if text.hasSuffix("\n") { lines.removeLast() }
        return lines
    }
}
