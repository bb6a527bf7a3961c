import Foundation
import Testing

@testable import Core

@Suite("Cloud detection and UI links")
struct ServerKindTests {
    @Test(
        "Cloud URLs yield account and workspace ids; others are self-hosted",
        arguments: [
            ("https://api.prefect.cloud/api/accounts/abc/workspaces/def", ServerKind.cloud(accountID: "abc", workspaceID: "def")),
            ("https://api.prefect.cloud/api", ServerKind.cloud(accountID: nil, workspaceID: nil)),
            ("http://127.0.0.1:4200/api", ServerKind.selfHosted),
            ("https://prefect.example.com/api/accounts/abc/workspaces/def", ServerKind.selfHosted),
        ])
    func detection(url: String, expected: ServerKind) throws {
        #expect(ServerKind(apiURL: try #require(URL(string: url))) == expected)
    }

    @Test(
        "UI base derived as Prefect does",
        arguments: [
            ("http://127.0.0.1:4200/api", "http://127.0.0.1:4200"),
            ("https://api.prefect.cloud/api/accounts/A/workspaces/W", "https://app.prefect.cloud/account/A/workspace/W"),
            ("https://prefect.example.com/prefect/api", "https://prefect.example.com/prefect"),
        ])
    func uiBase(api: String, ui: String) throws {
        #expect(UILinks.uiBase(forAPI: try #require(URL(string: api))).absoluteString == ui)
    }

    @Test("Deep links use Prefect 3 paths")
    func links() throws {
        let ui = try #require(URL(string: "http://127.0.0.1:4200"))
        #expect(UILinks.flowRun("1234", ui: ui) == "http://127.0.0.1:4200/runs/flow-run/1234")
        #expect(UILinks.workPool("my pool", ui: ui) == "http://127.0.0.1:4200/work-pools/work-pool/my%20pool")
        #expect(UILinks.deployment("d1", ui: ui) == "http://127.0.0.1:4200/deployments/deployment/d1")
    }
}
