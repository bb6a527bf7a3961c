import ArgumentParser
import ClientSetup
import Core
import Doctor
import FoundationEssentials
import JSONValue

/// `prefect-mcp doctor`: why doesn't it work? Every setting's source, the way to the server check by check, and
/// which assistants run this binary; each failure with its fix.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the connection to Prefect, step by step, and the assistants set up to use prefect-mcp.",
        discussion: """
            Checks, in the order a request meets them: the settings and where each came from; DNS; the TCP \
            connection; TLS (naming a certificate's problem: expired, for other names, self-signed, an untrusted \
            authority); the API answering at the URL (a web page there is the UI, not the API); the credential \
            (401 and 403 named with where the credential came from); the server's release against the supported \
            range; this clock against the server's (late runs are reckoned with it); CSRF; the websocket the \
            dashboard is pushed changes through; and which assistants' files (claude, cursor, codex, gemini; user \
            and project) start prefect-mcp, and whether it is this binary. Each failed check prints its fix. It only \
            reads: it sends no write, and no credential to anything but the API URL.

            Examples:
              prefect-mcp doctor
              prefect-mcp doctor --profile staging --json

            Exit status: 0 when every check passes (warnings included); 1 when one fails; 64 bad arguments.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print the checks as JSON (name, status, detail, fix).")
    var json = false

    func run() async throws {
        var checks: [DoctorCheck] = []
        do {
            let settings = try connection.settings()
            checks.append(Self.settingsCheck(settings))
            checks += await ConnectionDoctor.checks(settings: settings, userAgent: PrefectMCPCommand.userAgent)
        } catch {
            checks.append(
                .fail(
                    "settings", "\(error)",
                    fix: "pass --api-url URL or --profile NAME, set PREFECT_API_URL, or create a profile (prefect profile create NAME)"))
        }
        checks += Self.assistantChecks()
        if json {
            print(try JSONCoding.encode(checks).prettyText)
        } else {
            print(Self.render(checks), terminator: "")
        }
        if checks.contains(where: { $0.status == .fail }) { throw ExitCode(1) }
    }

    static func settingsCheck(_ settings: PrefectSettings) -> DoctorCheck {
        var parts = ["API URL \(settings.apiURL.value.displayString) (\(settings.apiURL.source))"]
        if let profile = settings.profile { parts.append("profile '\(profile.name)' of \(profile.path) (\(profile.selectedBy))") }
        parts.append(settings.credential.map { "credential: \($0.summary)" } ?? "no credential")
        parts.append("timeout \(settings.timeout.value) s (\(settings.timeout.source))")
        return .pass("settings", parts.joined(separator: "; "))
    }

    /// The assistants whose files start prefect-mcp, and whether with this binary.
    static func assistantChecks() -> [DoctorCheck] {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/root"
        let this = SetupCommand.executablePath()
        let (servers, problems) = ConfiguredServer.find(home: home, project: SetupCommand.currentFolder(), environment: environment)
        var checks: [DoctorCheck] = problems.map {
            .warn("assistant", "cannot read \($0.description)", fix: "fix the file, then run prefect-mcp setup again")
        }
        for server in servers {
            let label = "\(server.client.rawValue) (\(server.scope.rawValue))"
            let started = ([server.command] + server.arguments).joined(separator: " ")
            let setup = "prefect-mcp setup \(server.client.rawValue) --scope \(server.scope.rawValue)"
            if server.command == this {
                checks.append(.pass("assistant", "\(label) \(server.path): \"\(server.name)\" starts this binary (\(started))"))
            } else if access(server.command, X_OK) != 0 {
                checks.append(
                    .fail("assistant", "\(label) \(server.path): \"\(server.name)\" starts \(server.command), which is not there", fix: setup))
            } else {
                checks.append(
                    .warn("assistant", "\(label) \(server.path): \"\(server.name)\" starts \(server.command), not this binary (\(this))", fix: setup))
            }
        }
        if servers.isEmpty && problems.isEmpty {
            checks.append(.skip("assistant", "no assistant is set up to start prefect-mcp: prefect-mcp setup claude|cursor|codex|gemini"))
        }
        return checks
    }

    /// One line per check: a mark, the check's name, what it found, and on the next line the fix.
    static func render(_ checks: [DoctorCheck]) -> String {
        var out = ""
        for check in checks {
            let mark =
                switch check.status {
                case .pass: "ok  "
                case .warn: "warn"
                case .fail: "FAIL"
                case .skip: "-   "
                }
            out += "\(mark)  \(check.name.paddedColumn(9))\(check.detail)\n".terminalSafe
            if let fix = check.fix, check.status == .fail || check.status == .warn {
                out += "      \("".paddedColumn(9))fix: \(fix)\n".terminalSafe
            }
        }
        let failed = checks.filter { $0.status == .fail }.count
        out += failed == 0 ? "all checks passed\n" : "\(failed) check\(failed == 1 ? "" : "s") failed\n"
        return out
    }
}

#if canImport(Glibc)
    import Glibc
#endif
