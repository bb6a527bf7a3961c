import FoundationEssentials
import Testing

@testable import Core

@Suite("Switching profiles at run time")
struct ProfileSwitchTests {
    static let file = """
        active = "local"
        [profiles.local]
        PREFECT_API_URL = "http://127.0.0.1:4200/api"
        [profiles.staging]
        PREFECT_API_URL = "https://ada:s3cret@staging.example/api"
        PREFECT_API_REQUEST_TIMEOUT = 5
        [profiles.empty]
        """

    static func switcher(_ environment: [String: String] = [:]) -> ProfileSwitch {
        ProfileSwitch(environment: ["HOME": "/home/ada"].merging(environment) { $1 }) { path in
            path == "/home/ada/.prefect/profiles.toml" ? .contents(Array(file.utf8)) : .missing
        }
    }

    @Test func listsTheProfilesWithoutCredentials() throws {
        let entries = try Self.switcher().entries()
        #expect(entries.map(\.name) == ["empty", "local", "staging"])
        #expect(entries[1] == ProfileSwitch.Entry(name: "local", apiURL: "http://127.0.0.1:4200/api", isActive: true))
        #expect(entries[2].apiURL?.contains("s3cret") == false)
        #expect(entries[0].apiURL == nil)
        #expect(try ProfileSwitch(environment: [:]) { _ in .missing }.entries().isEmpty)
    }

    @Test func aPickedProfileUsesItsOwnSettingsNotTheEnvironments() throws {
        let settings = try Self.switcher(["PREFECT_API_URL": "http://other/api", "PREFECT_PROFILE": "local", "PREFECT_API_KEY": "k"])
            .settings(profile: "staging")
        #expect(settings.apiURL.value.absoluteString == "https://staging.example/api")
        #expect(settings.profile?.name == "staging")
        #expect(settings.apiKey == nil)
        #expect(settings.timeout.value == 5)
        #expect(throws: SettingsError.self) { try Self.switcher().settings(profile: "empty") }
        #expect(throws: SettingsError.self) { try Self.switcher().settings(profile: "nope") }
    }
}
