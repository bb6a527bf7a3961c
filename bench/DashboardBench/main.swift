// Times what the dashboard does per frame and per log batch, without a terminal: the pure renderer at 200×60 on a
// busy overview and on a 10 000-line log view with a search, and log ingestion through the reducer. Prints one JSON
// object for bench/run to put in its table. Build it in release: `swift build -c release --product DashboardBench`.
import Core
import FoundationEssentials
import JSONValue
import TUI

let now = Date()

func decode<T: Decodable>(_ type: T.Type, _ json: String) -> T {
    do {
        return try JSONCoding.decode(type, from: json.utf8)
    } catch {
        fatalError("bench sample \(T.self) does not decode: \(error)")
    }
}

func stamp(_ seconds: Double) -> String { PrefectDate.format(now.addingTimeInterval(seconds)) }

let stateNames = [
    ("COMPLETED", "Completed"), ("FAILED", "Failed"), ("RUNNING", "Running"), ("SCHEDULED", "Late"), ("PENDING", "Pending"),
    ("CRASHED", "Crashed"), ("CANCELLED", "Cancelled"), ("SCHEDULED", "Scheduled"), ("PAUSED", "Paused"),
]

func run(_ index: Int) -> FlowRunRow {
    let (type, name) = stateNames[index % stateNames.count]
    let run = decode(
        FlowRun.self,
        #"""
        {"id":"00000000-0000-4000-8000-\#(String(index).leftPadded(12))","name":"busy-run-\#(index)-世界","flow_id":"f","state_type":"\#(type)",
         "state_name":"\#(name)","expected_start_time":"\#(stamp(Double(-60 * index)))","start_time":"\#(stamp(Double(-60 * index + 5)))",
         "total_run_time":\#(index * 3),"tags":["etl","prod"]}
        """#)
    return FlowRunRow(
        run, flowName: "etl-daily-\(index % 7)", deploymentName: "prod-\(index % 3)", ui: URL(string: "http://127.0.0.1:4200")!, now: now)
}

let pools = (0..<12).map { index in
    #"{"name":"pool-\#(index)","type":"process","status":"\#(index % 4 == 0 ? "NOT_READY" : "READY")","is_paused":\#(index % 5 == 0),"concurrency_limit":\#(index % 3 == 0 ? "10" : "null"),"workers":\#(index % 4),"online_workers":\#(index % 3),"last_heartbeat":"\#(stamp(Double(-index * 7)))","late_runs":\#(index % 2),"active_runs":\#(index)}"#
}.joined(separator: ",")
let byState = stateNames.enumerated().map { index, state in #"{"type":"\#(state.0)","name":"\#(state.1)","count":\#(100_000 / (index + 1))}"# }
    .joined(separator: ",")
var status = decode(
    ServerStatus.self,
    #"""
    {"server":{"api_url":"http://127.0.0.1:4200/api","api_url_source":"env PREFECT_API_URL","profile":"local","kind":"self-hosted",
     "account_id":null,"workspace_id":null,"credential":null,"version":"3.9.1","api_version":"0.8.4","healthy":true,"ui_url":"http://127.0.0.1:4200"},
     "window":{"label":"24h","start":"\#(stamp(-86_400))","end":"\#(stamp(0))"},
     "flow_runs":{"total":282896,"by_state":[\#(byState)],"late":120,"running":48,"pending":12,"upcoming":300},
     "work_pools":[\#(pools)]}
    """#)
// The chart of the 24 h window: 24 columns, every state in each.
func historyColumn(_ hour: Int, of byState: [ServerStatus.StateCount]) -> ServerStatus.HistoryColumn {
    let start: Date = now.addingTimeInterval(Double(hour - 24) * 3600)
    let counts: [ServerStatus.StateCount] = byState.map { count in
        ServerStatus.StateCount(type: count.type, name: count.name, count: count.count / 24 + hour)
    }
    return ServerStatus.HistoryColumn(start: start, end: start.addingTimeInterval(3600), counts: counts)
}
let stateCounts = status.flowRuns.byState
status.history = (0..<24).map { historyColumn($0, of: stateCounts) }
let lateEntries = (0..<10).map { index in
    let row = try! JSONCoding.encode(run(index * 9 + 3)).jsonText
    return
        #"{"run":\#(row),"causes":[{"code":"no_online_worker","message":"Work pool 'pool-\#(index)' has no online worker (the last heartbeat was 2h ago).","fix":"prefect worker start --pool pool-\#(index)"}]}"#
}.joined(separator: ",")
let late = decode(LateRunsReport.self, #"{"runs":[\#(lateEntries)],"late_count":120,"summary":{"no_online_worker":10},"checked_at":"\#(stamp(0))"}"#)

var overviewState = DashboardState()
overviewState.size = (200, 60)
overviewState.serverURL = "http://127.0.0.1:4200/api"
_ = overviewState.reduce(
    .loaded(.overview(DashboardOverview(status: status, lateRuns: late, recentRuns: (0..<50).map(run), diagnosisReadAt: now)), at: now))

/// `count` log lines as the follower delivers them: task names, mixed levels, a traceback every 500 lines.
func logLines(_ count: Int, from start: Int = 0) -> [LogLine] {
    (start..<(start + count)).map { index in
        let level = [20, 20, 20, 10, 30, 40][index % 6]
        let message =
            index % 500 == 499
            ? "Task run failed\nTraceback (most recent call last):\n  File \"flows.py\", line 41, in load\n    write(batch)\nValueError: bad row \(index)"
            : "batch \(index): wrote \(index * 7 % 1000) rows to warehouse.table_\(index % 13) in \(index % 97) ms"
        return LogLine(
            id: "\(index)", timestamp: now.addingTimeInterval(Double(index) / 100), level: level,
            levelName: LogLevel(number: level).name, message: message, taskRunName: "load-\(index % 9)")
    }
}

var logsState = overviewState
_ = logsState.reduce(.key(.character("l")))
_ = logsState.reduce(.log(.appended(runID: logsState.logRun?.id ?? "", lines: logLines(10_000))))
for key: Key in [.character("s"), .character("r"), .character("o"), .character("w"), .enter] { _ = logsState.reduce(.key(key)) }

let clock = ContinuousClock()

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// Median and 95th percentile of `iterations` timings of `body`, after `warmup` untimed calls.
func time(iterations: Int, warmup: Int = 20, _ body: () -> Void) -> (median: Double, p95: Double) {
    for _ in 0..<warmup { body() }
    var samples: [Double] = []
    samples.reserveCapacity(iterations)
    for _ in 0..<iterations {
        let start = clock.now
        body()
        samples.append(milliseconds(clock.now - start))
    }
    samples.sort()
    return (samples[samples.count / 2], samples[min(samples.count - 1, samples.count * 95 / 100)])
}

var sink = 0
let overviewFrame = time(iterations: 500) { sink &+= Renderer.render(overviewState, now: now).cells.count }
let logsFrame = time(iterations: 500) { sink &+= Renderer.render(logsState, now: now).cells.count }

// Ingestion: 200 000 lines in batches of 200 (one follower poll each) into the default-capacity buffer, through the
// reducer as the dashboard does it; the buffer drops the oldest lines past its cap.
let batches = (0..<1000).map { logLines(200, from: $0 * 200) }
var ingest = logsState
ingest.logs = LogBuffer()
let ingestStart = clock.now
for batch in batches { _ = ingest.reduce(.log(.appended(runID: ingest.logRun?.id ?? "", lines: batch))) }
let ingestSeconds = milliseconds(clock.now - ingestStart) / 1000

let result: [String: Double] = [
    "overview_frame_ms_median": overviewFrame.median, "overview_frame_ms_p95": overviewFrame.p95,
    "logs_frame_ms_median": logsFrame.median, "logs_frame_ms_p95": logsFrame.p95,
    "log_ingest_lines_per_second": 200_000 / ingestSeconds, "log_buffer_capacity": Double(ingest.logs.capacity),
    "log_buffer_dropped": Double(ingest.logs.dropped), "sink": Double(sink % 2),
]
let encoder = JSONEncoder()
encoder.outputFormatting = .sortedKeys
print(String(decoding: try encoder.encode(result), as: UTF8.self))

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
