package import FoundationEssentials
package import JSONValue

/// `ReceivedEvent`.
package struct Event: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var occurred: Date
    package var received: Date?
    package var event: String
    /// Labels of the primary resource; `prefect.resource.id` is always there.
    package var resource: [String: String]
    /// Related resources, each with `prefect.resource.id` and `prefect.resource.role`.
    package var related: [[String: String]]?
    package var payload: JSONValue?
    package var follows: String?

    package var resourceID: String? { resource["prefect.resource.id"] }
    package var resourceName: String? { resource["prefect.resource.name"] }
}

/// One page of `POST /events/filter`.
package struct EventPage: Codable, Hashable, Sendable {
    package var events: [Event]
    package var total: Int
    /// The absolute URL of the next page; only its `page-token` is used (the host may be wrong behind a proxy).
    package var nextPage: String?

    enum CodingKeys: String, CodingKey {
        case events, total
        case nextPage = "next_page"
    }

    /// The `page-token` query value of ``nextPage``.
    package var nextPageToken: String? {
        guard let nextPage, let components = URLComponents(string: nextPage) else { return nil }
        return components.queryItems?.first { $0.name == "page-token" }?.value
    }
}
