@testable import Core
import Foundation
import TUI

/// Dashboard data built from JSON as the Core queries return it, fixed in time for deterministic screens.
enum Samples {
    static let now = Date(timeIntervalSince1970: 1_795_600_000)  // 2026-11-24T…Z

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) -> T {
        do {
            return try JSONCoding.decoder().decode(type, from: Data(json.utf8))
        } catch {
            fatalError("sample \(T.self) does not decode: \(error)")
        }
    }

    static func run(_ index: Int, state: String = "COMPLETED", name: String = "Completed") -> FlowRunRow {
        let run = decode(FlowRun.self, #"{"id":"00000000-0000-4000-8000-\#(String(format: "%012d", index))","name":"run-\#(index)","flow_id":"f","state_type":"\#(state)","state_name":"\#(name)"}"#)
        return FlowRunRow(run, flowName: "etl-daily", deploymentName: "prod", ui: URL(string: "http://127.0.0.1:4200")!, now: now)
    }

    static let status = decode(ServerStatus.self, #"""
        {"server":{"api_url":"http://127.0.0.1:4200/api","api_url_source":"env PREFECT_API_URL","profile":null,"kind":"self-hosted",
         "account_id":null,"workspace_id":null,"credential":null,"version":"3.9.1","api_version":"0.8.4","healthy":true,"ui_url":"http://127.0.0.1:4200"},
         "window":{"label":"24h","start":"2026-11-23T00:00:00Z","end":"2026-11-24T00:00:00Z"},
         "flow_runs":{"total":20,"by_state":[{"type":"COMPLETED","name":"Completed","count":12},{"type":"FAILED","name":"Failed","count":3}],
                      "late":4,"running":2,"pending":1,"upcoming":3},
         "work_pools":[{"name":"prod-pool","type":"process","status":"READY","is_paused":false,"concurrency_limit":null,"workers":1,
                        "online_workers":1,"last_heartbeat":"\#(PrefectDate.format(now.addingTimeInterval(-12)))","late_runs":0,"active_runs":2}]}
        """#)

    static let noLateRuns = LateRunsReport(runs: [], lateCount: 0, summary: [:], checkedAt: now)

    static func overview(runs: Int) -> OverviewData {
        OverviewData(status: status, lateRuns: noLateRuns, recentRuns: (0..<runs).map { run($0) })
    }
}
