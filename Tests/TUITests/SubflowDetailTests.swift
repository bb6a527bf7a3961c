import Foundation
import Testing

@testable import Core
@testable import TUI

/// The run detail of a parent that failed because a subflow failed: the same chain diagnose_flow_run returns.
@Suite("Run detail: the failed subflow chain")
struct SubflowDetailTests {
    @Test("The path, each link with its run id and wrapping task, the failed task and the deepest traceback")
    func chain() {
        var detail = Samples.runDetail(for: Samples.run(1))
        var child = Samples.run(2)
        child.name = "burgundy-pigeon"
        child.flowName = "load-stage"
        child.stateType = "FAILED"
        child.stateName = "Failed"
        var grandchild = Samples.run(3)
        grandchild.name = "dangerous-zebu"
        grandchild.flowName = "validate-rows"
        grandchild.stateName = "Failed"
        let traceback = LogLine(
            id: "x", timestamp: Samples.now, level: 40, levelName: "ERROR",
            message: "Task run failed with exception: ValueError('bad row 17')\nTraceback (most recent call last):\nValueError: bad row 17")
        detail.diagnosis.subflowFailure = SubflowFailure(
            path: "nightly-pipeline (horned-guillemot) → load-stage (burgundy-pigeon) → validate-rows (dangerous-zebu)",
            chain: [
                .init(depth: 1, parentTaskRunName: "load-stage-0", run: child),
                .init(depth: 2, parentTaskRunName: "validate-rows-0", run: grandchild),
            ],
            failedTaskRuns: [
                .init(
                    id: "t", name: "check_row-ac7", stateName: "Failed", message: "Task run encountered an exception ValueError: bad row 17", tags: []
                )
            ],
            errorLogs: [traceback], truncated: false)
        let text = DetailText.run(detail, now: Samples.now).map(\.text)
        let start = try! #require(text.firstIndex(of: "Failed subflows (the exception is in the last one)"))
        #expect(text[start + 1] == "  nightly-pipeline (horned-guillemot) → load-stage (burgundy-pigeon) → validate-rows (dangerous-zebu)")
        #expect(text[start + 2] == "  ↳ load-stage (burgundy-pigeon) · Failed · via task load-stage-0 · \(child.id)")
        #expect(text[start + 3] == "    ↳ validate-rows (dangerous-zebu) · Failed · via task validate-rows-0 · \(grandchild.id)")
        #expect(text[start + 4] == "  task check_row-ac7: Task run encountered an exception ValueError: bad row 17")
        #expect(
            text[start + 5...start + 7] == [
                "  Task run failed with exception: ValueError('bad row 17')", "  Traceback (most recent call last):", "  ValueError: bad row 17",
            ])
        // Before the run's own error lines, which hold only the parent's summary.
        #expect(start < text.firstIndex { $0.hasPrefix("Error log lines") }!)
    }
}
