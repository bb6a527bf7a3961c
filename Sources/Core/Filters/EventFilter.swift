package import FoundationEssentials

/// `EventFilter` (the events API names its keys without trailing underscores).
package struct EventFilter: Codable, Sendable, Hashable {
    package var occurred: Occurred?
    package var event: EventNames?
    package var resource: Resource?
    package var related: Related?
    package var anyResource: Resource?
    package var id: IDs?
    package var text: TextQuery?
    package var order: Order?

    enum CodingKeys: String, CodingKey {
        case occurred, event, resource, related, id, text, order
        case anyResource = "any_resource"
    }

    /// `{since, until}`. Send both: the server's default window is 180 days.
    package struct Occurred: Codable, Sendable, Hashable {
        package var since: Date?
        package var until: Date?
    }

    /// `{prefix, exclude_prefix, name, exclude_name}`.
    package struct EventNames: Codable, Sendable, Hashable {
        package var prefix: [String]?
        package var excludePrefix: [String]?
        package var name: [String]?
        package var excludeName: [String]?
        enum CodingKeys: String, CodingKey {
            case prefix, name
            case excludePrefix = "exclude_prefix"
            case excludeName = "exclude_name"
        }
    }

    /// `{id, id_prefix, labels}`.
    package struct Resource: Codable, Sendable, Hashable {
        package var id: [String]?
        package var idPrefix: [String]?
        package var labels: [String: [String]]?
        enum CodingKeys: String, CodingKey {
            case id, labels
            case idPrefix = "id_prefix"
        }
    }

    /// `{id, role, resources_in_roles, labels}`.
    package struct Related: Codable, Sendable, Hashable {
        package var id: [String]?
        package var role: [String]?
        package var labels: [String: [String]]?
    }

    /// `{id}`.
    package struct IDs: Codable, Sendable, Hashable {
        package var id: [String]?
    }

    package enum Order: String, Codable, Sendable, Hashable {
        case ascending = "ASC"
        case descending = "DESC"
    }
}

extension EventFilter {
    /// Events by name: the faces outside Core filter by prefix (the dashboard, the Events view).
    package init(prefixes: [String]? = nil, excludingPrefixes: [String]? = nil) {
        self.init(event: EventNames(prefix: prefixes, excludePrefix: excludingPrefixes))
    }
}
