import FoundationEssentials
import Testing

@testable import Core

/// `--allow-client-credentials`: what a caller's X-Prefect-* headers may name, and what they become.
@Suite("Client credentials")
struct ClientCredentialsTests {
    let cloud = try! APIURLPattern("https://api.prefect.cloud/api/accounts/*/workspaces/*")
    let local = try! APIURLPattern("http://127.0.0.1:*/api/")

    @Test("A pattern's * stays within one part of the URL; scheme and host are compared without case")
    func patterns() throws {
        #expect(cloud.matches(URL(string: "https://api.prefect.cloud/api/accounts/a1/workspaces/w2")!))
        #expect(cloud.matches(URL(string: "https://API.Prefect.cloud/api/accounts/a1/workspaces/w2/")!))
        #expect(!cloud.matches(URL(string: "https://api.prefect.cloud/api/accounts/a1/workspaces/w2/extra")!))
        #expect(!cloud.matches(URL(string: "https://api.prefect.cloud/api/accounts/a/b/workspaces/w")!), "* never crosses /")
        #expect(!cloud.matches(URL(string: "https://api.prefect.cloud.evil.test/api/accounts/a/workspaces/w")!))
        #expect(local.matches(URL(string: "http://127.0.0.1:4200/api")!) && !local.matches(URL(string: "http://127.0.0.2:4200/api")!))
        #expect(!local.matches(URL(string: "http://127.0.0.1:4200/api/../admin")!))
        #expect(throws: ClientCredentialsError.self) { try APIURLPattern("ftp://files.test/*") }
        #expect(throws: ClientCredentialsError.self) { try APIURLPattern("https://") }
    }

    @Test("No header: none; a URL alone or with a key or auth string: the caller's own settings, never the server's key")
    func reading() throws {
        let none = try ClientCredentials.read(header: { _ in nil }, allowed: [local])
        #expect(none == nil)
        let headers = ["X-Prefect-Api-Url": "http://127.0.0.1:4200/api/", "X-Prefect-Api-Key": "pnu_caller0123456789"]
        let credentials = try #require(try ClientCredentials.read(header: { headers[$0] }, allowed: [local]))
        #expect(credentials.apiURL.absoluteString == "http://127.0.0.1:4200/api")
        let server = PrefectSettings(
            apiURL: Sourced(URL(string: "http://10.0.0.1/api")!, from: .flag("--api-url")),
            apiKey: Sourced(Secret("pnu_server"), from: .environment("PREFECT_API_KEY")), timeout: Sourced(5, from: .flag("--timeout")))
        let settings = credentials.settings(like: server)
        #expect(settings.apiKey?.value.revealed == "pnu_caller0123456789" && settings.apiKey?.source == .header("X-Prefect-Api-Key"))
        #expect(settings.timeout.value == 5 && settings.authString == nil)
        let urlOnly = try #require(
            try ClientCredentials.read(header: { $0 == "X-Prefect-Api-Url" ? "http://127.0.0.1:4200/api" : nil }, allowed: [local]))
        #expect(urlOnly.settings(like: server).credential == nil, "a caller's URL never gets the server's key")
    }

    @Test("Refused, naming the header: a key without a URL, a URL outside the allow-list, a user in the URL, a bad URL")
    func refusals() {
        func refusal(_ headers: [String: String]) -> String? {
            do {
                _ = try ClientCredentials.read(header: { headers[$0] }, allowed: [local])
                return nil
            } catch {
                return error.description
            }
        }
        #expect(refusal(["X-Prefect-Api-Key": "k"])?.contains("needs X-Prefect-Api-Url") == true)
        #expect(refusal(["X-Prefect-Api-Url": "http://169.254.169.254/latest"])?.contains("is not one this server may reach") == true)
        #expect(refusal(["X-Prefect-Api-Url": "http://u:p@127.0.0.1:4200/api"])?.contains("must not carry a user") == true)
        #expect(refusal(["X-Prefect-Api-Url": "file:///etc/passwd"]) != nil)
        #expect(refusal(["X-Prefect-Api-Url": "http://127.0.0.1:4200/api", "X-Prefect-Api-Auth-String": "a b"])?.contains("has spaces") == true)
    }
}
