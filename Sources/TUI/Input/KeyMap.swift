/// A key press, as the backend reports it (never an ncurses code).
package enum Key: Sendable, Hashable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace
    /// A control key, e.g. `.control("r")` for Ctrl-R.
    case control(Character)

    /// How help shows the key: `j`, `↓`, `PgDn`, `Enter`, `Ctrl-R`.
    package var label: String {
        switch self {
        case .character(" "): "Space"
        case .character(let character): String(character)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .control(let character): "Ctrl-\(character.uppercased())"
        }
    }
}

/// The views of the dashboard.
package enum View: String, Sendable, Hashable, CaseIterable {
    case overview = "Overview"
    case runs = "Runs"
    case deployments = "Deployments"
    case workPools = "Work pools"
    case logs = "Logs"
    case events = "Events"
    case runDetail = "Run"
    case deploymentDetail = "Deployment"
    case workPoolDetail = "Work pool"
    case help = "Help"

    /// The views the digit keys 1–6 and Tab reach, in tab order.
    package static let numbered: [View] = [.overview, .runs, .deployments, .workPools, .logs, .events]

    /// The tab a view belongs to: a detail view is shown under its list.
    package var tab: View? {
        switch self {
        case .runDetail: .runs
        case .deploymentDetail: .deployments
        case .workPoolDetail: .workPools
        case .help: nil
        default: self
        }
    }
}

/// What a key asks for.
package enum Command: Sendable, Hashable {
    case quit, back, help, refresh
    case show(View)
    case nextView, previousView
    case up, down, pageUp, pageDown, top, bottom
    case open, openLogs
    case startFilter, startSearch, nextMatch, previousMatch
    case toggleFollow, toggleWrap, toggleTimestamps, cycleLevel, cycleWindow
    /// Writes: bound only when the dashboard was started with --allow-writes.
    case cancelRun, retryRun, runDeployment, togglePause
    /// The profile picker.
    case pickProfile
}

/// One binding, declared once: dispatch, the status-bar hints and the help screen all come from these.
package struct Binding: Sendable {
    package var keys: [Key]
    package var command: Command
    package var help: String
    /// Views where it applies; empty means every view.
    package var views: Set<View>
    /// The word shown for it in the status bar of those views; nil keeps it to the help screen.
    package var hint: String?
    /// It changes Prefect: without --allow-writes it is not bound, and neither help nor the status bar shows it.
    package var needsWrites: Bool

    package init(
        _ keys: [Key], _ command: Command, _ help: String, in views: Set<View> = [], hint: String? = nil, needsWrites: Bool = false
    ) {
        self.keys = keys
        self.command = command
        self.help = help
        self.views = views
        self.hint = hint
        self.needsWrites = needsWrites
    }
}

/// The key map of the dashboard (k9s / lazygit vocabulary): ``standard``, or that with a config file's keys
/// (``overriding(_:)``).
package struct KeyMap: Sendable {
    static let lists: Set<View> = Set(View.allCases)
    static let tables: Set<View> = [.overview, .runs, .deployments, .workPools, .events]

    package var bindings: [Binding]

    package static let standard = KeyMap(bindings: defaults)

    static let defaults: [Binding] = [
        Binding([.character("j"), .down], .down, "move down", in: lists),
        Binding([.character("k"), .up], .up, "move up", in: lists),
        Binding([.pageDown, .control("d")], .pageDown, "page down", in: lists),
        Binding([.pageUp, .control("u")], .pageUp, "page up", in: lists),
        Binding([.character("g"), .home], .top, "go to the top", in: lists),
        Binding([.character("G"), .end], .bottom, "go to the bottom (logs: follow again)", in: lists),
        Binding([.enter], .open, "open the selected item", in: tables, hint: "open"),
        Binding([.character("l")], .openLogs, "logs of the selected run", in: [.overview, .runs, .runDetail], hint: "logs"),
        Binding(
            [.character("/")], .startFilter,
            "filter: show only matching rows (runs: words match the name; state:failed flow:etl deployment:prod pool:NAME)",
            in: [.runs, .deployments, .workPools], hint: "filter"),
        Binding(
            [.character("/")], .startFilter, "filter: events whose name, resource or related names contain every word (prefect.flow-run. NAME)",
            in: [.events], hint: "filter"),
        Binding([.character("/")], .startFilter, "filter: show only matching lines", in: [.logs], hint: "filter"),
        Binding([.character("s")], .startSearch, "search: highlight matches, keep every line", in: [.logs], hint: "search"),
        Binding([.character("n")], .nextMatch, "next match", in: [.logs]),
        Binding([.character("N")], .previousMatch, "previous match", in: [.logs]),
        Binding([.character("f")], .toggleFollow, "follow new lines on or off", in: [.logs], hint: "follow"),
        Binding([.character("w")], .toggleWrap, "wrap long lines", in: [.logs]),
        Binding([.character("t")], .toggleTimestamps, "show timestamps", in: [.logs]),
        Binding([.character("L")], .cycleLevel, "minimum level: all, info, warning, error", in: [.logs]),
        Binding([.character("c")], .cycleWindow, "count window: 1h, 24h, 7d", in: [.overview], hint: "window"),
        Binding(
            [.character("C")], .cancelRun, "cancel the selected run (asks y/N first)", in: [.overview, .runs, .runDetail, .logs], hint: "cancel",
            needsWrites: true),
        Binding(
            [.character("R")], .retryRun, "retry the selected finished run (asks y/N first)", in: [.runs, .runDetail], hint: "retry",
            needsWrites: true),
        Binding(
            [.character("R")], .runDeployment, "run the deployment: a form of its parameters, then its log", in: [.deployments, .deploymentDetail],
            hint: "run", needsWrites: true),
        Binding(
            [.character("p")], .togglePause, "pause or resume (deployment; work pool or one of its queues)",
            in: [.deployments, .deploymentDetail, .workPools, .workPoolDetail], hint: "pause", needsWrites: true),
        Binding([.tab], .nextView, "next view"),
        Binding([.backTab], .previousView, "previous view"),
        Binding([.character("1")], .show(.overview), "overview"),
        Binding([.character("2")], .show(.runs), "runs"),
        Binding([.character("3")], .show(.deployments), "deployments"),
        Binding([.character("4")], .show(.workPools), "work pools"),
        Binding([.character("5")], .show(.logs), "logs"),
        Binding([.character("6")], .show(.events), "events"),
        Binding([.character("r"), .control("r")], .refresh, "refresh now"),
        Binding([.character("P")], .pickProfile, "switch to another profile of Prefect's profiles.toml (reconnects)"),
        Binding([.escape], .back, "back"),
        Binding([.character("?")], .help, "this help", hint: "help"),
        Binding([.character("q")], .quit, "quit", hint: "quit"),
    ]

    /// The command `key` means in `view`, if any; a write only when `writes` is on.
    package func command(for key: Key, in view: View, writes: Bool = false) -> Command? {
        bindings(in: view, writes: writes).first { $0.keys.contains(key) }?.command
    }

    /// The bindings that apply in `view`, for the help screen: without `writes`, none that changes Prefect.
    package func bindings(in view: View, writes: Bool = false) -> [Binding] {
        bindings.filter { ($0.views.isEmpty || $0.views.contains(view)) && (writes || !$0.needsWrites) }
    }

    /// `Enter open · l logs · ? help · q quit`: the status-bar hints of `view`.
    package func hints(in view: View, writes: Bool = false) -> String {
        bindings(in: view, writes: writes).compactMap { binding in binding.hint.map { "\(binding.keys[0].label) \($0)" } }
            .joined(separator: " · ")
    }
}
