@testable import Core
import Foundation
import Testing
@testable import TUI

/// When the server holds more deployments than the dashboard fetched, the list's title says so.
@Suite("Deployments: more than shown")
struct DeploymentsMoreTests {
    static func state(_ size: (Int, Int), more: Bool) -> DashboardState {
        var state = GoldenScreenTests.loaded(size)
        _ = state.reduce(.key(.character("3")))
        _ = state.reduce(.loaded(.deployments(Samples.deployments, more: more), at: GoldenScreenTests.now.addingTimeInterval(-1)))
        return state
    }

    @Test("The title reads \"3 of more than 3\" when more exist, and a later complete answer clears it")
    func title() {
        var state = Self.state((80, 24), more: true)
        #expect(state.moreDeployments)
        #expect(Renderer.render(state, now: GoldenScreenTests.now).lines()[2] == " Deployments (3 of more than 3) · / to filter")
        _ = state.reduce(.loaded(.deployments(Samples.deployments), at: GoldenScreenTests.now))
        #expect(Renderer.render(state, now: GoldenScreenTests.now).lines()[2] == " Deployments (3) · / to filter")
    }

    @Test("Every size matches its golden file", arguments: GoldenScreenTests.sizes.map { "\($0.0)x\($0.1)" })
    func golden(size: String) throws {
        let parts = size.split(separator: "x").map { Int($0)! }
        let screen = Renderer.render(Self.state((parts[0], parts[1]), more: true), now: GoldenScreenTests.now)
        let text = (screen.lines() + ["--- styles ---"] + screen.styleMap(GoldenScreenTests.legend)).joined(separator: "\n") + "\n"
        let file = GoldenScreenTests.directory.appendingPathComponent("deployments-more-\(size).txt")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(text == golden, "deployments-more at \(size) differs from Goldens/\(file.lastPathComponent); UPDATE_GOLDENS=1 rewrites it")
    }
}
