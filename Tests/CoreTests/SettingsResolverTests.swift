@testable import Core
import Foundation
import Testing

@Suite("Settings resolution")
struct SettingsResolverTests {
    /// An in-memory file system for profiles files.
    static func files(_ files: [String: String]) -> SettingsResolver.FileReader {
        { path in files[path] }
    }

    static let profiles = """
        active = "local"

        [profiles.local]
        PREFECT_API_URL = "http://127.0.0.1:4200/api"

        [profiles.selfhosted]
        PREFECT_API_URL = "https://prefect.example.com/api/"
        PREFECT_API_AUTH_STRING = "admin:s3cret"
        PREFECT_API_REQUEST_TIMEOUT = 15
        PREFECT_API_TLS_INSECURE_SKIP_VERIFY = true

        [profiles.cloud]
        PREFECT_API_URL = "https://api.prefect.cloud/api/accounts/aaaa-1111/workspaces/wwww-2222"
        PREFECT_API_KEY = "pnu_abcdefghijklmnopqrstuvwxyz0123"
        """

    static let home = ["HOME": "/home/ada"]
    static let defaultPath = "/home/ada/.prefect/profiles.toml"

    func resolve(
        _ overrides: SettingsOverrides = SettingsOverrides(),
        env: [String: String] = [:],
        files: [String: String] = [defaultPath: profiles]
    ) throws(SettingsError) -> PrefectSettings {
        try SettingsResolver.resolve(overrides: overrides, environment: Self.home.merging(env) { $1 }, readFile: Self.files(files))
    }

    @Test("The file's active profile is used when nothing else is set")
    func activeProfile() throws {
        let settings = try resolve()
        #expect(settings.apiURL.value.absoluteString == "http://127.0.0.1:4200/api")
        #expect(settings.apiURL.source == .profile(name: "local", key: "PREFECT_API_URL"))
        #expect(settings.profile == ActiveProfile(name: "local", path: Self.defaultPath, selectedBy: .profile(name: "local", key: "active")))
        #expect(settings.credential == nil)
        #expect(settings.timeout == Sourced(60, from: .defaultValue))
    }

    @Test("Environment wins over the profile, flags win over the environment")
    func precedence() throws {
        let env = ["PREFECT_API_URL": "http://10.0.0.5:4200/api"]
        let fromEnv = try resolve(env: env)
        #expect(fromEnv.apiURL.value.absoluteString == "http://10.0.0.5:4200/api")
        #expect(fromEnv.apiURL.source == .environment("PREFECT_API_URL"))

        let fromFlag = try resolve(SettingsOverrides(apiURL: "http://flag.example:4200/api/", timeout: 5), env: env)
        #expect(fromFlag.apiURL.value.absoluteString == "http://flag.example:4200/api")
        #expect(fromFlag.apiURL.source == .flag("--api-url"))
        #expect(fromFlag.timeout == Sourced(5, from: .flag("--timeout")))
    }

    @Test("--profile beats PREFECT_PROFILE, which beats the file's active key")
    func profileSelection() throws {
        let byEnv = try resolve(env: ["PREFECT_PROFILE": "cloud"])
        #expect(byEnv.profile?.name == "cloud")
        #expect(byEnv.profile?.selectedBy == .environment("PREFECT_PROFILE"))

        let byFlag = try resolve(SettingsOverrides(profile: "selfhosted"), env: ["PREFECT_PROFILE": "cloud"])
        #expect(byFlag.profile?.name == "selfhosted")
        #expect(byFlag.profile?.selectedBy == .flag("--profile"))
        #expect(byFlag.apiURL.value.absoluteString == "https://prefect.example.com/api")
        #expect(byFlag.timeout == Sourced(15, from: .profile(name: "selfhosted", key: "PREFECT_API_REQUEST_TIMEOUT")))
        #expect(byFlag.tlsInsecureSkipVerify.value)
    }

    @Test("An auth string is sent as Basic and wins over an API key")
    func basicWinsOverBearer() throws {
        let settings = try resolve(env: ["PREFECT_API_KEY": "pnu_key_from_env_1234567890", "PREFECT_API_AUTH_STRING": "admin:pass"])
        #expect(settings.credential == .basic(Secret("admin:pass"), source: .environment("PREFECT_API_AUTH_STRING")))
        #expect(settings.credential?.authorizationHeader == "Basic YWRtaW46cGFzcw==")
    }

