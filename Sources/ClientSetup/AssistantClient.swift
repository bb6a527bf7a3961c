/// The AI assistants `prefect-mcp setup` connects, and where each keeps its MCP servers.
///
/// | client | user scope | project scope | format |
/// |---|---|---|---|
/// | Claude Code | `~/.claude.json` | `.mcp.json` | JSON, `mcpServers.<name>` with `"type": "stdio"` |
/// | Cursor | `~/.cursor/mcp.json` | `.cursor/mcp.json` | JSON, `mcpServers.<name>` |
/// | Codex CLI | `$CODEX_HOME/config.toml` (`~/.codex`) | `.codex/config.toml` (trusted projects) | TOML, `[mcp_servers.<name>]` |
/// | Gemini CLI | `~/.gemini/settings.json` | `.gemini/settings.json` | JSON, `mcpServers.<name>` |
public enum AssistantClient: String, CaseIterable, Sendable {
    case claude, cursor, codex, gemini

    /// The product's name, for messages.
    public var title: String {
        switch self {
        case .claude: "Claude Code"
        case .cursor: "Cursor"
        case .codex: "Codex CLI"
        case .gemini: "Gemini CLI"
        }
    }

    public enum Scope: String, CaseIterable, Sendable {
        /// Every project of this user.
        case user
        /// The project in the current directory; a file meant to be committed.
        case project
    }

    /// The configuration file for `scope`.
    /// - Parameters:
    ///   - home: the user's home folder.
    ///   - project: the project folder (the current directory).
    ///   - environment: for `CODEX_HOME`.
    public func configPath(scope: Scope, home: String, project: String, environment: [String: String] = [:]) -> String {
        switch (self, scope) {
        case (.claude, .user): "\(home)/.claude.json"
        case (.claude, .project): "\(project)/.mcp.json"
        case (.cursor, .user): "\(home)/.cursor/mcp.json"
        case (.cursor, .project): "\(project)/.cursor/mcp.json"
        case (.codex, .user): "\(environment["CODEX_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.codex")/config.toml"
        case (.codex, .project): "\(project)/.codex/config.toml"
        case (.gemini, .user): "\(home)/.gemini/settings.json"
        case (.gemini, .project): "\(project)/.gemini/settings.json"
        }
    }

    /// Whether the file is TOML (else JSON).
    public var usesTOML: Bool { self == .codex }

    /// What to do after the file is written for the client to load the server.
    public var reloadHint: String {
        switch self {
        case .claude: "Start Claude Code in the project (it asks once to approve a project's .mcp.json servers); /mcp lists them."
        case .cursor: "Cursor picks the change up by itself: Settings → MCP lists the server (enable it there if it is off)."
        case .codex: "Start a new Codex session (a project's .codex/config.toml is read only in a trusted project); /mcp lists it."
        case .gemini: "Start a new Gemini CLI session; /mcp lists the server and its tools."
        }
    }
}

/// The server entry written for a client: how to start `prefect-mcp mcp` and the environment it needs.
public struct ServerEntry: Equatable, Sendable {
    /// The absolute path of the binary.
    public var command: String
    public var arguments: [String]
    /// Written in name order.
    public var environment: [String: String]

    public init(command: String, arguments: [String], environment: [String: String] = [:]) {
        self.command = command
        self.arguments = arguments
        self.environment = environment
    }

    /// The equivalent `claude mcp add` command line, with secrets shown as `masked` gives them.
    public func claudeAddCommand(name: String, scope: AssistantClient.Scope, masked: (String, String) -> String) -> String {
        var words = ["claude", "mcp", "add", "--scope", scope == .user ? "user" : "project"]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { words += ["-e", "\(key)=\(masked(key, value))"] }
        words += [name, "--", command] + arguments
        return words.map(ShellWord.quoted).joined(separator: " ")
    }
}

/// Quoting for a POSIX shell, only where needed.
enum ShellWord {
    static func quoted(_ word: String) -> String {
        let plain =
            !word.isEmpty
            && word.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || "-_./=:@%+,".unicodeScalars.contains(scalar))
            }
        return plain ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
