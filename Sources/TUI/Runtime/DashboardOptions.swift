package import Core

/// How the dashboard looks and listens, from its flags, then the config file, then these defaults.
package struct DashboardOptions: Sendable {
    /// Seconds between full re-reads (the backstop beside Prefect's events).
    package var refresh: Double = 60
    package var theme: Theme = .dark
    /// False with NO_COLOR: bold, dim and reverse only.
    package var colors = true
    /// Clicks select and open, the wheel scrolls; off, the terminal keeps its own text selection.
    package var mouse = true
    package var keyMap = KeyMap.standard
    /// The profiles `P` switches between.
    package var profiles = ProfileSwitch(environment: [:])

    package init() {}
}