    @Test("An API key alone is sent as Bearer, and the profile it came from is named")
    func bearer() throws {
        let settings = try resolve(SettingsOverrides(profile: "cloud"))
        #expect(settings.credential?.authorizationHeader == "Bearer pnu_abcdefghijklmnopqrstuvwxyz0123")
        #expect(settings.credential?.summary == "API key (profile 'cloud' (PREFECT_API_KEY))")
        #expect(settings.server == .cloud(accountID: "aaaa-1111", workspaceID: "wwww-2222"))
    }

    @Test("No URL anywhere is an error that names every source it checked and how to fix it")
    func missingURL() {
        #expect {
            try resolve(files: [:])
        } throws: { error in
            let text = String(describing: error)
            return text.contains("PREFECT_API_URL") && text.contains("--api-url") && text.contains("prefect profile use")
                && text.contains(Self.defaultPath)
        }
    }

    @Test("A profile without a URL (the ephemeral default) is not a configured server")
    func ephemeralProfile() {
        let file = """
            active = "ephemeral"
            [profiles.ephemeral]
            PREFECT_SERVER_EPHEMERAL_ENABLED = "true"
            """
        #expect(throws: SettingsError.self) { try resolve(files: [Self.defaultPath: file]) }
    }

    @Test("PREFECT_PROFILES_PATH and PREFECT_HOME move the profiles file")
    func profilesLocation() throws {
        let custom = try resolve(env: ["PREFECT_PROFILES_PATH": "/etc/prefect/p.toml"], files: ["/etc/prefect/p.toml": Self.profiles])
        #expect(custom.profile?.path == "/etc/prefect/p.toml")
        let templated = try resolve(
            env: ["PREFECT_HOME": "~/ph", "PREFECT_PROFILES_PATH": "$PREFECT_HOME/x.toml"],
            files: ["/home/ada/ph/x.toml": Self.profiles]
        )
        #expect(templated.profile?.path == "/home/ada/ph/x.toml")
        let home = try resolve(env: ["PREFECT_HOME": "/srv/prefect"], files: ["/srv/prefect/profiles.toml": Self.profiles])
        #expect(home.profile?.name == "local")
    }

    @Test("An explicitly requested profile that does not exist is an error listing the ones that do")
    func unknownProfile() {
        #expect(throws: SettingsError.unknownProfile("prod", selectedBy: .flag("--profile"), path: Self.defaultPath, available: ["cloud", "local", "selfhosted"])) {
            try resolve(SettingsOverrides(profile: "prod"))
        }
    }

    @Test("A dangling active key falls back to no profile, as Prefect does")
    func danglingActive() throws {
        let file = "active = \"gone\"\n[profiles.local]\nPREFECT_API_URL = \"http://x:1/api\"\n"
        let settings = try resolve(env: ["PREFECT_API_URL": "http://127.0.0.1:4200/api"], files: [Self.defaultPath: file])
        #expect(settings.profile == nil)
    }

    @Test("Broken TOML is reported with the file and line")
    func brokenTOML() {
        #expect {
            try resolve(files: [Self.defaultPath: "active = \"local\"\n[profiles.local\nPREFECT_API_URL = 1\n"])
        } throws: { error in
            guard case SettingsError.invalidProfilesFile(let path, let reason) = error else { return false }
            return path == Self.defaultPath && reason.contains("line 2")
        }
    }

    @Test("Bad values name the key, the value and the source", arguments: [
        ["PREFECT_API_URL": "localhost:4200"],
        ["PREFECT_API_URL": "ftp://x/api"],
        ["PREFECT_API_REQUEST_TIMEOUT": "soon"],
        ["PREFECT_API_REQUEST_TIMEOUT": "-1"],
        ["PREFECT_API_TLS_INSECURE_SKIP_VERIFY": "maybe"],
    ])
    func badValues(env: [String: String]) {
        #expect {
            try resolve(env: env)
        } throws: { error in
            let text = String(describing: error)
            return env.allSatisfy { key, value in text.contains(value) && (key == "PREFECT_API_URL" || text.contains(key)) } && text.contains("env")
        }
    }

    @Test("Secrets never print whole")
    func masking() throws {
        let settings = try resolve(SettingsOverrides(profile: "cloud"))
        let key = "pnu_abcdefghijklmnopqrstuvwxyz0123"
        #expect(!String(describing: settings).contains(key))
        #expect(!String(reflecting: settings).contains(key))
        #expect(Secret(key).masked == "pnu_…0123")
        #expect(Secret("admin:pw").masked == "****")
    }
}
