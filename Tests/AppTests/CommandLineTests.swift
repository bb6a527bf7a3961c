import Foundation
import TestSupport
import Testing

/// The binary as a person meets it: help, version, and the errors that need no server.
@Suite("prefect-mcp command line")
struct CommandLineTests {
    @Test("--help lists the subcommands and teaches the configuration")
    func help() throws {
        let result = try BinaryRunner.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("SUBCOMMANDS"))
        #expect(result.stdout.contains("status"))
        #expect(result.stdout.contains("PREFECT_API_URL"))
        #expect(result.stdout.contains("profiles.toml"))
    }

    @Test("status --help shows the global options and the exit codes")
    func statusHelp() throws {
        let result = try BinaryRunner.run(["status", "--help"])
        #expect(result.status == 0)
        for option in ["--api-url", "--profile", "--timeout", "--window", "--json", "--log-level"] {
            #expect(result.stdout.contains(option), "missing \(option)")
        }
        #expect(result.stdout.contains("Exit status"))
    }

    @Test("--version prints the version")
    func version() throws {
        let result = try BinaryRunner.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test("With no URL anywhere, status exits 78 naming PREFECT_API_URL, --api-url and prefect profile use; stdout stays empty")
    func noURL() throws {
        let result = try BinaryRunner.run(["status"])
        #expect(result.status == 78)
        #expect(result.stdout.isEmpty)
        for hint in ["PREFECT_API_URL", "--api-url", "prefect profile use"] {
            #expect(result.stderr.contains(hint), "stderr lacks \(hint): \(result.stderr)")
        }
    }

    @Test("The active profile of the profiles file is used, and an unknown --profile is refused")
    func profiles() throws {
        let home = try TemporaryDirectory.make()
        try FileManager.default.createDirectory(atPath: home + "/.prefect", withIntermediateDirectories: true)
        try """
        active = "dead"
        [profiles.dead]
        PREFECT_API_URL = "http://127.0.0.1:9/api"
        """.write(toFile: home + "/.prefect/profiles.toml", atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["status", "--timeout", "2"], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.contains("http://127.0.0.1:9/api"))
        #expect(result.stderr.contains("Cannot reach"))

        let unknown = try BinaryRunner.run(["status", "--profile", "nope"], home: home)
        #expect(unknown.status == 78)
        #expect(unknown.stderr.contains("Profile 'nope'"))
        #expect(unknown.stderr.contains("Available: dead"))
    }

    @Test(
        "Bad arguments are usage errors that name the argument",
        arguments: [
            (["status", "--window", "yesterday"], "--window"),
            (["status", "--timeout", "-3"], "--timeout"),
            (["status", "--log-level", "loud"], "--log-level"),
            (["status", "--api-url"], "--api-url"),
        ])
    func badArguments(arguments: [String], named: String) throws {
        let result = try BinaryRunner.run(arguments, environment: ["PREFECT_API_URL": "http://127.0.0.1:9/api"])
        #expect(result.status == 64)
        #expect(result.stderr.contains(named), "\(result.stderr)")
    }

    @Test("A URL that is not http(s) is a configuration error naming where it came from")
    func badURL() throws {
        let result = try BinaryRunner.run(["status"], environment: ["PREFECT_API_URL": "127.0.0.1:4200"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("env PREFECT_API_URL"))
    }

    @Test("Nothing listening: exit 1 naming the URL and the reason")
    func unreachable() throws {
        let result = try BinaryRunner.run(["status", "--api-url", "http://127.0.0.1:9/api"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Cannot reach the Prefect API at http://127.0.0.1:9/api (connection refused)"))
    }
}
