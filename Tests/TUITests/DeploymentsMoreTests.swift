import Foundation
import Testing

@testable import Core
@testable import TUI

/// When the server holds more deployments than the dashboard fetched, the list's title says so (its screens are
/// among GoldenScreenTests' scenarios as `deployments-more`).
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
}
