import Foundation
import TestSupport
import Testing

@testable import Core

@Suite("Run search: what a person types becomes Prefect filters")
struct RunSearchTests {
    func body(_ text: String) throws -> String {
        let search = try RunSearch(parsing: text)
        let scoped = search.scope.filters
        return try jsonText(FlowRunsQuery(flows: scoped.flows, flowRuns: search.filter, deployments: scoped.deployments, workPools: scoped.workPools))
    }

    @Test("Words match the name anywhere; flow: and deployment: match anywhere too; pool: is exact")
    func keys() throws {
        #expect(try body("nightly etl") == #"{"flow_runs":{"name":{"like_":"nightly etl"}}}"#)
        #expect(
            try body("flow:ETL deployment:prod pool:prod-pool")
                == #"{"deployments":{"name":{"like_":"prod"}},"flows":{"name":{"like_":"ETL"}},"work_pools":{"name":{"any_":["prod-pool"]}}}"#)
        #expect(try body("deployment:etl-daily/prod") == #"{"deployments":{"name":{"like_":"prod"}},"flows":{"name":{"like_":"etl-daily"}}}"#)
        #expect(try body("") == "{}")
        #expect(try RunSearch(parsing: "  ") == RunSearch())
    }

    @Test("state: takes types and names in any case; both kinds together are joined with or_")
    func states() throws {
        #expect(try body("state:failed state:CRASHED") == #"{"flow_runs":{"state":{"type":{"any_":["FAILED","CRASHED"]}}}}"#)
        #expect(try body("state:late state:awaiting_retry") == #"{"flow_runs":{"state":{"name":{"any_":["Late","AwaitingRetry"]}}}}"#)
        #expect(
            try body("state:running state:late")
                == #"{"flow_runs":{"state":{"name":{"any_":["Late"]},"operator":"or_","type":{"any_":["RUNNING"]}}}}"#)
    }

    @Test("Mistakes name what was wrong")
    func errors() {
        #expect(throws: RunSearchError.unknownKey("colour")) { try RunSearch(parsing: "colour:red") }
        #expect(throws: RunSearchError.unknownState("sleepy")) { try RunSearch(parsing: "state:sleepy") }
        #expect(throws: RunSearchError.emptyValue(key: "flow")) { try RunSearch(parsing: "flow:") }
        #expect(RunSearchError.unknownKey("colour").description.contains("use state:, flow:, deployment:, pool:"))
    }
}
