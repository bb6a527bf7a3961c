import Foundation
import JSONValue
import TUI

@testable import Core

/// Dashboard data built from JSON as the Core queries return it, fixed in time for deterministic screens.
enum Samples {
    static let now = Date(timeIntervalSince1970: 1_795_600_000)  // 2026-11-24T…Z

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) -> T {
        do {
            return try JSONCoding.decode(type, from: json.utf8)
        } catch {
            fatalError("sample \(T.self) does not decode: \(error)")
        }
    }

    /// Run number `index`; one that has started did so `index` × 97 s + 30 s before ``now``, as expected.
    static func run(_ index: Int, state: String = "COMPLETED", name: String = "Completed") -> FlowRunRow {
        let expected = PrefectDate.format(now.addingTimeInterval(-Double(index * 97 + 30)))
        let started = ["SCHEDULED", "PENDING"].contains(state) ? "null" : #""\#(expected)""#
        let run = decode(
            FlowRun.self,
            #"""
            {"id":"00000000-0000-4000-8000-\#(String(format: "%012d", index))","name":"run-\#(index)","flow_id":"f","state_type":"\#(state)",
             "state_name":"\#(name)","expected_start_time":"\#(expected)","start_time":\#(started)}
            """#
        )
        return FlowRunRow(run, flowName: "etl-daily", deploymentName: "prod", ui: URL(string: "http://127.0.0.1:4200")!, now: now)
    }

    static let status = decode(
        ServerStatus.self,
        #"""
        {"server":{"api_url":"http://127.0.0.1:4200/api","api_url_source":"env PREFECT_API_URL","profile":null,"kind":"self-hosted",
         "account_id":null,"workspace_id":null,"credential":null,"version":"3.9.1","api_version":"0.8.4","healthy":true,"ui_url":"http://127.0.0.1:4200"},
         "window":{"label":"24h","start":"2026-11-23T00:00:00Z","end":"2026-11-24T00:00:00Z"},
         "flow_runs":{"total":20,"by_state":[{"type":"COMPLETED","name":"Completed","count":12},{"type":"FAILED","name":"Failed","count":3}],
                      "late":4,"running":2,"pending":1,"upcoming":3},
         "work_pools":[{"name":"prod-pool","type":"process","status":"READY","is_paused":false,"concurrency_limit":null,"workers":1,
                        "online_workers":1,"last_heartbeat":"\#(PrefectDate.format(now.addingTimeInterval(-12)))","late_runs":0,"active_runs":2}]}
        """#)

    /// The window's 12 completed and 3 failed runs (``status``) over 24 hourly columns, the oldest empty.
    static let history: [ServerStatus.HistoryColumn] = (0..<24).map { hour in
        let start = now.addingTimeInterval(Double(hour - 24) * 3600)
        let completed = [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 2, 1, 1, 2, 1][hour]
        let failed = [15, 19, 22].contains(hour) ? 1 : 0
        var counts: [ServerStatus.StateCount] = []
        if completed > 0 { counts.append(.init(type: .completed, name: "Completed", count: completed)) }
        if failed > 0 { counts.append(.init(type: .failed, name: "Failed", count: failed)) }
        return ServerStatus.HistoryColumn(start: start, end: start.addingTimeInterval(3600), counts: counts)
    }

    /// A deployment's newest finished runs: 9 of 10 completed, taking longer lately.
    static let finishedRuns = FinishedRuns(
        runs: (0..<10).map { index in
            var row = run(index, state: index == 2 ? "FAILED" : "COMPLETED", name: index == 2 ? "Failed" : "Completed")
            row.durationSeconds = Double([95, 80, 12, 60, 55, 50, 48, 45, 40, 38][index])
            return row
        })

    static let noLateRuns = LateRunsReport(runs: [], lateCount: 0, summary: [:], checkedAt: now)

    static func overview(runs: Int) -> OverviewData {
        OverviewData(status: status, lateRuns: noLateRuns, recentRuns: (0..<runs).map { run($0) }, diagnosisReadAt: now)
    }
}

extension Samples {
    /// A failed run's detail: diagnosis with a traceback, history, parameters and tasks.
    static func runDetail(for run: FlowRunRow) -> FlowRunDetail {
        var row = run
        row.stateMessage = "ValueError: bad row 42"
        row.startTime = now.addingTimeInterval(-300)
        row.endTime = now.addingTimeInterval(-240)
        row.durationSeconds = 60
        row.workPoolName = "prod-pool"
        row.workQueueName = "default"
        let traceback =
            "Task run 'load-0' failed\nTraceback (most recent call last):\n"
            + (1...8).map { "  File \"flows.py\", line \($0 * 10), in step\($0)" }.joined(separator: "\n") + "\nValueError: bad row 42"
        let states = ["Scheduled", "Pending", "Running", "Failed"].enumerated().map { index, name in
            FlowRunDiagnosis.StateChange(
                type: name.uppercased(), name: name, timestamp: now.addingTimeInterval(Double(index * 20 - 300)),
                message: name == "Failed" ? "ValueError: bad row 42" : nil)
        }
        let diagnosis = FlowRunDiagnosis(
            run: row, stateHistory: states, taskRunCounts: ["Completed": 2, "Failed": 1], failedTaskRuns: [],
            errorLogs: [LogLine(id: "e", timestamp: now.addingTimeInterval(-241), level: 40, levelName: "ERROR", message: traceback)],
            lastLogLines: [], retries: .null, parameterDifferences: [], causes: [],
            hints: ["Parameter validation failed: compare the run's parameters with the flow's signature."],
            nextSteps: [
                "Read the whole log: prefect flow-run logs \(run.id)", "After fixing the cause, retry this run: prefect flow-run retry \(run.id)",
            ])
        let tasks = [("extract-0", "COMPLETED", "Completed"), ("transform-0", "COMPLETED", "Completed"), ("load-0", "FAILED", "Failed")].enumerated()
            .map { index, task in
                decode(
                    TaskRun.self,
                    #"""
                    {"id":"t\#(index)","name":"\#(task.0)","flow_run_id":"\#(run.id)","task_key":"k","dynamic_key":"0","state_type":"\#(task.1)","state_name":"\#(task.2)",
                     "state":{"type":"\#(task.1)","name":"\#(task.2)","message":\#(task.2 == "Failed" ? #""ValueError: bad row 42""# : "null")},
                     "start_time":"\#(PrefectDate.format(now.addingTimeInterval(Double(index * 10 - 290))))","total_run_time":\#(index + 1).5}
                    """#)
            }
        return FlowRunDetail(
            diagnosis: diagnosis, parameters: ["date": "2026-11-24", "batch": ["size": 500, "retries": 2], "dry_run": false], taskRuns: tasks)
    }

    static let deployments: [DeploymentRow] = [
        (#"{"interval":3600}"#, "prod", false, "READY", "prod-pool", ["prod", "etl"]),
        ("null", "paused", true, "READY", "prod-pool", ["staging"]),
        (#"{"cron":"0 2 * * *","timezone":"UTC"}"#, "main", false, "NOT_READY", "empty-pool", ["reporting"]),
    ].enumerated().map { index, spec in
        let schedules = spec.0 == "null" ? "[]" : #"[{"id":"s\#(index)","active":true,"schedule":\#(spec.0)}]"#
        let deployment = decode(
            Deployment.self,
            #"""
            {"id":"d\#(index)","name":"\#(spec.1)","flow_id":"f\#(index)","paused":\#(spec.2),"status":"\#(spec.3)","schedules":\#(schedules),
             "work_pool_name":"\#(spec.4)","work_queue_name":"default","tags":\#(spec.5),"parameters":{"date":"today"},"entrypoint":"flows.py:run"}
            """#)
        return DeploymentRow(deployment, flowName: index == 2 ? "nightly-report" : "etl-daily", ui: URL(string: "http://127.0.0.1:4200")!)
    }

    static let workPools: [WorkPoolDetail] = {
        let prod = status.workPools[0]
        var empty = prod
        empty.name = "empty-pool"
        empty.status = "NOT_READY"
        empty.workers = 0
        empty.onlineWorkers = 0
        empty.lastHeartbeat = nil
        empty.lateRuns = 1
        empty.activeRuns = 0
        let queue = WorkPoolDetail.QueueInfo(
            name: "default", status: "READY", isPaused: false, concurrencyLimit: nil, priority: 1, lastPolled: now.addingTimeInterval(-12))
        return [
            WorkPoolDetail(
                health: prod, description: "Production ETL",
                workers: [.init(name: "worker-1", status: "ONLINE", lastHeartbeat: now.addingTimeInterval(-12), heartbeatAgeSeconds: 12)],
                queues: [queue, .init(name: "paused-queue", status: "PAUSED", isPaused: true, concurrencyLimit: 2, priority: 2, lastPolled: nil)],
                uiURL: "http://127.0.0.1:4200/work-pools/work-pool/prod-pool"),
            WorkPoolDetail(
                health: empty, description: "A pool no worker ever joined", workers: [], queues: [queue],
                uiURL: "http://127.0.0.1:4200/work-pools/work-pool/empty-pool"),
        ]
    }()
}

extension Samples {
    /// An event `secondsAgo` before ``now`` about `resource` (`flow-run.<id>` …), with labels and related resources.
    static func event(
        _ name: String, _ resource: String, resourceName: String?, secondsAgo: Double, labels: [String: String] = [:],
        related: [(role: String, id: String, name: String)] = []
    ) -> Event {
        var resourceLabels = labels
        resourceLabels["prefect.resource.id"] = "prefect.\(resource)"
        if let resourceName { resourceLabels["prefect.resource.name"] = resourceName }
        return Event(
            id: "event-\(name)-\(resource)-\(secondsAgo)", occurred: now.addingTimeInterval(-secondsAgo), received: nil, event: name,
            resource: resourceLabels,
            related: related.map {
                ["prefect.resource.id": "prefect.\($0.role).\($0.id)", "prefect.resource.role": $0.role, "prefect.resource.name": $0.name]
            },
            payload: nil, follows: nil)
    }

    /// A run's state event, as Prefect's orchestration emits it.
    static func stateEvent(_ run: FlowRunRow, type: String, name: String, secondsAgo: Double) -> Event {
        event(
            "prefect.flow-run.\(name)", "flow-run.\(run.id)", resourceName: run.name, secondsAgo: secondsAgo,
            labels: ["prefect.state-type": type, "prefect.state-name": name, "prefect.state-message": ""],
            related: [
                ("flow", run.flowID, run.flowName ?? "flow"), ("deployment", "d-1", run.deploymentName ?? "prod"), ("work-pool", "p-1", "prod-pool"),
            ])
    }

    /// The Events view's sample feed, oldest first as the feed yields it.
    static var events: [Event] {
        [
            event("prefect.work-pool.not-ready", "work-pool.p-2", resourceName: "gpu-pool", secondsAgo: 240),
            event(
                "prefect.worker.started", "worker.w-1", resourceName: "ProcessWorker 7f3a", secondsAgo: 180,
                related: [("work-pool", "p-1", "prod-pool")]),
            event("prefect.deployment.ready", "deployment.d-1", resourceName: "prod", secondsAgo: 120, related: [("flow", "f", "etl-daily")]),
            stateEvent(run(1), type: "RUNNING", name: "Running", secondsAgo: 60),
            stateEvent(run(2), type: "FAILED", name: "Failed", secondsAgo: 5),
        ]
    }
}
