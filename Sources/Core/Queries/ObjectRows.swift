package import FoundationEssentials
package import JSONValue

// Rows of the objects the lists show as they come (task runs, variables, artifacts, automations, events): the
// fields a reader needs, every key present (null when absent), times as Prefect writes them.

/// A task run as a reader sees it: state and message, times, duration, attempts and a UI link.
package struct TaskRunRow: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    package var id: String
    package var name: String
    package var taskKey: String?
    package var flowRunID: String?
    package var stateType: StateType?
    package var stateName: String?
    package var stateMessage: String?
    package var tags: [String]
    package var expectedStartTime: Date?
    package var startTime: Date?
    package var endTime: Date?
    /// Seconds run so far (running) or in all (see ``RunTiming/durationSeconds(at:)``).
    package var durationSeconds: Double?
    package var runCount: Int?
    /// Attempts after the first.
    package var retryCount: Int?
    package var uiURL: String

    enum CodingKeys: String, CodingKey {
        case id, name, tags
        case taskKey = "task_key"
        case flowRunID = "flow_run_id"
        case stateType = "state_type"
        case stateName = "state_name"
        case stateMessage = "state_message"
        case expectedStartTime = "expected_start_time"
        case startTime = "start_time"
        case endTime = "end_time"
        case durationSeconds = "duration_seconds"
        case runCount = "run_count"
        case retryCount = "retry_count"
        case uiURL = "ui_url"
    }

    package init(_ task: TaskRun, ui: URL, now: Date) {
        id = task.id
        name = task.name
        taskKey = task.taskKey
        flowRunID = task.flowRunID
        stateType = task.stateType
        stateName = task.stateName
        stateMessage = task.state?.message
        tags = task.tags ?? []
        expectedStartTime = task.expectedStartTime
        startTime = task.startTime
        endTime = task.endTime
        durationSeconds = task.durationSeconds(at: now)
        runCount = task.runCount
        retryCount = task.runCount.map { max(0, $0 - 1) }
        uiURL = UILinks.taskRun(task.id, ui: ui)
    }
}

/// A variable: its name, value and tags.
package struct VariableRow: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    package var id: String
    package var name: String
    package var value: JSONValue
    package var tags: [String]
    package var updated: Date?

    package init(_ variable: Variable) {
        id = variable.id
        name = variable.name
        value = variable.value ?? .null
        tags = variable.tags ?? []
        updated = variable.updated
    }
}

/// An artifact and the runs that made it.
package struct ArtifactRow: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    package var id: String
    package var key: String?
    package var type: String?
    package var description: String?
    package var data: JSONValue
    package var flowRunID: String?
    package var taskRunID: String?
    package var created: Date?

    enum CodingKeys: String, CodingKey {
        case id, key, type, description, data, created
        case flowRunID = "flow_run_id"
        case taskRunID = "task_run_id"
    }

    package init(_ artifact: Artifact) {
        id = artifact.id
        key = artifact.key
        type = artifact.type
        description = artifact.description
        data = artifact.data ?? .null
        flowRunID = artifact.flowRunID
        taskRunID = artifact.taskRunID
        created = artifact.created
    }
}

/// An automation: enabled or not, its trigger (kept as Prefect wrote it) and actions.
package struct AutomationRow: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    package var id: String
    package var name: String
    package var description: String?
    /// Prefect treats an automation without the flag as enabled.
    package var enabled: Bool
    package var tags: [String]
    /// `event`, `metric`, `compound` or `sequence`.
    package var triggerType: JSONValue
    package var trigger: JSONValue
    package var actionCount: Int
    package var actions: [JSONValue]

    enum CodingKeys: String, CodingKey {
        case id, name, description, enabled, tags, trigger, actions
        case triggerType = "trigger_type"
        case actionCount = "action_count"
    }

    package init(_ automation: Automation) {
        id = automation.id
        name = automation.name
        description = automation.description
        enabled = automation.enabled ?? true
        tags = automation.tags ?? []
        triggerType = automation.trigger?["type"] ?? .null
        trigger = automation.trigger ?? .null
        actions = automation.actions ?? []
        actionCount = actions.count
    }
}

/// An event: what happened, when, to which resource, and the related resources by role.
package struct EventRow: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    package var id: String
    package var event: String
    package var occurred: Date
    package var resourceID: String?
    package var resourceName: String?
    /// Each related resource's role → its name (its id when it has none); several of one role, comma-separated.
    package var related: [String: String]
    package var payload: JSONValue

    enum CodingKeys: String, CodingKey {
        case id, event, occurred, related, payload
        case resourceID = "resource_id"
        case resourceName = "resource_name"
    }

    package init(_ event: Event) {
        id = event.id
        self.event = event.event
        occurred = event.occurred
        resourceID = event.resourceID
        resourceName = event.resourceName
        related = [:]
        for resource in event.related ?? [] {
            guard let role = resource["prefect.resource.role"] else { continue }
            let name = resource["prefect.resource.name"] ?? resource["prefect.resource.id"] ?? ""
            // A role held by several resources (a run's tags) lists them all, in the event's order.
            related[role] = related[role].map { "\($0), \(name)" } ?? name
        }
        payload = event.payload ?? .null
    }

    /// The row as `JSONCoding.encode` writes it, built directly: `read_events` makes one per event of a page.
    package var json: JSONValue {
        [
            "id": .string(id), "event": .string(event), "occurred": .string(PrefectDate.format(occurred)),
            "resource_id": resourceID.map(JSONValue.string) ?? .null, "resource_name": resourceName.map(JSONValue.string) ?? .null,
            "related": .object(related.mapValues(JSONValue.string)), "payload": payload,
        ]
    }
}
