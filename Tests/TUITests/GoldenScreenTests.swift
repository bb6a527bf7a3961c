import Foundation
import Testing

@testable import Core
@testable import TUI

/// The renderer's screens as plain text plus a style map, compared with committed files in Goldens/. Run with
/// UPDATE_GOLDENS=1 to rewrite them after a deliberate change, and read the diff.
@Suite("Golden screens")
struct GoldenScreenTests {
    init() {
        #expect(TerminalWidth.ensureUTF8Locale(), "a UTF-8 locale (C.UTF-8) is needed")
    }

    static let sizes = [(80, 24), (120, 40), (200, 60)]
    static let now = Samples.now

    static func legend(_ style: Style) -> Character {
        switch style {
        case .plain: "."
        case .selected: "R"
        case .error: "E"
        case .warning: "W"
        case .ok: "G"
        case .accent: "C"
        case .dim: "D"
        case .bold: "B"
        case .match: "M"
        default:
            style.reverse
                ? (style.foreground == .red ? "r" : style.foreground == .green ? "g" : "R")
                // The chart's colours, by the colour's number: 1 red, 2 green, 3 yellow, 4 blue, 5 magenta, 6 cyan, 7 grey.
                : style.foreground != .default && !style.bold ? Character(String(style.foreground.rawValue)) : "X"
        }
    }

    static func state(_ size: (Int, Int)) -> DashboardState {
        var state = DashboardState()
        state.serverURL = "http://127.0.0.1:4200/api"
        state.size = size
        return state
    }

    static func loaded(_ size: (Int, Int)) -> DashboardState {
        var state = state(size)
        var data = Samples.overview(runs: 30)
        data.status.history = Samples.history
        data.recentRuns[0] = Samples.run(0, state: "FAILED", name: "Failed")
        data.recentRuns[1] = Samples.run(1, state: "RUNNING", name: "Running")
        let late = Samples.run(99, state: "SCHEDULED", name: "Late")
        data.lateRuns = LateRunsReport(
            runs: [
                .init(run: late, causes: [Cause("no_online_worker", "Work pool 'empty-pool' has no online worker (no worker has ever polled it).")])
            ],
            lateCount: 1, summary: ["no_online_worker": 1], checkedAt: now)
        _ = state.reduce(.loaded(.overview(data), at: now.addingTimeInterval(-3)))
        return state
    }

