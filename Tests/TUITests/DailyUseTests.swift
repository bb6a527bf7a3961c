import Foundation
import Testing

@testable import Core
@testable import TUI

@Suite("Key overrides, mouse, history chart and sparkline")
struct DailyUseTests {
    // MARK: keys

    @Test func theStandardMapHasNoAmbiguousKeyAndEveryCommandHasAName() throws {
        _ = try KeyMap.standard.overriding([:])
        for binding in KeyMap.standard.bindings {
            #expect(KeyMap.commandNames.contains { $0.command == binding.command }, "\(binding.command) has no config name")
        }
    }

    @Test func anOverrideReplacesACommandsKeysEverywhere() throws {
        let map = try KeyMap.standard.overriding(["quit": ["Q"], "filter": ["F", "Ctrl-F"], "down": ["Down"]])
        #expect(map.command(for: .character("Q"), in: .overview) == .quit)
        #expect(map.command(for: .character("q"), in: .overview) == nil, "the defaults are replaced")
        for view in [View.runs, .deployments, .logs, .events] {
            #expect(map.command(for: .control("f"), in: view) == .startFilter)
            #expect(map.command(for: .character("/"), in: view) == nil)
        }
        #expect(map.command(for: .character("j"), in: .runs) == nil)
        #expect(map.hints(in: .overview).hasSuffix("Q quit"), "the status bar shows the new key")
    }

