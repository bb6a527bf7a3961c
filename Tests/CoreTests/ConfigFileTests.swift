import Testing

@testable import Core

@Suite("prefect-mcp's config file")
struct ConfigFileTests {
    func parse(_ text: String) throws(InvalidConfigFile) -> ConfigFile {
        try ConfigFile(contents: Array(text.utf8), path: "/home/ada/.config/prefect-mcp/config.toml")
    }

    func reason(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func readsTheDashboardSettings() throws {
        let file = try parse(
            """
            # mine
            [dashboard]
            refresh = 30
            theme = "light"
            mouse = false

            [dashboard.keys]
            quit = "Q"
            refresh = ["r", "Ctrl-R"]
            """)
        #expect(
            file.dashboard == ConfigFile.Dashboard(refresh: 30, theme: "light", mouse: false, keys: ["quit": ["Q"], "refresh": ["r", "Ctrl-R"]]))
        #expect(file.line(of: ["dashboard", "keys", "refresh"]) == 9)
        #expect(try parse("").dashboard == ConfigFile.Dashboard(), "an empty file changes nothing")
        #expect(try parse("[dashboard]\nrefresh = 2.5").dashboard.refresh == 2.5)
    }

    @Test func namesTheLineAndKeyOfWhatCannotBeUsed() {
        #expect(reason("[dashboard]\nrefrsh = 30") == "line 2: unknown key 'dashboard.refrsh' in [dashboard]; known: refresh, theme, mouse, keys.")
        #expect(reason("theme = 'dark'") == "line 1: unknown key 'theme' at the top; known: dashboard.")
        #expect(reason("[dashboard]\n\nrefresh = \"fast\"") == "line 3: dashboard.refresh is a string; expected a number of seconds.")
        #expect(reason("[dashboard]\nrefresh = 0.1") == "line 2: dashboard.refresh is 0.1; it must be between 0.5 and 3600 seconds.")
        #expect(reason("[dashboard]\nmouse = \"no\"") == "line 2: dashboard.mouse is a string; expected true or false.")
        #expect(reason("[dashboard]\ntheme = 3") == "line 2: dashboard.theme is the number 3; expected a string.")
        #expect(reason("dashboard = 1") == "line 1: dashboard is the number 1; expected a table ([dashboard]).")
        #expect(reason("[dashboard.keys]\nquit = []")?.hasPrefix("line 2: dashboard.keys.quit is an array; expected a key") == true)
        #expect(reason("[dashboard.keys]\nquit = [1]")?.hasPrefix("line 2: dashboard.keys.quit is an array") == true)
        #expect(reason("[dashboard]\nrefresh = ")?.hasPrefix("line 2: not valid TOML") == true)
        #expect(reason("[dashboard]\ntheme = \"a\u{0}b\"") == "line 2 holds a NUL character (column 11); a config file is text.")
    }

    @Test func errorsNameTheFile() {
        let error = InvalidConfigFile(path: "/tmp/c.toml", "line 2: unknown key 'x'.")
        #expect(error.description == "The config file /tmp/c.toml cannot be used: line 2: unknown key 'x'.")
    }

    @Test func followsXDG() {
        #expect(ConfigFile.path(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/prefect-mcp/config.toml")
        #expect(ConfigFile.path(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/h"]) == "/h/.config/prefect-mcp/config.toml")
        #expect(ConfigFile.path(environment: ["HOME": "/h"]) == "/h/.config/prefect-mcp/config.toml")
        #expect(ConfigFile.path(environment: [:]) == nil)
    }
}
