import Foundation
import Testing

@testable import Core

@Suite("Settings resolution")
struct SettingsResolverTests {
    /// An in-memory file system for profiles files.
    static func files(_ files: [String: String]) -> SettingsResolver.FileReader {
        { path in files[path].map { .contents(Array($0.utf8)) } ?? .missing }
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
        files: [String: String] = [defaultPath: profiles],
        reader: SettingsResolver.FileReader? = nil
    ) throws(SettingsError) -> PrefectSettings {
        try SettingsResolver.resolve(overrides: overrides, environment: Self.home.merging(env) { $1 }, readFile: reader ?? Self.files(files))
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
        #expect(
            throws: SettingsError.unknownProfile(
                "prod", selectedBy: .flag("--profile"), path: Self.defaultPath, available: ["cloud", "local", "selfhosted"])
        ) {
            try resolve(SettingsOverrides(profile: "prod"))
        }
    }

    @Test("A dangling active key falls back to no profile, as Prefect does, with a warning")
    func danglingActive() throws {
        let file = "active = \"gone\"\n[profiles.local]\nPREFECT_API_URL = \"http://x:1/api\"\n"
        let settings = try resolve(env: ["PREFECT_API_URL": "http://127.0.0.1:4200/api"], files: [Self.defaultPath: file])
        #expect(settings.profile == nil)
        #expect(
            settings.warnings == [
                "The active key at line 1 of \(Self.defaultPath) names the profile 'gone', which the file does not have; no profile is "
                    + "used, as Prefect does."
            ])
        #expect(try resolve().warnings.isEmpty)
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

    @Test(
        "Bad values name the key, the value and the source",
        arguments: [
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

// MARK: - API URL validation

extension SettingsResolverTests {
    static let envURL = SettingSource.environment("PREFECT_API_URL")

    @Test(
        "An API URL with a bad part is rejected when settings are resolved, naming the part",
        arguments: [
            ("http://127.0.0.1:99999/api", APIURLProblem.portOutOfRange("99999")),
            ("http://127.0.0.1:65536/api", .portOutOfRange("65536")),
            ("http://127.0.0.1:0/api", .portOutOfRange("0")),
            ("http://127.0.0.1:99999999999999999999999/api", .portOutOfRange("99999999999999999999999")),
            ("http://127.0.0.1:-1/api", .portNotANumber("-1")),
            ("http://127.0.0.1:abc/api", .portNotANumber("abc")),
            ("http://127.0.0.1:/api", .portNotANumber("")),
            ("http://[::1]:70000/api", .portOutOfRange("70000")),
            ("http://:4200/api", .noHost),
            ("http:///api", .noHost),
            ("http://user@/api", .noHost),
            ("ftp://x/api", .scheme("ftp")),
            ("localhost:4200", .notAbsoluteURL),
            ("http://host/a b", .character(" ", position: 14)),
            ("http://host/a\tb", .character("\t", position: 14)),
            ("http://ho\u{200B}st/api", .character("\u{200B}", position: 10)),
            ("http://host/\u{1B}[2J", .character("\u{1B}", position: 13)),
        ])
    func rejectedURLs(url: String, problem: APIURLProblem) {
        #expect(throws: SettingsError.invalidAPIURL(url, source: Self.envURL, problem: problem)) {
            try resolve(env: ["PREFECT_API_URL": url])
        }
    }

    @Test("The message for a port out of range names the port, the URL's source and the range")
    func portMessage() {
        let error = SettingsError.invalidAPIURL("http://127.0.0.1:99999/api", source: Self.envURL, problem: .portOutOfRange("99999"))
        #expect(
            error.description
                == "The port 99999 in the API URL from env PREFECT_API_URL is out of range (1-65535): 'http://127.0.0.1:99999/api'.")
    }

    @Test(
        "Ports 1 and 65535, leading zeros, IPv6, user info and upper-case schemes are accepted",
        arguments: [
            ("http://127.0.0.1:1/api", "http://127.0.0.1:1/api"),
            ("https://user:pw@host:65535/api/", "https://host:65535/api"),
            ("http://host:00080/api", "http://host:00080/api"),
            ("http://[::1]:4200/api", "http://[::1]:4200/api"),
            ("HTTP://Host/api", "HTTP://Host/api"),
            ("  http://host/api  ", "http://host/api"),
        ])
    func acceptedURLs(url: String, normalised: String) throws {
        #expect(try resolve(env: ["PREFECT_API_URL": url]).apiURL.value.absoluteString == normalised)
    }

    @Test("Credentials in the URL become basic auth (unless a credential is set) and leave the URL")
    func userinfoCredentials() throws {
        let settings = try resolve(env: ["PREFECT_API_URL": "http://bob:hunter%402@prefect.test:4200/api"])
        #expect(settings.apiURL.value.absoluteString == "http://prefect.test:4200/api")
        #expect(settings.credential == .basic(Secret("bob:hunter@2"), source: .environment("PREFECT_API_URL")))
        #expect(settings.credential?.summary == "basic auth (env PREFECT_API_URL)")
        let explicit = try resolve(env: ["PREFECT_API_URL": "http://bob:pw@prefect.test/api", "PREFECT_API_AUTH_STRING": "admin:s3cret"])
        #expect(explicit.credential == .basic(Secret("admin:s3cret"), source: .environment("PREFECT_API_AUTH_STRING")))
        let key = try resolve(env: ["PREFECT_API_URL": "http://bob:pw@prefect.test/api", "PREFECT_API_KEY": "pnu_x"])
        #expect(key.credential == .bearer(Secret("pnu_x"), source: .environment("PREFECT_API_KEY")))
        #expect(key.apiURL.value.absoluteString == "http://prefect.test/api")
    }

    @Test("An invalid URL's message never repeats the credentials in it")
    func invalidURLMasksCredentials() {
        #expect {
            try resolve(env: ["PREFECT_API_URL": "http://bob:hunter2@127.0.0.1:99999/api"])
        } throws: { error in
            let text = String(describing: error)
            return text.contains("99999") && text.contains("http://***@127.0.0.1:99999/api") && !text.contains("hunter2")
        }
    }

    @Test("A URL over 2048 characters is rejected with its length, not echoed")
    func longURL() {
        let url = "http://h/" + String(repeating: "a", count: 120_000)
        #expect {
            try resolve(env: ["PREFECT_API_URL": url])
        } throws: { error in
            let text = String(describing: error)
            return error as? SettingsError == .invalidAPIURL(url, source: Self.envURL, problem: .tooLong(characters: 120_009))
                && text == "The API URL from env PREFECT_API_URL is 120009 characters long; at most 2048 are accepted."
        }
        #expect(throws: Never.self) { try resolve(env: ["PREFECT_API_URL": "http://h/" + String(repeating: "a", count: 2039)]) }
    }

    @Test("Every value a message repeats is cut to 200 characters, with control characters escaped")
    func clippedValues() throws {
        let long = String(repeating: "x", count: 10_000)
        let messages = [
            SettingsError.invalidAPIURL("http://h/" + long, source: Self.envURL, problem: .character(" ", position: 9)),
            .invalidAPIURL("ftp://" + long, source: Self.envURL, problem: .scheme("ftp" + long)),
            .invalidValue(key: "PREFECT_API_REQUEST_TIMEOUT", value: long, source: .environment("PREFECT_API_REQUEST_TIMEOUT"), expected: "x"),
            .unknownProfile(long, selectedBy: .environment("PREFECT_PROFILE"), path: long, available: [long]),
            .invalidProfilesFile(path: long, reason: long),
            .unreadableProfilesFile(path: long, reason: "Permission denied"),
            .missingAPIURL(checked: [long]),
        ].map(\.description)
        for message in messages {
            #expect(message.count < 1_500, "\(message.prefix(300))")
            #expect(message.contains(" more characters]"))
        }
        let escaped = SettingsError.invalidValue(
            key: "PREFECT_API_REQUEST_TIMEOUT", value: "\u{1B}[2J5", source: .environment("PREFECT_API_REQUEST_TIMEOUT"), expected: "x")
        #expect(escaped.description.contains("'\\u{1B}[2J5'"))
        #expect(!escaped.description.unicodeScalars.contains("\u{1B}"))
    }
}