    @Test func aBadOverrideIsRefusedNamingTheCommand() {
        func error(_ overrides: [String: [String]]) -> String? {
            do {
                _ = try KeyMap.standard.overriding(overrides)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(error(["qiut": ["Q"]])?.hasPrefix("dashboard.keys.qiut: no such command; the commands are down, up,") == true)
        #expect(error(["quit": ["F13"]])?.hasPrefix("dashboard.keys.quit: 'F13' is not a key;") == true)
        #expect(error(["quit": ["Ctrl-M"]])?.hasPrefix("dashboard.keys.quit: 'Ctrl-M' is not a key") == true, "Ctrl-M is Enter")
        #expect(
            error(["quit": ["j"]])
                == "dashboard.keys.quit: j is also the key of 'down' (move down); give that command other keys too, or pick another key.")
        #expect(error(["quit": ["j"], "down": ["Down"]]) == nil, "free once down gives it up")
        #expect(error(["follow": ["c"]]) == nil, "c means window only in the overview, follow only in the log")
    }

    @Test func keyNames() {
        #expect(Key(name: "x") == .character("x"))
        #expect(Key(name: "Space") == .character(" "))
        #expect(Key(name: "ctrl+r") == .control("r"))
        #expect(Key(name: "PAGEDOWN") == .pageDown)
        #expect(Key(name: "Shift-Tab") == .backTab)
        #expect(Key(name: "") == nil)
        #expect(Key(name: "xy") == nil)
        #expect(Key(name: "\u{1B}") == nil)
    }

    // MARK: mouse

    func overview(_ size: (Int, Int) = (120, 40)) -> DashboardState {
        var state = DashboardState()
        state.size = size
        _ = state.reduce(.loaded(.overview(Samples.overview(runs: 30)), at: Samples.now))
        return state
    }

    func row(_ state: DashboardState, showing text: String) -> Int? {
        Renderer.render(state, now: Samples.now).lines().firstIndex { $0.contains(text) }
    }

    @Test func aClickSelectsARowAndADoubleClickOpensIt() throws {
        var state = overview()
        let y = try #require(row(state, showing: "run-4 "))
        #expect(state.reduce(.mouse(Mouse(.left, x: 5, y: y), at: Samples.now)).isEmpty)
        #expect(state.selectedRun?.name == "run-4")
        #expect(Renderer.render(state, now: Samples.now)[5, y].style == .selected)
        // Twice, quickly: the run opens, and its detail is read.
        let effects = state.reduce(.mouse(Mouse(.left, x: 5, y: y), at: Samples.now.addingTimeInterval(0.2)))
        #expect(state.view == .runDetail)
        #expect(state.detailRun?.name == "run-4")
        #expect(effects == [.refresh])
    }

    @Test func twoSlowClicksOnlySelect() throws {
        var state = overview()
        let y = try #require(row(state, showing: "run-2 "))
        _ = state.reduce(.mouse(Mouse(.left, x: 5, y: y), at: Samples.now))
        _ = state.reduce(.mouse(Mouse(.left, x: 5, y: y), at: Samples.now.addingTimeInterval(1)))
        #expect(state.view == .overview)
        #expect(state.selectedRun?.name == "run-2")
        // A click on a header or a blank line changes nothing.
        _ = state.reduce(.mouse(Mouse(.left, x: 5, y: 0), at: Samples.now.addingTimeInterval(3)))
        _ = state.reduce(.mouse(Mouse(.left, x: 5, y: 39), at: Samples.now.addingTimeInterval(4)))
        #expect(state.selectedRun?.name == "run-2")
    }

    @Test func aClickOnATabShowsItAndTheWheelMoves() {
        var state = overview()
        let effects = state.reduce(.mouse(Mouse(.left, x: Renderer.tabLabel(0).count + 2, y: 1), at: Samples.now))
        #expect(state.view == .runs)
        #expect(effects == [.refresh], "the new view's data is read at once")
        #expect(Renderer.tab(at: 0) == .overview)
        #expect(Renderer.tab(at: 500) == nil)
        var list = overview()
        _ = list.reduce(.mouse(Mouse(.wheelDown, x: 5, y: 20), at: Samples.now))
        #expect(list.selection[.overview] == DashboardState.wheelRows)
        _ = list.reduce(.mouse(Mouse(.wheelUp, x: 5, y: 20), at: Samples.now))
        #expect(list.selection[.overview] == 0)
    }

    @Test func aPromptKeepsTheMouseOut() throws {
        var state = overview()
        _ = state.reduce(.key(.character("2")))
        _ = state.reduce(.loaded(.runs(RunSearch(), (0..<5).map { Samples.run($0) }), at: Samples.now))
        _ = state.reduce(.key(.character("/")))
        let y = try #require(row(state, showing: "run-3 "))
        _ = state.reduce(.mouse(Mouse(.left, x: 5, y: y), at: Samples.now))
        #expect(state.selection[.runs] ?? 0 == 0)
        #expect(state.prompt != nil)
    }

    // MARK: chart

    @Test func everyStateWithRunsGetsACellFailuresFirst() {
        let counts = [
            ServerStatus.StateCount(type: .completed, name: "Completed", count: 100),
            ServerStatus.StateCount(type: .failed, name: "Failed", count: 1),
            ServerStatus.StateCount(type: .running, name: "Running", count: 2),
        ]
        #expect(HistoryChart.stacked(counts).map(\.name) == ["Completed", "Failed", "Running"])
        #expect(HistoryChart.cells(counts, total: 103, tallest: 103, height: 6) == [4, 1, 1])
        #expect(HistoryChart.cells(counts, total: 103, tallest: 103, height: 1) == [0, 1, 0], "one cell: the failure shows")
        #expect(HistoryChart.cells(counts, total: 103, tallest: 206, height: 6) == [1, 1, 1])
        #expect(HistoryChart.cells(counts, total: 0, tallest: 5, height: 6) == [0, 0, 0])
        let half = [ServerStatus.StateCount(type: .completed, name: "Completed", count: 5)]
        #expect(HistoryChart.cells(half, total: 5, tallest: 10, height: 8) == [4])
    }

    @Test func withoutColoursEachStateHasItsGlyph() {
        let marks = [StateType.completed, .failed, .crashed, .running, .pending, .cancelled].map { HistoryChart.mark($0, "x", colors: false).0 }
        #expect(Set(marks).count == marks.count)
        #expect(HistoryChart.mark(.scheduled, "Late", colors: false).0 != HistoryChart.mark(.scheduled, "Scheduled", colors: false).0)
        #expect(HistoryChart.mark(.failed, "Failed", colors: true) == ("█", Style(foreground: .red)))
    }

    @Test func theLightThemeTradesColoursThatFadeOnWhite() {
        #expect(Color.allCases.map { Theme.dark.draw($0) } == Color.allCases, "dark draws every colour as it is")
        #expect(Theme.light.draw(.yellow) == .magenta && Theme.light.draw(.cyan) == .blue && Theme.light.draw(.white) == .black)
        #expect(Theme.light.draw(.red) == .red && Theme.light.draw(.green) == .green && Theme.light.draw(.default) == .default)
    }

    @Test func sparkline() {
        #expect(Sparkline.text([1, 2, 3, 8]) == "▁▂▃█")
        #expect(Sparkline.text([5, 5]) == "▄▄")
        #expect(Sparkline.text([]) == "")
    }

    @Test func finishedRunsRate() {
        let runs = FinishedRuns(runs: [Samples.run(0, state: "FAILED", name: "Failed"), Samples.run(1), Samples.run(2), Samples.run(3)])
        #expect(runs.completed == 3)
        #expect(runs.successRate == 0.75)
        #expect(FinishedRuns(runs: []).successRate == nil)
    }

    // MARK: profiles

    static let entries = [
        ProfileSwitch.Entry(name: "local", apiURL: "http://127.0.0.1:4200/api", isActive: true),
        ProfileSwitch.Entry(name: "staging", apiURL: "https://staging.example/api", isActive: false),
    ]

    @Test func pOpensThePickerAndEnterSwitches() {
        var state = overview()
        state.startingProfile = "local"
        #expect(state.reduce(.key(.character("P"))) == [.listProfiles])
        _ = state.reduce(.profiles(.success(Self.entries)))
        #expect(state.picker?.selected == 0, "the picker opens on the profile in use")
        let screen = Renderer.render(state, now: Samples.now).lines().joined(separator: "\n")
        #expect(screen.contains("local    http://127.0.0.1:4200/api  (in use, active in the file)"))
        #expect(screen.contains("staging  https://staging.example/api"))
        _ = state.reduce(.key(.character("j")))
        #expect(state.reduce(.key(.enter)) == [.switchProfile("staging")])
        #expect(state.picker == nil)
        #expect(state.notice?.text == "Connecting to profile staging…")
        // The session reconnected: everything of the old server is gone, the view reads the new one at once.
        state.view = .runs
        let effects = state.reduce(.switched(profile: "staging", serverURL: "https://staging.example/api", at: Samples.now))
        #expect(effects == [.refresh])
        #expect(state.overview == nil && state.events.isEmpty && state.view == .overview)
        #expect(state.serverURL == "https://staging.example/api")
        #expect(Renderer.render(state, now: Samples.now).lines()[0].contains("profile staging"))
    }

    @Test func pickingTheProfileInUseOrEscChangesNothing() {
        var state = overview()
        state.startingProfile = "local"
        _ = state.reduce(.profiles(.success(Self.entries)))
        #expect(state.reduce(.key(.enter)) == [])
        _ = state.reduce(.profiles(.success(Self.entries)))
        _ = state.reduce(.key(.escape))
        #expect(state.picker == nil && state.view == .overview, "Esc closes the picker, not the view")
        _ = state.reduce(.profiles(.success([])))
        #expect(state.notice?.isError == true)
        _ = state.reduce(.profileFailed(name: "cloud", reason: "no PREFECT_API_URL"))
        #expect(state.notice?.text == "Cannot switch to profile cloud: no PREFECT_API_URL")
        #expect(state.overview != nil, "a failed switch keeps the data")
    }
}
