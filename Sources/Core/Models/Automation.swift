package import FoundationEssentials
package import JSONValue

/// `Automation`: trigger and actions stay free-form.
package struct Automation: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var name: String
    package var description: String?
    package var enabled: Bool?
    package var tags: [String]?
    package var trigger: JSONValue?
    package var actions: [JSONValue]?
    package var actionsOnTrigger: [JSONValue]?
    package var actionsOnResolve: [JSONValue]?
    package var created: Date?
    package var updated: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, description, enabled, tags, trigger, actions, created, updated
        case actionsOnTrigger = "actions_on_trigger"
        case actionsOnResolve = "actions_on_resolve"
    }
}

/// `Artifact`.
package struct Artifact: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var key: String?
    package var type: String?
    package var description: String?
    package var data: JSONValue?
    package var metadata: JSONValue?
    package var flowRunID: String?
    package var taskRunID: String?
    package var created: Date?
    package var updated: Date?

    enum CodingKeys: String, CodingKey {
        case id, key, type, description, data, created, updated
        case metadata = "metadata_"
        case flowRunID = "flow_run_id"
        case taskRunID = "task_run_id"
    }
}

/// `Variable`.
package struct Variable: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var name: String
    package var value: JSONValue?
    package var tags: [String]?
    package var created: Date?
    package var updated: Date?
}
