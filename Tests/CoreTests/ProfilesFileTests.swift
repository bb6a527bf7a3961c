import Testing

@testable import Core

@Suite("Profiles file")
struct ProfilesFileTests {
    static let path = "/p.toml"

    @Test("Keys are found on their lines, through quoted and dotted keys, and past multi-line strings")
    func keyLines() throws {
        let text = """
            # Prefect profiles
            active = "local"

            [profiles.local]
            PREFECT_API_URL = "http://h/api"
            "PREFECT_API_KEY" = '''
            not = "a key"
            '''
            PREFECT_LOGGING_LEVEL = "DEBUG"

            [profiles."with.dot"]
            PREFECT_API_URL = ["x"]
            [other]
            PREFECT_API_URL = 1
            [profiles.local.PREFECT_CLIENT_CUSTOM_HEADERS]
            X = "1"
            """
        let file = try ProfilesFile(toml: text, path: Self.path)
        #expect(file.line(of: ["active"]) == 2)
        #expect(file.line(of: ["profiles"]) == 4)
        #expect(file.line(of: ["profiles", "local"]) == 4)
        #expect(file.line(of: ["profiles", "local", "PREFECT_API_URL"]) == 5)
        #expect(file.line(of: ["profiles", "local", "PREFECT_API_KEY"]) == 6)
        #expect(file.line(of: ["profiles", "local", "not"]) == nil)
        #expect(file.line(of: ["profiles", "local", "PREFECT_LOGGING_LEVEL"]) == 9)
        #expect(file.line(of: ["profiles", "with.dot", "PREFECT_API_URL"]) == 12)
        #expect(file.line(of: ["profiles", "local", "PREFECT_CLIENT_CUSTOM_HEADERS"]) == 15)
        #expect(file.unusable == ["with.dot": ["PREFECT_API_URL": "an array"], "local": ["PREFECT_CLIENT_CUSTOM_HEADERS": "a table"]])
        #expect(file.profiles["local"]?["PREFECT_API_KEY"] == "not = \"a key\"\n")
    }

    @Test("Windows line ends count as one line each")
    func crlf() throws {
        let file = try ProfilesFile(toml: "active = \"a\"\r\n\r\n[profiles.a]\r\nPREFECT_API_URL = []\r\n", path: Self.path)
        #expect(file.line(of: ["profiles", "a", "PREFECT_API_URL"]) == 4)
    }

    @Test("Numbers and booleans become text; arrays, tables and dates are kept apart")
    func values() throws {
        let file = try ProfilesFile(
            toml: "[profiles.a]\nT = 15\nF = 1.5\nB = true\nA = [1]\nD = 2024-01-01T00:00:00Z\n", path: Self.path)
        #expect(file.profiles == ["a": ["T": "15", "F": "1.5", "B": "true"]])
        #expect(file.unusable == ["a": ["A": "an array", "D": "a date and time"]])
        #expect(file.active == nil && file.unusableActive == nil)
    }

    @Test("UTF-8 errors and NUL characters are located by line and column")
    func badText() {
        let bytes = Array("a = 1\nb = \"é".utf8) + [0xC3] + Array("\"\n".utf8)
        #expect(
            throws: SettingsError.invalidProfilesFile(
                path: Self.path, reason: "line 2 is not valid UTF-8 (byte 0xC3 at column 7); save the file as UTF-8.")
        ) {
            try ProfilesFile(contents: bytes, path: Self.path)
        }
        #expect(
            throws: SettingsError.invalidProfilesFile(path: Self.path, reason: "line 3 holds a NUL character (column 4); a profiles file is text.")
        ) {
            try ProfilesFile(toml: "a = 1\n\nb =\u{0} 2\n", path: Self.path)
        }
    }

    @Test("Valid UTF-8 bytes parse as the text does")
    func bytes() throws {
        let text = "active = \"lücal\"\n[profiles.\"lücal\"]\nPREFECT_API_URL = \"http://h/api\"\n"
        #expect(try ProfilesFile(contents: Array(text.utf8), path: Self.path) == ProfilesFile(toml: text, path: Self.path))
        #expect(try ProfilesFile(contents: [], path: Self.path) == ProfilesFile())
    }
}
