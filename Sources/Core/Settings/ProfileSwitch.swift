/// The profiles of Prefect's `profiles.toml` to switch between at run time (the dashboard's picker), and the
/// settings of the one picked.
package struct ProfileSwitch: Sendable {
    /// One profile as the picker lists it.
    package struct Entry: Sendable, Equatable {
        package var name: String
        /// Its `PREFECT_API_URL` as written, without any credential in it; nil when it sets none.
        package var apiURL: String?
        /// Whether the file's `active` key names it.
        package var isActive: Bool
    }

    package var environment: [String: String]
    package var timeout: Double?
    package var readFile: SettingsResolver.FileReader

    package init(environment: [String: String], timeout: Double? = nil, readFile: @escaping SettingsResolver.FileReader = SettingsResolver.readFile) {
        self.environment = environment
        self.timeout = timeout
        self.readFile = readFile
    }

    /// The file's profiles by name.
    /// - Throws: ``SettingsError`` when the file cannot be read or used; none at all is an empty list.
    package func entries() throws(SettingsError) -> [Entry] {
        guard let file = try ProfilesFile.read(environment: environment, readFile: readFile) else { return [] }
        return file.profiles.keys.sorted().map { name in
            Entry(name: name, apiURL: file.profiles[name]?["PREFECT_API_URL"]?.maskingURLUserinfo, isActive: file.active == name)
        }
    }

    /// The settings of profile `name` alone: a picked profile means its own URL and credentials, so the
    /// `PREFECT_API_*` and `PREFECT_PROFILE` variables that would override it (and chose the first profile) are
    /// left out; `--timeout` is kept.
    package func settings(profile name: String) throws(SettingsError) -> PrefectSettings {
        let ignored: Set<String> = [
            "PREFECT_API_URL", "PREFECT_API_KEY", "PREFECT_API_AUTH_STRING", "PREFECT_PROFILE", "PREFECT_API_REQUEST_TIMEOUT",
            "PREFECT_API_TLS_INSECURE_SKIP_VERIFY",
        ]
        return try SettingsResolver.resolve(
            overrides: SettingsOverrides(profile: name, timeout: timeout), environment: environment.filter { !ignored.contains($0.key) },
            readFile: readFile)
    }
}
