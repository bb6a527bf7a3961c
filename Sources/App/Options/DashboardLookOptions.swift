import ArgumentParser
import Core
import FoundationEssentials
import JSONValue
import TUI

/// The dashboard's look and input: flags, else `[dashboard]` of prefect-mcp's config file, else the defaults.
struct DashboardLookOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Seconds between full re-reads, beside those Prefect's events cause (0.5–3600; default 60, or the config file's refresh).",
            valueName: "seconds"))
    var refresh: Double?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Colours for a dark or a light terminal background (default dark, or the config file's theme). NO_COLOR=1 turns colours off.",
            valueName: "dark|light"))
    var theme: String?

    @Flag(
        name: .long,
        help: "Leave the mouse to the terminal (its own text selection); by default a click selects, a double click opens, the wheel scrolls.")
    var noMouse = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "prefect-mcp's config file (default $XDG_CONFIG_HOME/prefect-mcp/config.toml, else ~/.config/prefect-mcp/config.toml; a missing default is fine).",
            valueName: "path"))
    var config: String?

    func validate() throws {
        if let refresh, !ConfigFile.Dashboard.refreshRange.contains(refresh) {
            throw ValidationError("--refresh must be between 0.5 and 3600 seconds, not \(refresh).")
        }
        if let theme, Theme(rawValue: theme) == nil {
            throw ValidationError("--theme must be dark or light, not '\(theme.echoed)'.")
        }
    }

    /// The options, with the config file read.
    /// - Throws: ``InvalidConfigFile`` naming the file, the line and the key that cannot be used.
    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DashboardOptions {
        let file = try Self.configFile(explicit: config, environment: environment)
        let settings = file?.dashboard ?? ConfigFile.Dashboard()
        var options = DashboardOptions()
        options.refresh = refresh ?? settings.refresh ?? options.refresh
        if let theme {
            options.theme = Theme(rawValue: theme) ?? .dark
        } else if let name = settings.theme, let file {
            guard let theme = Theme(rawValue: name) else {
                throw InvalidConfigFile(path: file.path, "\(file.at(["dashboard", "theme"]))dashboard.theme is '\(name)'; expected dark or light.")
            }
            options.theme = theme
        }
        // https://no-color.org: present and not empty.
        options.colors = (environment["NO_COLOR"] ?? "").isEmpty
        options.mouse = !noMouse && (settings.mouse ?? true)
        if let file, !settings.keys.isEmpty {
            do {
                options.keyMap = try KeyMap.standard.overriding(settings.keys)
            } catch {
                throw InvalidConfigFile(path: file.path, "\(file.at(["dashboard", "keys", error.command]))\(error)")
            }
        }
        return options
    }

    /// The config file: `explicit` (which must exist), else the default path when a file is there.
    static func configFile(explicit: String?, environment: [String: String]) throws -> ConfigFile? {
        guard let path = explicit ?? ConfigFile.path(environment: environment) else { return nil }
        switch SettingsResolver.readFile(path) {
        case .contents(let bytes): return try ConfigFile(contents: bytes, path: path)
        case .missing:
            if explicit != nil { throw InvalidConfigFile(path: path, "no such file.") }
            return nil
        case .unreadable(let reason): throw InvalidConfigFile(path: path, "it exists but cannot be read: \(reason).")
        }
    }
}
