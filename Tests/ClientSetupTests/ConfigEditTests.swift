import JSONValue
import Testing

@testable import ClientSetup

/// Editing the assistants' files: the entry goes in, every other byte stays, a second run changes nothing, and a
/// file that is not what it should be is refused with where and why.
@Suite("Assistant configuration edits")
struct ConfigEditTests {
    static let entry = ServerEntry(command: "/opt/bin/prefect-mcp", arguments: ["mcp"], environment: ["PREFECT_PROFILE": "staging"])

    static func json(_ text: String, client: AssistantClient = .cursor, entry: ServerEntry = entry) throws(ConfigFileError) -> String? {
        try JSONServerEdit.apply(to: text, server: "prefect", entry: ConfigChange.members(of: entry, for: client), path: "mcp.json")
    }

    @Test("JSON: a server joins the others; their bytes, order, escapes and the file's indentation stay")
    func jsonInsert() throws {
        let before = """
            {
                "zeta": true,
                "mcpServers": {
                    "other": {"command": "npx", "args": ["-y", "x\\u00e9"], "env": {"B": "1", "A": "2"}}
                },
                "alpha": [1, 2]
            }

            """
        let after = try #require(try Self.json(before))
        #expect(
            after == """
                {
                    "zeta": true,
                    "mcpServers": {
                        "other": {"command": "npx", "args": ["-y", "x\\u00e9"], "env": {"B": "1", "A": "2"}},
                        "prefect": {
                            "command": "/opt/bin/prefect-mcp",
                            "args": ["mcp"],
                            "env": {
                                "PREFECT_PROFILE": "staging"
                            }
                        }
                    },
                    "alpha": [1, 2]
                }

                """)
        #expect(try Self.json(after) == nil, "a second run changes nothing")
    }

    @Test("JSON: an existing entry is replaced where it is; no mcpServers, an empty one, an empty or missing file")
    func jsonReplaceAndCreate() throws {
        let existing = #"{"mcpServers": {"a": {}, "prefect": {"command": "old", "args": []}, "z": {}}, "k": 1}"#
        let replaced = try #require(try Self.json(existing))
        #expect(replaced.hasPrefix(#"{"mcpServers": {"a": {}, "prefect": {"#) && replaced.hasSuffix(#", "z": {}}, "k": 1}"#))
        #expect(try JSONValue(parsing: Array(replaced.utf8))["mcpServers"]?["prefect"]?["command"] == "/opt/bin/prefect-mcp")

        let noServers = try #require(try Self.json("{\n  \"theme\": \"dark\"\n}\n"))
        #expect(noServers.hasPrefix("{\n  \"theme\": \"dark\",\n  \"mcpServers\": {\n    \"prefect\": {\n      \"command\""))
        #expect(noServers.hasSuffix("\n  }\n}\n"))
        let empty = try #require(try Self.json(#"{"mcpServers": {}}"#))
        #expect(try JSONValue(parsing: Array(empty.utf8))["mcpServers"]?.objectValue?.keys.sorted() == ["prefect"])
        for blank in ["", "  \n"] {
            let created = try #require(try Self.json(blank, client: .claude))
            let value = try JSONValue(parsing: Array(created.utf8))
            #expect(value["mcpServers"]?["prefect"]?["type"] == "stdio" && value["mcpServers"]?["prefect"]?["args"] == ["mcp"])
        }
        #expect(try Self.json("{}") != nil)
    }

    @Test("JSON: not JSON (line and column), not an object, mcpServers not an object: refused")
    func jsonRefused() {
        func reason(_ text: String) -> String? {
            do {
                _ = try Self.json(text)
                return nil
            } catch {
                return error.reason
            }
        }
        #expect(reason("{\n  \"a\": 1,\n  // a comment\n}") == "line 3, column 3: not valid JSON (expected a member name); it is left as it is")
        #expect(reason("[1]") == "the top level is an array, not an object; it is left as it is")
        #expect(reason(#"{"mcpServers": []}"#) == "'mcpServers' is an array, not an object of servers; it is left as it is")
        #expect(reason("{\"a\": \"é\" x}")?.hasPrefix("line 1, column 11:") == true)
    }

    static let codexBefore = """
        # my Codex settings
        model = "o4"

        [mcp_servers.docs]
        command = "npx"
        args = ["-y", "docs-mcp"]

        [profiles.fast]
        model = "mini"   # quick
        """

    @Test("TOML: the table is appended after everything else, which stays byte for byte")
    func tomlAppend() throws {
        let after = try #require(try TOMLServerEdit.apply(to: Self.codexBefore, server: "prefect", entry: Self.entry, path: "config.toml"))
        #expect(
            after == Self.codexBefore + """


                [mcp_servers.prefect]
                command = "/opt/bin/prefect-mcp"
                args = ["mcp"]
                env = { PREFECT_PROFILE = "staging" }

                """)
        #expect(try TOMLServerEdit.apply(to: after, server: "prefect", entry: Self.entry, path: "config.toml") == nil)
        let fresh = try #require(try TOMLServerEdit.apply(to: "", server: "prefect", entry: Self.entry, path: "config.toml"))
        #expect(fresh.hasPrefix("[mcp_servers.prefect]\n"))
    }

    @Test("TOML: an existing table is rewritten in place; keys and sub-tables setup does not write are kept")
    func tomlReplace() throws {
        let before = """
            [mcp_servers.prefect]
            # pinned by hand
            command = "/old/prefect-mcp"
            args = [
              "mcp",
              "--allow-writes",
            ]
            startup_timeout_sec = 20

            [mcp_servers.prefect.env]
            PREFECT_API_URL = "http://old/api"

            [mcp_servers.prefect.tools.read_events]
            enabled = false

            [mcp_servers.after]
            command = "x"

            """
        let after = try #require(try TOMLServerEdit.apply(to: before, server: "prefect", entry: Self.entry, path: "config.toml"))
        #expect(
            after == """
                [mcp_servers.prefect]
                command = "/opt/bin/prefect-mcp"
                args = ["mcp"]
                env = { PREFECT_PROFILE = "staging" }
                # pinned by hand
                startup_timeout_sec = 20

                [mcp_servers.prefect.tools.read_events]
                enabled = false

                [mcp_servers.after]
                command = "x"

                """)
        #expect(try TOMLServerEdit.apply(to: after, server: "prefect", entry: Self.entry, path: "config.toml") == nil)
    }

    @Test("TOML: not TOML (its line), mcp_servers not a table, the server as an inline table: refused")
    func tomlRefused() {
        func reason(_ text: String) -> String? {
            do {
                _ = try TOMLServerEdit.apply(to: text, server: "prefect", entry: Self.entry, path: "config.toml")
                return nil
            } catch {
                return error.reason
            }
        }
        #expect(reason("a = 1\nb = = 2\n")?.hasPrefix("line 2: not valid TOML") == true)
        #expect(reason("mcp_servers = 3\n") == "'mcp_servers' is not a table of servers; it is left as it is")
        #expect(reason("[mcp_servers]\nprefect = { command = \"x\" }\n")?.contains("inline table or with dotted keys") == true)
        #expect(reason("a = \"x\0\"")?.contains("NUL") == true)
    }

    @Test("Header lines: quoted keys, comments, arrays of tables")
    func headers() {
        #expect(TOMLServerEdit.header(of: " [ mcp_servers . \"prefect\" ] # x") == ["mcp_servers", "prefect"])
        #expect(TOMLServerEdit.header(of: "[[mcp_servers.prefect]]") == nil)
        #expect(TOMLServerEdit.header(of: "[a.'b.c']") == ["a", "b.c"])
        #expect(TOMLServerEdit.header(of: "key = [1]") == nil)
        #expect(TOMLServerEdit.string("a\"b\\c\u{1}") == #""a\"b\\c\u0001""#)
    }

    @Test("Each client's file for each scope; CODEX_HOME moves Codex's")
    func paths() {
        let paths = AssistantClient.allCases.flatMap { client in
            AssistantClient.Scope.allCases.map { client.configPath(scope: $0, home: "/h", project: "/p") }
        }
        #expect(
            paths == [
                "/h/.claude.json", "/p/.mcp.json", "/h/.cursor/mcp.json", "/p/.cursor/mcp.json", "/h/.codex/config.toml", "/p/.codex/config.toml",
                "/h/.gemini/settings.json", "/p/.gemini/settings.json",
            ])
        #expect(AssistantClient.codex.configPath(scope: .user, home: "/h", project: "/p", environment: ["CODEX_HOME": "/c"]) == "/c/config.toml")
    }

    @Test("claude mcp add: the same entry, quoted for a shell, secrets as masked")
    func claudeLine() {
        let entry = ServerEntry(command: "/opt/my bin/prefect-mcp", arguments: ["mcp"], environment: ["PREFECT_API_KEY": "pnu_secret"])
        #expect(
            entry.claudeAddCommand(name: "prefect", scope: .project) { _, _ in "****" }
                == "claude mcp add --scope project -e 'PREFECT_API_KEY=****' prefect -- '/opt/my bin/prefect-mcp' mcp")
    }
}