    static func scenarios(_ size: (Int, Int)) -> [(String, DashboardState)] {
        var disconnected = loaded(size)
        _ = disconnected.reduce(.refreshFailed(reason: "connection refused", unauthorized: false, at: now.addingTimeInterval(-1)))
        _ = disconnected.reduce(.refreshFailed(reason: "connection refused", unauthorized: false, at: now.addingTimeInterval(-1)))
        var unauthorized = state(size)
        _ = unauthorized.reduce(.refreshFailed(reason: "401 for basic auth (env PREFECT_API_AUTH_STRING)", unauthorized: true, at: now))
        var logs = loaded(size)
        _ = logs.reduce(.key(.character("l")))
        let messages = [
            "Beginning flow run", "Loaded batch 1/3", "Retrying in 5 s: timeout talking to db",
            "Traceback (most recent call last):\n  File \"flows.py\", line 41", "ValueError: bad row 42 — 世界",
        ]
        let lines = messages.enumerated().map { index, text in
            LogLine(
                id: "\(index)", timestamp: now.addingTimeInterval(Double(index) - 10), level: [20, 20, 30, 40, 40][index],
                levelName: ["INFO", "INFO", "WARNING", "ERROR", "ERROR"][index], message: text, taskRunName: index > 0 ? "load-0" : nil)
        }
        _ = logs.reduce(.log(.started(runID: logs.logRun?.id ?? "", lines: lines, olderRemain: true)))
        for key: Key in [.character("s"), .character("r"), .character("o"), .character("w"), .enter] { _ = logs.reduce(.key(key)) }
        var help = loaded(size)
        _ = help.reduce(.key(.character("?")))
        var runs = loaded(size)
        for character in "2/state:failed" { _ = runs.reduce(.key(.character(character))) }
        _ = runs.reduce(.key(.enter))
        let failed = (0..<3).map { Samples.run(40 + $0, state: "FAILED", name: "Failed") } + [Samples.run(43, state: "CRASHED", name: "Crashed")]
        _ = runs.reduce(.loaded(.runs(runs.runSearch, failed), at: now.addingTimeInterval(-1)))
        _ = runs.reduce(.key(.down))
        var detail = runs
        _ = detail.reduce(.key(.enter))
        _ = detail.reduce(.loaded(.runDetail(Samples.runDetail(for: failed[1])), at: now.addingTimeInterval(-1)))
        var deployments = loaded(size)
        _ = deployments.reduce(.key(.character("3")))
        _ = deployments.reduce(.loaded(.deployments(Samples.deployments), at: now.addingTimeInterval(-1)))
        var pool = loaded(size)
        _ = pool.reduce(.key(.character("4")))
        _ = pool.reduce(.loaded(.workPools(Samples.workPools), at: now.addingTimeInterval(-1)))
        var pools = pool
        _ = pool.reduce(.key(.enter))
        var deployment = deployments
        _ = deployment.reduce(.key(.enter))
        _ = deployment.reduce(
            .loaded(
                .deploymentDetail(Samples.deployments, more: false, id: deployment.detailDeploymentID ?? "", Samples.finishedRuns),
                at: now.addingTimeInterval(-1)))
        var monochrome = loaded(size)
        monochrome.colors = false
        _ = pools.reduce(.key(.down))
        var form = deployments
        form.writes = true
        _ = form.reduce(.key(.character("R")))
        _ = form.reduce(.formLoaded(deploymentID: form.selectedDeployment?.id ?? "", slug: "report/on-demand", WriteTests.declared))
        for key: Key in [.tab, .backspace, .backspace, .backspace, .character("x")] { _ = form.reduce(.key(key)) }
        var confirm = loaded(size)
        confirm.writes = true
        _ = confirm.reduce(.key(.character("C")))
        var pick = pools
        pick.writes = true
        _ = pick.reduce(.key(.character("p")))
        _ = pick.reduce(.key(.character("j")))
        var events = loaded(size)
        _ = events.reduce(.feed(.mode(.live), at: now))
        _ = events.reduce(.feed(.items(Samples.events), at: now))
        _ = events.reduce(.key(.character("6")))
        return [
            ("loading", state(size)), ("overview", loaded(size)), ("disconnected", disconnected), ("unauthorized", unauthorized),
            ("logs-search", logs), ("help", help), ("runs", runs), ("run-detail", detail), ("deployments", deployments),
            ("work-pools", pools), ("work-pool-detail", pool), ("deployment-detail", deployment),
            ("deployments-more", DeploymentsMoreTests.state(size, more: true)), ("run-form", form), ("confirm-cancel", confirm),
            ("pause-pick", pick), ("events", events), ("overview-no-color", monochrome),
        ]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    @Test("Every scenario at 80×24, 120×40 and 200×60 matches its golden file", arguments: sizes.map { "\($0.0)x\($0.1)" })
    func screens(size: String) throws {
        let parts = size.split(separator: "x").map { Int($0)! }
        var expectedFiles = 0
        for (name, state) in Self.scenarios((parts[0], parts[1])) {
            let screen = Renderer.render(state, now: Self.now)
            let text = (screen.lines() + ["--- styles ---"] + screen.styleMap(Self.legend)).joined(separator: "\n") + "\n"
            let file = Self.directory.appendingPathComponent("\(name)-\(size).txt")
            if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
                try text.write(to: file, atomically: true, encoding: .utf8)
            }
            let golden = try String(contentsOf: file, encoding: .utf8)
            #expect(text == golden, "\(name) at \(size) differs from Goldens/\(file.lastPathComponent); UPDATE_GOLDENS=1 rewrites it")
            expectedFiles += 1
        }
        #expect(expectedFiles == 18)
    }

    @Test("Under the minimum size the screen says so instead of drawing a broken layout")
    func tooSmall() {
        let screen = Renderer.render(Self.loaded((50, 12)), now: Self.now)
        #expect(screen.lines()[6] == "Terminal too small: need 60×16, have 50×12")
    }
}
