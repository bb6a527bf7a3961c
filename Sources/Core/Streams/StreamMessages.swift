package import FoundationEssentials
package import JSONValue

/// What Prefect's stream sockets send after the handshake, decoded.
package enum StreamMessage: Sendable, Equatable {
    case event(Event)
    case log(LogEntry)
    /// A message of another type, or one that does not decode (kept as a short description): skipped.
    case other(String)

    /// `{"type":"event","event":…}` or `{"type":"log","log":…}`.
    package init(text: String) {
        guard let value = try? JSONValue(parsing: Array(text.utf8)) else {
            self = .other("not JSON: '\(text.clipped(to: 60))'")
            return
        }
        switch value["type"]?.stringValue {
        case "event":
            guard let body = value["event"], let event = try? JSONCoding.decode(Event.self, from: body) else {
                self = .other("an event that does not decode")
                return
            }
            self = .event(event)
        case "log":
            guard let body = value["log"], let entry = try? JSONCoding.decode(LogEntry.self, from: body) else {
                self = .other("a log line that does not decode")
                return
            }
            self = .log(entry)
        case let type:
            self = .other("a message of type \(type.map { "'\($0.clipped(to: 40))'" } ?? "none")")
        }
    }
}

/// The filter messages Prefect's sockets take, built and checked here: a filter the server rejects closes the
/// socket abnormally, with no reason (docs/prefect-streams.md §4), so a bad one must never be sent.
package enum StreamFilter {
    /// How far ahead `occurred.until` is put: Prefect applies the filter parsed at subscribe time to every live event,
    /// and `until` defaults to that moment, which would drop every live event (§2).
    package static let untilAhead: TimeInterval = 365 * 86_400

    /// `{"type":"filter","filter":…,"backfill":true}` for `/events/out`: `filter` with `occurred` from `since` to a
    /// year after `now`, and no `order` (the server forces ascending).
    package static func events(_ filter: EventFilter, since: Date, now: Date = Date()) throws(StreamFilterError) -> JSONValue {
        var filter = filter
        filter.occurred = EventFilter.Occurred(since: since, until: now.addingTimeInterval(untilAhead))
        filter.order = nil
        try validate(filter)
        let encoded: JSONValue
        do {
            encoded = try JSONCoding.encode(filter)
        } catch {
            throw StreamFilterError("the event filter does not encode: \(error)")
        }
        return .object(["type": "filter", "filter": encoded, "backfill": true])
    }

    /// `{"type":"filter","filter":…}` for `/logs/out`: the lines of one flow run at `minimumLevel` or above. The
    /// stream honours no other field that matters here (text is ignored live, §3), and has no backfill.
    package static func logs(flowRunID: String, minimumLevel: LogLevel?) throws(StreamFilterError) -> JSONValue {
        guard !flowRunID.isEmpty, !flowRunID.contains(where: \.isWhitespace) else {
            throw StreamFilterError("the flow run id '\(flowRunID.echoed)' is empty or has spaces")
        }
        if let minimumLevel, minimumLevel.number < 0 { throw StreamFilterError("the level \(minimumLevel.number) is negative") }
        var filter: [String: JSONValue] = ["flow_run_id": ["any_": [.string(flowRunID)]]]
        if let minimumLevel { filter["level"] = ["ge_": .int(minimumLevel.number)] }
        return .object(["type": "filter", "filter": .object(filter)])
    }

    /// What Prefect's `EventFilter` model would refuse: a window that ends before it starts, empty names or ids.
    package static func validate(_ filter: EventFilter) throws(StreamFilterError) {
        if let occurred = filter.occurred {
            guard let since = occurred.since, let until = occurred.until else {
                throw StreamFilterError("occurred needs both since and until (until defaults to the subscribe time)")
            }
            guard since <= until else { throw StreamFilterError("occurred.since is after occurred.until") }
        }
        let lists: [(String, [String]?)] = [
            ("event.prefix", filter.event?.prefix), ("event.exclude_prefix", filter.event?.excludePrefix), ("event.name", filter.event?.name),
            ("event.exclude_name", filter.event?.excludeName), ("resource.id", filter.resource?.id),
            ("resource.id_prefix", filter.resource?.idPrefix),
            ("any_resource.id", filter.anyResource?.id), ("any_resource.id_prefix", filter.anyResource?.idPrefix),
            ("related.id", filter.related?.id), ("related.role", filter.related?.role), ("id.id", filter.id?.id),
        ]
        for (name, values) in lists {
            if let values, values.contains(where: \.isEmpty) { throw StreamFilterError("\(name) holds an empty string") }
        }
    }
}

package struct StreamFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// When to try a socket again after it failed: 1, 2, 4 … 60 s, back to the start once one has worked.
package struct StreamBackoff: Sendable, Equatable {
    package static let first: Duration = .seconds(1)
    package static let maximum: Duration = .seconds(60)
    package private(set) var failures = 0

    package init() {}

    /// The wait before the next try, counting this failure.
    package mutating func next() -> Duration {
        failures += 1
        return Self.delay(afterFailures: failures)
    }

    /// A socket came up: the next failure waits `first` again.
    package mutating func reset() { failures = 0 }

    package static func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        let seconds = 1 << min(failures - 1, 6)
        return min(.seconds(seconds), maximum)
    }
}
