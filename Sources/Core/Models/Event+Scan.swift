import FoundationEssentials
package import JSONValue

/// An answer read straight from Prefect's bytes by a ``JSONScanner`` instead of through a tree and `Decodable`: for
/// the pages that are large and read often (events), where building the tree was most of the cost. ``JSONCoding``
/// tries this first and, when it throws, decodes the `Decodable` way, which names what is wrong.
package protocol ScannedDecodable: Decodable {
    init(scanning bytes: some Collection<UInt8>) throws
}

/// The shape is not what the scanner reads; the `Decodable` path says how.
struct ScanMismatch: Error {}

extension EventPage: ScannedDecodable {
    package init(scanning bytes: some Collection<UInt8>) throws {
        var events: [Event]?
        var total: Int?
        var nextPage: String?
        try JSONScanner.scan(bytes) { scanner in
            try scanner.members { scanner, name in
                if name == "events" {
                    var list: [Event] = []
                    try scanner.elements { list.append(try Event(scanning: &$0)) }
                    events = list
                } else if name == "total" {
                    total = try scanner.int()
                } else if name == "next_page" {
                    nextPage = try scanner.optionalString()
                } else {
                    try scanner.skip()
                }
            }
        }
        guard let events, let total else { throw ScanMismatch() }
        self.init(events: events, total: total, nextPage: nextPage)
    }
}

extension Event {
    /// One `ReceivedEvent`, with the same rules as its `Decodable` conformance: `id`, `occurred`, `event` and
    /// `resource` required, the rest nil when missing or null.
    init(scanning scanner: inout JSONScanner) throws {
        var id: String?
        var occurred: Date?
        var received: Date?
        var event: String?
        var resource: [String: String]?
        var related: [[String: String]]?
        var payload: JSONValue?
        var follows: String?
        try scanner.members { scanner, name in
            if name == "id" {
                id = try scanner.string()
            } else if name == "occurred" {
                occurred = try Self.date(&scanner)
            } else if name == "received" {
                received = try scanner.null() ? nil : try Self.date(&scanner)
            } else if name == "event" {
                event = try scanner.string()
            } else if name == "resource" {
                resource = try Self.labels(&scanner)
            } else if name == "related" {
                if try scanner.null() {
                    related = nil
                } else {
                    var list: [[String: String]] = []
                    try scanner.elements { list.append(try Self.labels(&$0)) }
                    related = list
                }
            } else if name == "payload" {
                // (JSONValue takes a nil literal as `.null`: the optional's none is spelled out.)
                let value = try scanner.value()
                payload = value == .null ? JSONValue?.none : value
            } else if name == "follows" {
                follows = try scanner.optionalString()
            } else {
                try scanner.skip()
            }
        }
        guard let id, let occurred, let event, let resource else { throw ScanMismatch() }
        self.init(
            id: id, occurred: occurred, received: received, event: event, resource: resource, related: related, payload: payload, follows: follows)
    }

    private static func date(_ scanner: inout JSONScanner) throws -> Date {
        guard let date = PrefectDate.parse(try scanner.string()) else { throw ScanMismatch() }
        return date
    }

    /// A resource's labels: strings by name.
    private static func labels(_ scanner: inout JSONScanner) throws -> [String: String] {
        var labels: [String: String] = [:]
        try scanner.members { scanner, name in labels[name.string] = try scanner.string() }
        return labels
    }
}
