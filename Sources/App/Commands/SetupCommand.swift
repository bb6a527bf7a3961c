import ArgumentParser
import ClientSetup
import Core
import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// The CLIENT argument: `AssistantClient`'s cases, for completion and the error naming the valid ones.
enum ClientArgument: String, CaseIterable, ExpressibleByArgument {
    case claude, cursor, codex, gemini
    var client: AssistantClient { AssistantClient(rawValue: rawValue)! }
}

enum ScopeArgument: String, CaseIterable, ExpressibleByArgument {
    case user, project
    var scope: AssistantClient.Scope { AssistantClient.Scope(rawValue: rawValue)! }
}

/// `prefect-mcp setup CLIENT`: writes prefect-mcp into an AI assistant's MCP configuration, losing nothing else.
struct SetupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Connect an AI assistant: add prefect-mcp to its MCP configuration.",
        discussion: """
            CLIENT is claude, cursor, codex or gemini. The server is registered as "prefect", started as \
            `<this binary> mcp`, in the client's file:
              claude   ~/.claude.json (user) or ./.mcp.json (project)
              cursor   ~/.cursor/mcp.json or ./.cursor/mcp.json
              codex    ~/.codex/config.toml ($CODEX_HOME) or ./.codex/config.toml (trusted projects)
              gemini   ~/.gemini/settings.json or ./.gemini/settings.json

            Which Prefect: --profile NAME writes PREFECT_PROFILE (the profile's URL and key stay in Prefect's \
            profiles file), --api-url URL writes PREFECT_API_URL; with neither, the profile or URL this command \
            resolves now. An API key or auth string is never written unless you pass --with-credentials; it is \
            masked in everything printed.

            Nothing else in the file changes: other servers and settings keep their bytes and order. An existing \
            file is copied to FILE.bak first; a second run with the same arguments changes nothing; a malformed \
            file is refused with its line and left as it is. --dry-run prints the diff and writes nothing.

            Examples:
              prefect-mcp setup claude --scope project --profile staging
              prefect-mcp setup codex --api-url http://127.0.0.1:4200/api --dry-run
              prefect-mcp setup cursor --allow-writes

            Exit status: 0 written or already up to date; 1 the file could not be read, parsed or written; \
            64 bad arguments; 78 nothing to connect to (no profile or URL) or a bad setting.
            """
    )

    @Argument(help: ArgumentHelp("The assistant: claude, cursor, codex or gemini.", valueName: "client"))
    var clientArgument: ClientArgument

    @Option(
        name: .customLong("scope"),
        help: ArgumentHelp("user: for all your projects; project: the current folder's file, to commit.", valueName: "scope"))
    var scopeArgument: ScopeArgument = .user

    @Option(help: ArgumentHelp("The Prefect profile the assistant's server uses (written as PREFECT_PROFILE).", valueName: "name"))
    var profile: String?

    @Option(name: .customLong("api-url"), help: ArgumentHelp("The Prefect API URL the server uses (written as PREFECT_API_URL).", valueName: "url"))
    var apiURL: String?

    @Flag(name: .customLong("allow-writes"), help: "Let the assistant change Prefect (the server starts with `mcp --allow-writes`).")
    var allowWrites = false

    @Flag(name: .customLong("with-credentials"), help: "Also write the API key or auth string in plain text into the file.")
    var withCredentials = false

    @Flag(name: .customLong("dry-run"), help: "Print the change as a diff; write nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("The binary the client starts (default: this one, by its absolute path).", valueName: "path"))
    var command: String?

    func validate() throws {
        if profile != nil, apiURL != nil { throw ValidationError("--profile and --api-url both name the Prefect to use; pass one.") }
        if let command, !command.hasPrefix("/") { throw ValidationError("--command must be an absolute path, got '\(command)'.") }
    }

    var client: AssistantClient { clientArgument.client }
    var scope: AssistantClient.Scope { scopeArgument.scope }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let binary = command ?? Self.executablePath()
        if binary.contains("/.build") {
            StandardError.write(
                "warning: \(binary) is a development build; the client will run it from there. Install first "
                    + "(scripts/install) and run the installed prefect-mcp's setup, or pass --command.\n")
        }
        let (serverEnvironment, secrets) = try prefectEnvironment(environment)
        let entry = ServerEntry(command: binary, arguments: ["mcp"] + (allowWrites ? ["--allow-writes"] : []), environment: serverEnvironment)
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/root"
        let change: ConfigChange
        do {
            change = try ConfigChange.plan(
                client: client, scope: scope, entry: entry, home: home, project: Self.currentFolder(), environment: environment)
        } catch {
            StandardError.write("error: \(error)\n".terminalSafe)
            throw ExitCode(1)
        }
        func masked(_ text: String) -> String {
            secrets.reduce(text) { $1.revealed.isEmpty ? $0 : $0.replacing($1.revealed, with: $1.masked) }
        }
        let target = "\(client.title) (\(scope.rawValue)): \(change.path)"
        if dryRun {
            if change.changes {
                print(masked(change.diff).terminalSafe, terminator: "")
                StandardError.write("dry run: \(change.path) is not written\n".terminalSafe)
            } else {
                print("\(target) already has \"\(ConfigChange.serverName)\" as given; nothing to change".terminalSafe)
            }
            return
        }
        guard change.changes else {
            print("\(target) already has \"\(ConfigChange.serverName)\" as given; nothing changed".terminalSafe)
            return
        }
        let backup: String?
        do {
            backup = try change.write()
        } catch {
            StandardError.write("error: \(error)\n".terminalSafe)
            throw ExitCode(1)
        }
        print("\(target): \(change.before == nil ? "created, with" : "wrote") \"\(ConfigChange.serverName)\"".terminalSafe)
        print("  command: \(([binary] + entry.arguments).joined(separator: " "))".terminalSafe)
        for (key, value) in serverEnvironment.sorted(by: { $0.key < $1.key }) {
            print("  env: \(key)=\(masked(value))".terminalSafe)
        }
        if let backup { print("  backup of the previous file: \(backup)".terminalSafe) }
        if client == .claude {
            let line = entry.claudeAddCommand(name: ConfigChange.serverName, scope: scope) { _, value in masked(value) }
            print("  the same with Claude Code's CLI: \(line)".terminalSafe)
        }
        print(client.reloadHint)
    }

    /// The environment the server is started with, and the secrets in it (to mask in what is printed).
    private func prefectEnvironment(_ environment: [String: String]) throws -> ([String: String], [Secret]) {
        let settings: PrefectSettings
        do {
            settings = try SettingsResolver.resolve(overrides: SettingsOverrides(apiURL: apiURL, profile: profile), environment: environment)
        } catch SettingsError.missingAPIURL {
            StandardError.write("error: nothing to connect the assistant to: pass --profile NAME or --api-url URL (or set PREFECT_API_URL)\n")
            throw ExitCode(78)
        } catch {
            throw Failure.report(error)
        }
        var written: [String: String] = [:]
        if let profile {
            written["PREFECT_PROFILE"] = profile
        } else if apiURL == nil, let active = settings.profile, case .profile = settings.apiURL.source {
            written["PREFECT_PROFILE"] = active.name
        } else {
            written["PREFECT_API_URL"] = settings.apiURL.value.absoluteString
        }
        var secrets: [Secret] = []
        let fromProfile = written["PREFECT_PROFILE"] != nil
        for (name, credential) in [("PREFECT_API_KEY", settings.apiKey), ("PREFECT_API_AUTH_STRING", settings.authString)] {
            guard let credential else { continue }
            secrets.append(credential.value)
            if withCredentials {
                written[name] = credential.value.revealed
            } else if !(fromProfile && credential.source.label.hasPrefix("profile:")) {
                StandardError.write(
                    "note: \(name) (from \(credential.source)) is not written; the assistant's server needs it in its own "
                        + "environment, or use --profile with a profile that holds it, or pass --with-credentials\n")
            }
        }
        return (written, secrets)
    }

    /// This process's binary, by its absolute path.
    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func currentFolder() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(cString: buffer)
    }
}