// MARK: - Timeout

extension SettingsResolverTests {
    @Test(
        "PREFECT_API_REQUEST_TIMEOUT must be above 0 and at most 3600, from the environment or a profile",
        arguments: [
            "inf", "-inf", "nan", "1e300", "3600.5", "0", "-1", "soon", "",
        ])
    func badTimeouts(value: String) throws {
        let env = SettingSource.environment("PREFECT_API_REQUEST_TIMEOUT")
        let expected = "a number of seconds above 0 and at most 3600"
        if value.isEmpty {
            // An empty value is unset, as in Prefect.
            #expect(try resolve(env: ["PREFECT_API_REQUEST_TIMEOUT": value]).timeout == Sourced(60, from: .defaultValue))
            return
        }
        #expect(throws: SettingsError.invalidValue(key: "PREFECT_API_REQUEST_TIMEOUT", value: value, source: env, expected: expected)) {
            try resolve(env: ["PREFECT_API_REQUEST_TIMEOUT": value])
        }
        let file = "active = \"local\"\n[profiles.local]\nPREFECT_API_URL = \"http://h/api\"\nPREFECT_API_REQUEST_TIMEOUT = \"\(value)\"\n"
        let profile = SettingSource.profile(name: "local", key: "PREFECT_API_REQUEST_TIMEOUT")
        #expect(throws: SettingsError.invalidValue(key: "PREFECT_API_REQUEST_TIMEOUT", value: value, source: profile, expected: expected)) {
            try resolve(files: [Self.defaultPath: file])
        }
    }

    @Test("A TOML float inf or nan in a profile is rejected too")
    func tomlInfinity() {
        for literal in ["inf", "nan", "1e300"] {
            let file = "active = \"local\"\n[profiles.local]\nPREFECT_API_URL = \"http://h/api\"\nPREFECT_API_REQUEST_TIMEOUT = \(literal)\n"
            #expect(throws: SettingsError.self) { try resolve(files: [Self.defaultPath: file]) }
        }
    }

    @Test("The bounds themselves and the shared check")
    func timeoutBounds() throws {
        #expect(try resolve(env: ["PREFECT_API_REQUEST_TIMEOUT": "3600"]).timeout.value == 3600)
        #expect(try resolve(env: ["PREFECT_API_REQUEST_TIMEOUT": " 0.5 "]).timeout.value == 0.5)
        #expect(PrefectSettings.maximumTimeout == 3600)
        #expect(PrefectSettings.isValidTimeout(3600) && PrefectSettings.isValidTimeout(0.001))
        #expect(![0, -1, 3600.001, .infinity, -.infinity, .nan].contains(where: PrefectSettings.isValidTimeout))
    }

    @Test("An out-of-range --timeout given to the resolver is rejected, naming the flag", arguments: [Double.infinity, .nan, 0, 1e300])
    func badFlagTimeout(seconds: Double) {
        #expect {
            try resolve(SettingsOverrides(timeout: seconds))
        } throws: { error in
            guard case SettingsError.invalidValue(let key, _, let source, _) = error else { return false }
            return key == "PREFECT_API_REQUEST_TIMEOUT" && source == .flag("--timeout")
        }
    }
}

