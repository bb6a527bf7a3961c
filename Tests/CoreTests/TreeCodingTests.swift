import Foundation
import JSONValue
import Testing

@testable import Core

/// `JSONCoding.decode` and `encode` (JSONValue's parser, tree decoder and tree encoder) against Foundation's
/// `JSONDecoder` and `JSONEncoder`, which they replaced: the same models from every recorded response, the same
/// kinds of error with the same paths, and the same bytes written back.
@Suite("The tree decoder and encoder agree with Foundation's")
struct TreeCodingTests {
    /// What every response used to go through: Foundation's decoder with Prefect's dates.
    static let reference: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = PrefectDate.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an ISO 8601 date-time")
            }
            return date
        }
        return decoder
    }()

    /// Foundation's encoder with the same dates and key order.
    static func referenceEncoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(PrefectDate.format(date))
        }
        return encoder
    }

    /// Decodes `fixture` with both decoders (the models must be equal), then encodes the model with both encoders
    /// (the bytes must be equal).
    static func check<T: Codable & Equatable>(_ type: T.Type, _ fixture: String) throws {
        let data = try DecodingTests.fixture(fixture)
        let model = try JSONCoding.decode(T.self, from: data)
        #expect(model == (try reference.decode(T.self, from: data)), "\(fixture) decodes differently")
        let ours = try JSONCoding.encode(model).jsonText
        let theirs = String(decoding: try Self.referenceEncoder().encode(model), as: UTF8.self)
        #expect(ours == theirs, "\(fixture) encodes differently")
        let pretty = String(decoding: try Self.referenceEncoder(pretty: true).encode(model), as: UTF8.self)
        #expect(try JSONCoding.encode(model).prettyText == pretty, "\(fixture) is indented differently")
        #expect(ours.count > 100)
    }

    @Test("Every recorded response decodes to the same models and encodes back to the same bytes (sorted keys, dates, nulls)")
    func fixtures() throws {
        try Self.check([FlowRun].self, "flow_runs")
        try Self.check([TaskRun].self, "task_runs")
        try Self.check([Flow].self, "flows")
        try Self.check([Deployment].self, "deployments")
        try Self.check([WorkPool].self, "work_pools")
        try Self.check([WorkQueue].self, "work_queues")
        try Self.check([Worker].self, "workers")
        try Self.check([LogEntry].self, "logs")
        try Self.check(EventPage.self, "events")
        try Self.check([HistoryBucket].self, "flow_run_history")
        try Self.check([Automation].self, "automations")
        try Self.check([Artifact].self, "artifacts")
        try Self.check([Variable].self, "variables")
        try Self.check([TagConcurrencyLimit].self, "concurrency_limits_v1")
        try Self.check([GlobalConcurrencyLimit].self, "concurrency_limits_v2")
        try Self.check([State].self, "flow_run_states")
        try Self.check(JSONValue.self, "events")
    }

    @Test("Request bodies: filters with dates, optionals left out, and a value that cannot be JSON is an error")
    func requestBodies() throws {
        let filter = FlowRunFilter(
            state: .init(type: .init(any: [.failed, .crashed])), expectedStartTime: TimeRange(before: Date(timeIntervalSince1970: 1_795_600_000)))
        let body = FlowRunsQuery(flowRuns: filter, sort: .expectedStartTimeDescending, limit: 20)
        #expect(try JSONCoding.encode(body).jsonText == String(decoding: try Self.referenceEncoder().encode(body), as: UTF8.self))
        #expect(throws: EncodingError.self) { try JSONCoding.encode(["x": Double.nan]) }
    }

    /// The error both decoders throw for `json` as `T`, as `PrefectClient` reports it (kind and coding path).
    static func errors<T: Decodable>(_ type: T.Type, _ json: String) -> (ours: String, theirs: String) {
        func describe(_ body: () throws -> T) -> String {
            do {
                _ = try body()
                return "no error"
            } catch let error as DecodingError {
                func path(_ context: DecodingError.Context) -> String {
                    context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                }
                return switch error {
                case .keyNotFound(let key, let context): "keyNotFound \(key.stringValue) at \(path(context))"
                case .typeMismatch(let type, let context): "typeMismatch \(type) at \(path(context))"
                case .valueNotFound(let type, let context): "valueNotFound \(type) at \(path(context))"
                case .dataCorrupted(let context): "dataCorrupted at \(path(context))"
                @unknown default: "unknown"
                }
            } catch {
                return "not a DecodingError: \(error)"
            }
        }
        return (describe { try JSONCoding.decode(T.self, from: json.utf8) }, describe { try reference.decode(T.self, from: Data(json.utf8)) })
    }

    /// Each case and the error it must give. Foundation agrees on all but the numbers too big for their type,
    /// which it reports at the top level; ours name the member.
    static let badAnswers: [(json: String, error: String)] = [
        (#"[{"id":"a","flow_id":"f","name":"n"},{"id":"b","name":"n"}]"#, "keyNotFound flow_id at [1]"),
        (#"[{"id":"a","flow_id":7,"name":"n"}]"#, "typeMismatch String at [0].flow_id"),
        (#"[{"id":"a","flow_id":null,"name":"n"}]"#, "valueNotFound String at [0].flow_id"),
        (#"[{"id":"a","flow_id":"f","name":"n","start_time":"yesterday"}]"#, "dataCorrupted at [0].start_time"),
        (#"[{"id":"a","flow_id":"f","name":"n","tags":["x",3]}]"#, "typeMismatch String at [0].tags[1]"),
        (#"{"id":"a"}"#, "typeMismatch Array<Any> at "),
        (#"[{"id":"a","flow_id":"f","name":"n","run_count":1e40}]"#, "dataCorrupted at [0].run_count"),
        (#"[{"id":"a","flow_id":"f","name":"n","run_count":1.5}]"#, "dataCorrupted at [0].run_count"),
    ]

    @Test("A missing key, a wrong type, a null, a bad date, a number that does not fit: the error names the path")
    func errorPaths() {
        for (json, error) in Self.badAnswers {
            let (ours, theirs) = Self.errors([FlowRun].self, json)
            #expect(ours == error, "\(json)")
            if !json.contains("run_count") { #expect(theirs == error, "JSONDecoder on \(json)") }
        }
    }

    @Test("Free-form members are the parsed tree itself; numbers keep their kind")
    func freeForm() throws {
        let json = #"{"id":"a","flow_id":"f","name":"n","parameters":{"n":1,"x":1.5,"s":"é\n","l":[true,null],"o":{}}}"#
        let run = try JSONCoding.decode(FlowRun.self, from: json.utf8)
        #expect(run.parameters == ["n": 1, "x": .double(1.5), "s": "é\n", "l": [true, nil], "o": [:]])
        #expect(run == (try Self.reference.decode(FlowRun.self, from: Data(json.utf8))))
    }

    @Test("Invalid JSON is a parse error that says where")
    func invalidJSON() {
        #expect(throws: JSONValue.ParseError.self) { try JSONCoding.decode([FlowRun].self, from: #"[{"id": }]"#.utf8) }
        do {
            _ = try JSONCoding.decode(JSONValue.self, from: #"{"a" 1}"#.utf8)
            Issue.record("parsed")
        } catch {
            #expect("\(error)" == "invalid JSON at byte 5: expected ':'")
        }
    }
}

/// Event pages are read straight from the bytes (`EventPage(scanning:)`): the same models as the `Decodable` path,
/// and when the shape is wrong, that path's error.
@Suite("Event pages read by the scanner")
struct EventScanTests {
    @Test("The recorded page scans to the models Foundation's decoder makes; rows built directly equal encoded ones")
    func sameModels() throws {
        let data = try DecodingTests.fixture("events")
        let scanned = try EventPage(scanning: data)
        #expect(scanned == (try TreeCodingTests.reference.decode(EventPage.self, from: data)))
        #expect(scanned.events.count > 2 && scanned.events.contains { $0.payload != nil && $0.related?.isEmpty == false })
        for event in scanned.events { #expect(EventRow(event).json == (try JSONCoding.encode(EventRow(event)))) }
    }

    @Test("Nulls, missing optionals, escapes and unknown members: as the Decodable path reads them")
    func edges() throws {
        let text = #"""
            {"total": 1, "extra": {"a": [1, {"b": null}]}, "next_page": null, "events": [
              {"id": "e\u0031", "occurred": "2026-11-30T10:00:00.5Z", "event": "x.y", "received": null, "related": null,
               "payload": null, "resource": {"prefect.resource.id": "r", "prefect.resource.name": "caf\u00e9 \"q\""}, "new": 3},
              {"id": "e2", "occurred": "2026-11-30T10:00:00+00:00", "event": "x.z", "resource": {"prefect.resource.id": "s"},
               "payload": {"n": 1.5, "list": []}, "related": [{"prefect.resource.id": "t", "prefect.resource.role": "tag"}], "follows": "e1"}]}
            """#
        let bytes = Array(text.utf8)
        let scanned = try EventPage(scanning: bytes)
        let decoded = try JSONCoding.decoder.decode(EventPage.self, from: bytes)
        #expect(scanned == decoded, "\(scanned) vs \(decoded)")
        #expect(scanned.events.map(\.id) == ["e1", "e2"] && scanned.events[0].resourceName == "café \"q\"" && scanned.events[1].follows == "e1")
    }

    @Test("A wrong shape is not scanned: JSONCoding falls back and throws the Decodable path's error with its path")
    func wrongShape() throws {
        let text = #"{"total": 1, "events": [{"id": "a", "occurred": "2026-11-30T10:00:00Z", "event": "x", "resource": {"prefect.resource.id": 7}}]}"#
        #expect(throws: (any Error).self) { try EventPage(scanning: Array(text.utf8)) }
        do {
            _ = try JSONCoding.decode(EventPage.self, from: Array(text.utf8))
            Issue.record("decoded a label that is a number")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["events", "Index 0", "resource", "prefect.resource.id"])
        }
        let badDate = #"{"total": 0, "events": [{"id": "a", "occurred": "yesterday", "event": "x", "resource": {}}]}"#
        #expect(throws: DecodingError.self) { try JSONCoding.decode(EventPage.self, from: Array(badDate.utf8)) }
    }
}
