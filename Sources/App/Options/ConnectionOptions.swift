import ArgumentParser
import Core
import FoundationEssentials

/// `--api-url`, `--profile` and `--timeout`, shared by every command that talks to Prefect.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Prefect API URL, e.g. http://127.0.0.1:4200/api (overrides PREFECT_API_URL and the profile).", valueName: "url"))
    var apiURL: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Profile to read from the profiles file (overrides PREFECT_PROFILE and the file's active profile).", valueName: "name"))
    var profile: String?

    @Option(
        name: .long, help: ArgumentHelp("Seconds to wait for each API request (default: PREFECT_API_REQUEST_TIMEOUT or 60).", valueName: "seconds"))
    var timeout: Double?

    func validate() throws {
        if let timeout, !PrefectSettings.isValidTimeout(timeout) {
            throw ValidationError("--timeout must be \(PrefectSettings.validTimeoutDescription), got \(timeout).")
        }
    }

    /// Resolves settings from these flags, the process environment and the profiles file.
    /// Warnings (an `active` profile the file does not have, say) go to stderr.
    func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SettingsError) -> PrefectSettings {
        let settings = try SettingsResolver.resolve(
            overrides: SettingsOverrides(apiURL: apiURL, profile: profile, timeout: timeout),
            environment: environment
        )
        for warning in settings.warnings { StandardError.write("warning: \(warning.terminalSafe)\n") }
        return settings
    }

    /// The settings for a command that cannot run without them: a failure becomes the exit code and message of
    /// ``Failure/report(_:)``.
    func requiredSettings() throws -> PrefectSettings {
        do {
            return try settings()
        } catch {
            throw Failure.report(error)
        }
    }
}