// MARK: - Profiles file problems

extension SettingsResolverTests {
    static let envWithURL = ["PREFECT_API_URL": "http://127.0.0.1:4200/api"]

    @Test("A profiles file that exists but cannot be read is an error naming the path and the system's reason")
    func unreadableFile() {
        let reader: SettingsResolver.FileReader = { path in path == Self.defaultPath ? .unreadable(reason: "Permission denied") : .missing }
        #expect(throws: SettingsError.unreadableProfilesFile(path: Self.defaultPath, reason: "Permission denied")) {
            try resolve(env: Self.envWithURL, reader: reader)
        }
        let message = SettingsError.unreadableProfilesFile(path: Self.defaultPath, reason: "Permission denied").description
        #expect(message.hasPrefix("The profiles file /home/ada/.prefect/profiles.toml exists but cannot be read: Permission denied."))
    }

    @Test("A real directory where the profiles file should be is unreadable, even for root; a missing file is not")
    func realFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prefect-mcp-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = folder.appendingPathComponent("profiles.toml").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("real.toml").path
        try Data(Self.profiles.utf8).write(to: URL(fileURLWithPath: file))

        #expect(SettingsResolver.readFile(directory) == .unreadable(reason: "Is a directory"))
        #expect(SettingsResolver.readFile(folder.appendingPathComponent("none.toml").path) == .missing)
        #expect(SettingsResolver.readFile(file + "/below") == .missing)
        #expect(SettingsResolver.readFile(file) == .contents(Array(Self.profiles.utf8)))
        #expect(SettingsResolver.readFile("/dev/null") == .unreadable(reason: "not a regular file"))

        let env = Self.home.merging(Self.envWithURL) { $1 }
        #expect(throws: SettingsError.unreadableProfilesFile(path: directory, reason: "Is a directory")) {
            try SettingsResolver.resolve(overrides: SettingsOverrides(), environment: env.merging(["PREFECT_PROFILES_PATH": directory]) { $1 })
        }
        let fromFile = try SettingsResolver.resolve(
            overrides: SettingsOverrides(profile: "cloud"), environment: env.merging(["PREFECT_PROFILES_PATH": file]) { $1 })
        #expect(fromFile.profile?.path == file)
    }

    @Test("Bytes that are not UTF-8 are reported with their line")
    func invalidUTF8() {
        let bytes = Array("active = \"local\"\n[profiles.local]\nPREFECT_API_URL = \"http://h".utf8) + [0xFF] + Array("/api\"\n".utf8)
        let reader: SettingsResolver.FileReader = { _ in .contents(bytes) }
        #expect(
            throws: SettingsError.invalidProfilesFile(
                path: Self.defaultPath, reason: "line 3 is not valid UTF-8 (byte 0xFF at column 28); save the file as UTF-8.")
        ) {
            try resolve(env: Self.envWithURL, reader: reader)
        }
    }

    @Test("A NUL byte is reported with its line, not cut off silently")
    func nulByte() {
        let text = "active = \"local\"\n\u{0}[profiles.local]\nPREFECT_API_URL = \"http://h/api\"\n"
        #expect(
            throws: SettingsError.invalidProfilesFile(
                path: Self.defaultPath, reason: "line 2 holds a NUL character (column 1); a profiles file is text.")
        ) {
            try resolve(files: [Self.defaultPath: text])
        }
    }

    @Test(
        "A PREFECT_API_URL that is an array or a table names the key, the profile and the line",
        arguments: [
            ("PREFECT_API_URL = [\"http://h/api\"]", "line 4: PREFECT_API_URL in profile 'local' is an array"),
            ("PREFECT_API_URL = { host = \"h\" }", "line 4: PREFECT_API_URL in profile 'local' is a table"),
            ("[profiles.local.PREFECT_API_URL]\nhost = \"h\"", "line 4: PREFECT_API_URL in profile 'local' is a table"),
            ("PREFECT_API_URL = 1979-05-27", "line 4: PREFECT_API_URL in profile 'local' is a date"),
        ])
    func nonStringURL(line: String, reason: String) throws {
        let file = "active = \"local\"\n\n[profiles.local]\n\(line)\n"
        let expected = reason + "; expected a string such as \"http://127.0.0.1:4200/api\"."
        #expect(throws: SettingsError.invalidProfilesFile(path: Self.defaultPath, reason: expected)) {
            try resolve(files: [Self.defaultPath: file])
        }
        // The environment wins, so the profile's value is never needed.
        #expect(try resolve(env: Self.envWithURL, files: [Self.defaultPath: file]).profile?.name == "local")
    }

    @Test("Other settings that cannot be text are reported when they are read")
    func nonStringSetting() {
        let file = "active = \"local\"\n[profiles.local]\nPREFECT_API_URL = \"http://h/api\"\nPREFECT_API_KEY = [1, 2]\n"
        #expect(
            throws: SettingsError.invalidProfilesFile(
                path: Self.defaultPath, reason: "line 4: PREFECT_API_KEY in profile 'local' is an array; expected a string, a number or a boolean.")
        ) {
            try resolve(files: [Self.defaultPath: file])
        }
    }

    @Test(
        "An active key that is not a string names its line when no URL is found elsewhere, and warns otherwise",
        arguments: [
            ("active = 3", "the number 3"),
            ("active = [\"local\"]", "an array"),
            ("active = true", "the boolean true"),
        ])
    func nonStringActive(line: String, kind: String) throws {
        let file = "# profiles\n\(line)\n[profiles.local]\nPREFECT_API_URL = \"http://h/api\"\n"
        let reason = "line 2: the active key is \(kind), not the name of a profile; write e.g. active = \"local\"."
        #expect(throws: SettingsError.invalidProfilesFile(path: Self.defaultPath, reason: reason)) {
            try resolve(files: [Self.defaultPath: file])
        }
        let settings = try resolve(env: Self.envWithURL, files: [Self.defaultPath: file])
        #expect(settings.profile == nil)
        #expect(settings.warnings == ["The active key at line 2 of \(Self.defaultPath) is \(kind), not the name of a profile; no profile is used."])
        #expect(try resolve(SettingsOverrides(profile: "local"), files: [Self.defaultPath: file]).profile?.name == "local")
    }

    @Test("An active key naming a profile the file lacks is an error when no URL is found elsewhere")
    func danglingActiveWithoutURL() {
        let file = "[profiles.local]\nPREFECT_API_URL = \"http://x:1/api\"\n\n[profiles.cloud]\n\nactive = \"gone\"\n"
        // The active key after a table belongs to that table in TOML, so put it first for the real case.
        let top = "active = \"gone\"\n[profiles.local]\nPREFECT_API_URL = \"http://x:1/api\"\n[profiles.cloud]\n"
        let error = SettingsError.unknownProfile(
            "gone", selectedBy: .profile(name: "gone", key: "active"), path: Self.defaultPath, available: ["cloud", "local"], line: 1)
        #expect(throws: error) { try resolve(files: [Self.defaultPath: top]) }
        #expect(
            error.description == """
                The active key at line 1 of /home/ada/.prefect/profiles.toml names the profile 'gone', which the file does not have. \
                Available: cloud, local.
                Prefect warns and falls back to its default profile, which sets no API URL. Run `prefect profile use NAME`, \
                or set PREFECT_API_URL or --api-url.
                """)
        // Nested under [profiles.cloud], `active` is a setting of that profile, not the file's active key.
        #expect(
            throws: SettingsError.missingAPIURL(checked: [
                "--api-url", "env PREFECT_API_URL", "profiles file \(Self.defaultPath) (no active profile)",
            ])
        ) {
            try resolve(files: [Self.defaultPath: file])
        }
    }

    @Test(
        "A profiles table or a profile that is not a table is reported with its line",
        arguments: [
            ("profiles = 3\n", "line 1: 'profiles' is the number 3, not a table of profiles."),
            ("active = \"a\"\n[profiles]\na = \"x\"\n", "line 3: the profile 'a' is a string, not a table of settings."),
        ])
    func profilesNotTables(file: String, reason: String) {
        #expect(throws: SettingsError.invalidProfilesFile(path: Self.defaultPath, reason: reason)) {
            try resolve(env: Self.envWithURL, files: [Self.defaultPath: file])
        }
    }
}
