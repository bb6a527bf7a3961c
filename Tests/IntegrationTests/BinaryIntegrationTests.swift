import Foundation
import TestSupport
import Testing

/// The real binary against the real servers.
@Suite("prefect-mcp status against real servers")
struct BinaryIntegrationTests {
    @Test("status --json agrees with the seed; text names every pool")
    func status() throws {
        let seed = try TestServers.seed()
        let url = try TestServers.apiURL()
        let json = try BinaryRunner.run(["status", "--json"], environment: ["PREFECT_API_URL": url])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let runs = try #require(object["flow_runs"] as? [String: Any])
        #expect(runs["total"] as? Int == seed.flowRuns.inWindow.total)
        #expect(runs["late"] as? Int == seed.flowRuns.late)
        let server = try #require(object["server"] as? [String: Any])
        #expect(server["api_url_source"] as? String == "env PREFECT_API_URL")

        let text = try BinaryRunner.run(["status", "--api-url", url])
        #expect(text.status == 0)
        #expect(text.stdout.contains("(from flag --api-url)"))
        #expect(text.stdout.contains("Now: \(seed.flowRuns.late) late · \(seed.flowRuns.running) running"))
        for pool in seed.workPools.keys { #expect(text.stdout.contains(pool)) }
        #expect(text.stderr.isEmpty)
    }

    @Test("Secured server: the auth string from the environment works; a wrong one exits 2 naming its source, never the secret")
    func credentials() throws {
        let url = try TestServers.securedAPIURL()
        let auth = try TestServers.securedAuthString()
        let good = try BinaryRunner.run(["status"], environment: ["PREFECT_API_URL": url, "PREFECT_API_AUTH_STRING": auth])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("basic auth (env PREFECT_API_AUTH_STRING)"))
        #expect(!good.stdout.contains(auth))

        let bad = try BinaryRunner.run(["status"], environment: ["PREFECT_API_URL": url, "PREFECT_API_AUTH_STRING": "admin:not-the-password"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("Unauthorized"))
        #expect(bad.stderr.contains("env PREFECT_API_AUTH_STRING"))
        #expect(!bad.stderr.contains("not-the-password"))
    }
}
