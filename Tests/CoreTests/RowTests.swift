import Foundation
import JSONValue
import Testing

@testable import Core

/// The rows and counts every face shows, built once in Core, and the one rule that writes absent optionals as null.
@Suite("Rows and counts")
struct RowTests {
    struct Inner: Encodable {
        var note: String?
    }

    struct Row: Encodable, EncodesAbsentAsNull {
        var id: String
        var count: Int?
        var when: Date?
        var inner: Inner
        var nested: Nested?
    }

    struct Nested: Encodable, EncodesAbsentAsNull {
        var flag: Bool?
    }

    @Test("An EncodesAbsentAsNull type writes every key, null when absent; a type that is not leaves them out")
    func absentAsNull() throws {
        let row = Row(id: "1", count: nil, when: nil, inner: Inner(note: nil), nested: Nested(flag: nil))
        #expect(try JSONCoding.encode(row).jsonText == #"{"count":null,"id":"1","inner":{},"nested":{"flag":null},"when":null}"#)
        let epoch = Date(timeIntervalSince1970: 0)
        let full = Row(id: "1", count: 2, when: epoch, inner: Inner(note: "x"), nested: nil)
        let expected = #"{"count":2,"id":"1","inner":{"note":"x"},"nested":null,"when":"\#(PrefectDate.format(epoch))"}"#
        #expect(try JSONCoding.encode(full).jsonText == expected)
        // Request bodies are not rows: an absent filter field stays absent.
        #expect(try JSONCoding.encode(Inner(note: nil)).jsonText == "{}")
    }

    @Test("A task-run row: every key, attempts after the first, the UI link, duration by the shared rule")
    func taskRunRow() throws {
        let tasks = try DecodingTests.decode([TaskRun].self, "task_runs")
        let ui = URL(string: "http://ui.test")!
        let now = Date()
        for task in tasks {
            let row = TaskRunRow(task, ui: ui, now: now)
            let json = try JSONCoding.encode(row)
            #expect(json.objectValue?.count == 15, "\(json.jsonText)")
            #expect(row.retryCount == task.runCount.map { max(0, $0 - 1) })
            #expect(row.durationSeconds == task.durationSeconds(at: now))
            #expect(json["ui_url"]?.stringValue == "http://ui.test/runs/task-run/\(task.id)")
            #expect(json["state_type"]?.stringValue == task.stateType?.rawValue)
        }
    }

    @Test("An event row names related resources by role, the name when there is one, else the id; a repeated role lists all")
    func eventRow() throws {
        var event = try #require(try DecodingTests.decode(EventPage.self, "events").events.first)
        event.related = [
            ["prefect.resource.id": "prefect.flow.1", "prefect.resource.role": "flow", "prefect.resource.name": "etl"],
            ["prefect.resource.id": "prefect.tag.nightly", "prefect.resource.role": "tag"],
            ["prefect.resource.id": "prefect.nobody"],
            ["prefect.resource.id": "prefect.tag.etl", "prefect.resource.role": "tag"],
        ]
        event.payload = nil
        let json = try JSONCoding.encode(EventRow(event))
        #expect(json["related"] == ["flow": "etl", "tag": "prefect.tag.nightly, prefect.tag.etl"], "every tag, in order")
        #expect(EventRow(event).json == json)
        #expect(json["payload"] == .null)
        #expect(json["resource_name"]?.stringValue == "notify-on-failure")
        #expect(json["occurred"]?.stringValue == PrefectDate.format(event.occurred))
    }

    @Test("Automation, variable and artifact rows keep every key; an automation without the flag is enabled")
    func objectRows() throws {
        for automation in try DecodingTests.decode([Automation].self, "automations") {
            var bare = automation
            bare.enabled = nil
            bare.actions = nil
            let row = AutomationRow(bare)
            #expect(row.enabled && row.actionCount == 0 && row.actions.isEmpty)
            #expect(row.triggerType == automation.trigger?["type"] ?? .null)
        }
        let variable = Variable(id: "v", name: "env", value: nil, tags: nil, created: nil, updated: nil)
        #expect(try JSONCoding.encode(VariableRow(variable)).jsonText == #"{"id":"v","name":"env","tags":[],"updated":null,"value":null}"#)
        for artifact in try DecodingTests.decode([Artifact].self, "artifacts") {
            #expect(try JSONCoding.encode(ArtifactRow(artifact)).objectValue?.count == 8)
        }
    }

    @Test("History: counts by name per bucket and over the window; one name used by two types counts once, summed")
    func history() throws {
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        func bucket(_ offset: Double, _ states: [(StateType, String, Int)]) -> HistoryBucket {
            HistoryBucket(
                intervalStart: start.addingTimeInterval(offset), intervalEnd: start.addingTimeInterval(offset + 3600),
                states: states.map { HistoryState(stateType: $0.0, stateName: $0.1, countRuns: $0.2) })
        }
        let buckets = [
            bucket(0, [(.completed, "Completed", 3), (.scheduled, "Late", 2)]),
            bucket(3600, [(.failed, "Failed", 1), (.scheduled, "Late", 1), (.pending, "Late", 4)]),
        ]
        let history = FlowRunHistory(buckets, window: TimeWindow("2h")!, interval: TimeWindow("1h")!)
        #expect(history.totals == ["Completed": 3, "Late": 7, "Failed": 1])
        #expect(history.buckets.map(\.counts) == [["Completed": 3, "Late": 2], ["Failed": 1, "Late": 5]])
        #expect(history.intervalSeconds == 3600 && history.window == "2h")
        #expect(buckets.stateCounts.byType == ["COMPLETED": 3, "SCHEDULED": 3, "FAILED": 1, "PENDING": 4])

        let counts = ServerStatus.FlowRunCounts(
            total: 11, byState: buckets.stateCounts.sorted { $0.key < $1.key }.map { .init(type: $0.key.type, name: $0.key.name, count: $0.value) },
            late: 0, running: 0, pending: 0, upcoming: 0)
        #expect(counts.byName == history.totals)
        #expect(counts.byType == buckets.stateCounts.byType)
    }

    @Test("A concurrency limit always says whether it is full, and reads back what it wrote")
    func limitFull() throws {
        let limit = ConcurrencyLimitSummary(id: "l", name: "tag:db", kind: .tag, limit: 2, activeSlots: 2, active: true)
        let json = try JSONCoding.encode(limit)
        #expect(json["full"] == .bool(true))
        #expect(try JSONCoding.decode(ConcurrencyLimitSummary.self, from: json) == limit)
        var inactive = limit
        inactive.active = false
        #expect(try JSONCoding.encode(inactive)["full"] == .bool(false))
    }
}
