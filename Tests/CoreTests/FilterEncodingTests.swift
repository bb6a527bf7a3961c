import Foundation
import TestSupport
import Testing

@testable import Core

@Suite("Request bodies encode exactly what Prefect reads")
struct FilterEncodingTests {
    let now = Date(timeIntervalSince1970: 1_795_608_000)

    @Test("Late runs, oldest first")
    func lateRuns() throws {
        let body = FlowRunsQuery(flowRuns: .late, sort: .expectedStartTimeAscending, limit: 50)
        #expect(
            try jsonText(body)
                == #"{"flow_runs":{"state":{"name":{"any_":["Late"]},"type":{"any_":["SCHEDULED"]}}},"limit":50,"sort":"EXPECTED_START_TIME_ASC"}"#)
    }

    @Test("Occupancy of one pool and queue: note work_pool_queues")
    func occupancy() throws {
        let body = FlowRunsCount(
            flowRuns: .stateType([.running, .pending]),
            workPools: WorkPoolFilter(name: AnyOf(any: ["prod-pool"])),
            workPoolQueues: WorkQueueFilter(name: .init(any: ["default"]))
        )
        #expect(
            try jsonText(body)
                == #"{"flow_runs":{"state":{"type":{"any_":["RUNNING","PENDING"]}}},"work_pool_queues":{"name":{"any_":["default"]}},"work_pools":{"name":{"any_":["prod-pool"]}}}"#
        )
    }

    @Test("History says work_queues, not work_pool_queues, and dates are UTC with microseconds")
    func history() throws {
        let body = FlowRunsHistory(
            historyStart: now.addingTimeInterval(-86_400), historyEnd: now, historyIntervalSeconds: 3600,
            workQueues: WorkQueueFilter(name: .init(startsWith: ["crit"]))
        )
        #expect(
            try jsonText(body)
                == #"{"history_end":"2026-11-25T12:00:00.000000Z","history_interval_seconds":3600,"history_start":"2026-11-24T12:00:00.000000Z","work_queues":{"name":{"startswith_":["crit"]}}}"#
        )
    }

    @Test("Recent runs: expected before now, newest first")
    func recent() throws {
        let body = FlowRunsQuery(flowRuns: FlowRunFilter(expectedStartTime: TimeRange(before: now)), sort: .expectedStartTimeDescending, limit: 20)
        #expect(
            try jsonText(body)
                == #"{"flow_runs":{"expected_start_time":{"before_":"2026-11-25T12:00:00.000000Z"}},"limit":20,"sort":"EXPECTED_START_TIME_DESC"}"#)
    }

    @Test("Error logs of one run, newest first")
    func errorLogs() throws {
        let body = LogsQuery(logs: LogFilter(level: .init(ge: 40), flowRunID: AnyOf(any: ["r1"])), sort: .timestampDescending, limit: 50)
        #expect(try jsonText(body) == #"{"limit":50,"logs":{"flow_run_id":{"any_":["r1"]},"level":{"ge_":40}},"sort":"TIMESTAMP_DESC"}"#)
    }

    @Test("Events: explicit window, prefix, no trailing underscores")
    func events() throws {
        let body = EventsQuery(
            filter: EventFilter(
                occurred: .init(since: now.addingTimeInterval(-3600), until: now),
                event: .init(prefix: ["prefect.flow-run."], excludeName: ["prefect.log.write"]),
                anyResource: .init(idPrefix: ["prefect.deployment."])
            ),
            limit: 50
        )
        #expect(
            try jsonText(body)
                == #"{"filter":{"any_resource":{"id_prefix":["prefect.deployment."]},"event":{"exclude_name":["prefect.log.write"],"prefix":["prefect.flow-run."]},"occurred":{"since":"2026-11-25T11:00:00.000000Z","until":"2026-11-25T12:00:00.000000Z"}},"limit":50}"#
        )
    }

    @Test("Unset fields are left out, not sent as null")
    func omitsUnset() throws {
        #expect(try jsonText(FlowRunsQuery()) == "{}")
        #expect(
            try jsonText(DeploymentsQuery(deployments: DeploymentFilter(paused: Equals(eq: false)))) == #"{"deployments":{"paused":{"eq_":false}}}"#)
    }

    @Test("Limits are clamped to the server maximum (200; events 50) when the endpoint is built")
    func clamping() throws {
        #expect(try jsonText(try #require(PrefectAPI.flowRuns(FlowRunsQuery(limit: 5000)).body as? FlowRunsQuery)) == #"{"limit":200}"#)
        #expect(try jsonText(try #require(PrefectAPI.logs(LogsQuery(limit: 0)).body as? LogsQuery)) == #"{"limit":1}"#)
        #expect(try jsonText(try #require(PrefectAPI.events(EventsQuery(limit: 500)).body as? EventsQuery)) == #"{"limit":50}"#)
    }

    @Test("Filters decode from Prefect's own JSON, so MCP tools can take it as is")
    func decodesPrefectJSON() throws {
        let json = #"{"state":{"type":{"any_":["FAILED","CRASHED"]}},"tags":{"all_":["etl"]},"start_time":{"after_":"2026-11-25T11:00:00Z"}}"#
        let filter = try JSONCoding.decode(FlowRunFilter.self, from: json.utf8)
        #expect(filter.state?.type?.any == [.failed, .crashed])
        #expect(filter.tags?.all == ["etl"])
        #expect(filter.startTime?.after == now.addingTimeInterval(-3600))
    }
}
