import Foundation
import JSONValue
import Testing

@testable import Core
@testable import TUI

/// The dashboard's writes as the reducer sees them: no write key without --allow-writes, every write asked y/N
/// first (anything but y sends nothing), the run form checked field by field with Core's own check, and a new run
/// opening its log.
@Suite("Dashboard writes")
struct WriteTests {
    /// A flow's parameters as Prefect 3.9 writes them for `report(customer: str, batch_size: int = 100, dry: bool =
    /// False, mode: Literal["full", "incremental"] = "incremental", options: dict = {})`.
    static let declared = Samples.decode(
        DeploymentParameters.self,
        #"""
        {"parameters": {"batch_size": 50}, "parameter_openapi_schema": {"title": "Parameters", "type": "object",
         "properties": {
          "customer": {"position": 0, "title": "customer", "type": "string"},
          "batch_size": {"default": 100, "position": 1, "title": "batch_size", "type": "integer"},
          "dry": {"default": false, "position": 2, "title": "dry", "type": "boolean"},
          "mode": {"default": "incremental", "enum": ["full", "incremental"], "position": 3, "title": "mode", "type": "string"},
          "options": {"additionalProperties": true, "default": {}, "position": 4, "title": "options", "type": "object"}},
         "required": ["customer"]}}
        """#)

    static func runs(writes: Bool) -> DashboardState {
        var state = DashboardState()
        state.size = (120, 40)
        state.writes = writes
        _ = state.reduce(.key(.character("2")))
        let rows = [Samples.run(0, state: "RUNNING", name: "Running"), Samples.run(1, state: "COMPLETED", name: "Completed")]
        _ = state.reduce(.loaded(.runs(state.runSearch, rows), at: Samples.now))
        return state
    }

    @Test("Without writes, C R and p mean nothing and help lists none of them")
    func off() {
        var state = Self.runs(writes: false)
        for key in ["C", "R", "p"] { #expect(state.reduce(.key(.character(Character(key)))).isEmpty) }
        #expect(state.confirmation == nil && state.notice == nil)
        let help = View.allCases.flatMap { KeyMap.standard.bindings(in: $0) }
        #expect(!help.contains { $0.needsWrites })
        #expect(KeyMap.standard.bindings(in: .runs, writes: true).contains { $0.command == .cancelRun })
    }

    @Test("C asks y/N naming the run; n, Esc or Enter send nothing; y sends the cancel")
    func confirm() {
        var state = Self.runs(writes: true)
        let run = state.runs!.rows[0]
        #expect(state.reduce(.key(.character("C"))).isEmpty)
        #expect(state.confirmation == .cancelRun(id: run.id, name: run.name))
        for key: Key in [.character("n"), .escape, .enter] {
            #expect(state.reduce(.key(key)).isEmpty && state.confirmation == nil)
            #expect(state.notice?.text == "Not sent: nothing changed.")
            _ = state.reduce(.key(.character("C")))
        }
        #expect(state.reduce(.key(.character("x"))).isEmpty && state.confirmation != nil, "only y sends")
        #expect(state.reduce(.key(.character("y"))) == [.write(.cancelRun(id: run.id, name: run.name))])
    }

    @Test("A finished run is not offered for cancelling; only a finished one for retrying")
    func finished() {
        var state = Self.runs(writes: true)
        _ = state.reduce(.key(.character("R")))
        #expect(state.confirmation == nil && state.notice?.text.contains("only a finished run can be retried") == true)
        _ = state.reduce(.key(.down))
        _ = state.reduce(.key(.character("C")))
        #expect(state.confirmation == nil && state.notice?.text.contains("there is nothing to cancel") == true)
        _ = state.reduce(.key(.character("R")))
        #expect(state.confirmation == .retryRun(id: state.runs!.rows[1].id, name: state.runs!.rows[1].name))
    }

    @Test("The form: fields from the schema in signature order, the deployment's values first, each checked as typed")
    func form() throws {
        var form = RunForm(deploymentID: "d-1", slug: "report/on-demand", declared: Self.declared)
        #expect(form.fields.map(\.label) == ["customer *", "batch_size", "dry", "mode", "options", "tags", "start"])
        #expect(form.fields.map(\.text) == ["", "50", "false", "incremental", "{}", "", "now"])
        #expect(form.fields[0].error == "required" && form.request(now: Samples.now) == nil)
        form.fields[0].text = "007"
        form.fields[1].text = "x"
        form.check()
        #expect(form.fields[0].error == nil && form.fields[1].error == #"expected an integer, got a string ("x")"#)
        form.fields[1].text = "7"
        form.focus = 3
        form.cycle()
        form.fields[5].text = "a, b ,"
        form.fields[6].text = "10m"
        form.check()
        let request = try #require(form.request(now: Samples.now))
        #expect(request.parameters == ["customer": "007", "batch_size": 7, "dry": false, "mode": "full", "options": [:]])
        #expect(request.tags == ["a", "b"] && request.startAt == Samples.now.addingTimeInterval(600))
        form.fields[6].text = "tomorrow-ish"
        form.check()
        #expect(form.fields[6].error != nil && form.request(now: Samples.now) == nil)
    }

    @Test("Enter on a form with a refused field sends nothing and goes to it; a sent run opens its log")
    func submit() throws {
        var state = DashboardState()
        state.writes = true
        _ = state.reduce(.key(.character("3")))
        _ = state.reduce(.loaded(.deployments(Samples.deployments), at: Samples.now))
        let deployment = try #require(state.selectedDeployment)
        #expect(state.reduce(.key(.character("R"))) == [.loadRunForm(deploymentID: deployment.id, slug: deployment.slug)])
        _ = state.reduce(.formLoaded(deploymentID: deployment.id, slug: deployment.slug, Self.declared))
        _ = state.reduce(.key(.tab))
        #expect(state.reduce(.key(.enter)).isEmpty)
        #expect(state.form?.focus == 0 && state.form?.message == "Not sent: fix the fields marked ✗ first.")
        for character in "acme" { _ = state.reduce(.key(.character(character))) }
        let effects = state.reduce(.key(.enter))
        guard case .write(.runDeployment(let id, _, let request))? = effects.first else {
            Issue.record("expected a runDeployment write, got \(effects)")
            return
        }
        #expect(id == deployment.id && request.parameters["customer"] == "acme" && state.form?.submitting == true)
        #expect(state.reduce(.key(.escape)).isEmpty && state.form != nil, "keys wait while it is sent")
        let run = Samples.run(7, state: "SCHEDULED", name: "Scheduled")
        let outcome = ActionOutcome(
            action: "run_deployment", target: deployment.slug, dryRun: false, requests: [], message: "Created.", flowRunID: run.id,
            flowRunName: run.name)
        #expect(
            state.reduce(.written(.runDeployment(id: id, slug: deployment.slug, request), outcome, newRun: run)) == [
                .followLogs(runID: run.id), .refresh,
            ])
        #expect(state.form == nil && state.view == .logs && state.logRun?.id == run.id)
    }

    @Test("A refusal shows in the form and keeps it; another failure shows in the status bar")
    func refused() {
        var state = Self.runs(writes: true)
        _ = state.reduce(.writeFailed(.cancelRun(id: "r", name: "n"), reason: "Flow run n is already Completed"))
        #expect(state.notice == Notice(text: "Flow run n is already Completed", isError: true))
        state.form = RunForm(deploymentID: "d", slug: "f/d", declared: Self.declared)
        _ = state.reduce(.writeFailed(.runDeployment(id: "d", slug: "f/d", DeploymentRunRequest()), reason: "Not sent; f/d would refuse it"))
        #expect(state.form?.message == "Not sent; f/d would refuse it" && state.form?.submitting == false)
    }
}
