import Testing

@testable import ClientSetup

#if canImport(Glibc)
    import Glibc
#endif

/// Planning and writing a change on real files in a temporary folder: the backup first, the permissions and a
/// symbolic link kept, nothing written on a dry run or a refusal, and the diff.
@Suite("Writing an assistant's configuration file")
struct ConfigChangeTests {
    static let entry = ServerEntry(command: "/opt/bin/prefect-mcp", arguments: ["mcp"])

    static func temporaryFolder() throws -> String {
        var template = Array("/tmp/client-setup-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        try #require(made != nil)
        return String(cString: template)
    }

    static func write(_ text: String, _ path: String) throws { try ConfigFileIO.write(text, to: path) }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    @Test("A new file and its folders are made; nothing to back up; a second plan changes nothing")
    func newFile() throws {
        let home = try Self.temporaryFolder()
        let change = try ConfigChange.plan(client: .gemini, scope: .user, entry: Self.entry, home: home, project: "/nonexistent")
        #expect(change.path == "\(home)/.gemini/settings.json" && change.before == nil && change.changes)
        #expect(change.diff.hasPrefix("--- /dev/null\n+++ \(home)/.gemini/settings.json\n@@ -0,0 +1,8 @@\n+{\n"))
        #expect(try change.write() == nil)
        #expect(try ConfigFileIO.read(change.path) == change.after)
        let again = try ConfigChange.plan(client: .gemini, scope: .user, entry: Self.entry, home: home, project: "/nonexistent")
        #expect(!again.changes && again.diff.isEmpty)
        #expect(try again.write() == nil)
    }

    @Test("An existing file: backed up first, replaced whole, its permissions kept; a link stays a link")
    func existingFile() throws {
        let home = try Self.temporaryFolder()
        let real = "\(home)/dotfiles/claude.json"
        try Self.write("{\"numStartups\": 3}\n", real)
        chmod(real, 0o600)
        #expect(symlink(real, "\(home)/.claude.json") == 0)
        let change = try ConfigChange.plan(client: .claude, scope: .user, entry: Self.entry, home: home, project: "/p")
        #expect(change.diff.contains("-{\"numStartups\": 3}\n+{\"numStartups\": 3,\n+  \"mcpServers\": {"))
        #expect(try change.write() == "\(home)/.claude.json.bak")
        #expect(try ConfigFileIO.read("\(home)/.claude.json.bak") == "{\"numStartups\": 3}\n")
        #expect(try ConfigFileIO.read(real) == change.after)
        var info = stat()
        #expect(lstat("\(home)/.claude.json", &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "the link is still a link")
        #expect(Self.mode(real) == 0o600 && Self.mode("\(home)/.claude.json.bak") == 0o600)
    }

    @Test("A malformed file or one that cannot be read is refused and left as it is, with no backup")
    func refused() throws {
        let project = try Self.temporaryFolder()
        try Self.write("{\"mcpServers\": {\n  \"a\": {},,\n}}\n", "\(project)/.cursor/mcp.json")
        #expect(throws: ConfigFileError.self) {
            try ConfigChange.plan(client: .cursor, scope: .project, entry: Self.entry, home: "/h", project: project)
        }
        do {
            _ = try ConfigChange.plan(client: .cursor, scope: .project, entry: Self.entry, home: "/h", project: project)
        } catch {
            #expect(
                error.description == "\(project)/.cursor/mcp.json: line 2, column 11: not valid JSON (expected a member name); it is left as it is")
        }
        #expect(try ConfigFileIO.read("\(project)/.cursor/mcp.json") == "{\"mcpServers\": {\n  \"a\": {},,\n}}\n")
        #expect(try ConfigFileIO.read("\(project)/.cursor/mcp.json.bak") == nil)
        #expect(mkdir("\(project)/.mcp.json", 0o755) == 0)
        #expect(throws: ConfigFileError(path: "\(project)/.mcp.json", reason: "is not a regular file")) {
            try ConfigChange.plan(client: .claude, scope: .project, entry: Self.entry, home: "/h", project: project)
        }
    }

    @Test("The diff: one hunk with three lines of context, counted as patch reads it")
    func diff() {
        let old = (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacing("line 5\n", with: "line 5\nadded\n")
        #expect(
            UnifiedDiff.make(old: old, new: new, oldName: "a", newName: "b")
                == "--- a\n+++ b\n@@ -3,6 +3,7 @@\n line 3\n line 4\n line 5\n+added\n line 6\n line 7\n line 8\n")
        #expect(UnifiedDiff.make(old: old, new: old, oldName: "a", newName: "b").isEmpty)
    }
}
