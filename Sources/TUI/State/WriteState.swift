package import Core
package import FoundationEssentials
package import JSONValue

/// A change the dashboard asks Prefect for, once the user confirmed it (writes on only: `--allow-writes`).
package enum WriteRequest: Sendable, Equatable {
    case cancelRun(id: String, name: String)
    case retryRun(id: String, name: String)
    case setDeploymentPaused(id: String, slug: String, paused: Bool)
    case setWorkPoolPaused(name: String, paused: Bool)
    case setWorkQueuePaused(pool: String, queue: String, paused: Bool)
    case runDeployment(id: String, slug: String, DeploymentRunRequest)

    /// What it changes, as the status bar names it.
    package var subject: String {
        switch self {
        case .cancelRun(_, let name), .retryRun(_, let name): name
        case .setDeploymentPaused(_, let slug, _), .runDeployment(_, let slug, _): slug
        case .setWorkPoolPaused(let name, _): name
        case .setWorkQueuePaused(let pool, let queue, _): "\(pool)/\(queue)"
        }
    }

    /// The y/N question that names what is about to change.
    package var question: String {
        switch self {
        case .cancelRun(_, let name): "Cancel run \(name)? Its worker stops it and it ends Cancelled."
        case .retryRun(_, let name): "Retry run \(name)? It is scheduled again, with the same parameters."
        case .setDeploymentPaused(_, let slug, let paused):
            paused ? "Pause deployment \(slug)? Its schedules make no runs until resumed." : "Resume deployment \(slug)?"
        case .setWorkPoolPaused(let name, let paused):
            paused ? "Pause work pool \(name)? Its workers get no runs until resumed." : "Resume work pool \(name)?"
        case .setWorkQueuePaused(let pool, let queue, let paused):
            paused ? "Pause work queue \(pool)/\(queue)? Its runs wait until resumed." : "Resume work queue \(pool)/\(queue)?"
        case .runDeployment(_, let slug, _): "Run \(slug)?"
        }
    }
}

/// A pick among a few writes (a pool and each of its queues, to pause or resume): j/k and Enter.
package struct Choice: Sendable, Equatable {
    package var title: String
    package var options: [(label: String, write: WriteRequest)]
    package var selected = 0

    package static func == (left: Choice, right: Choice) -> Bool {
        left.title == right.title && left.selected == right.selected && left.options.map(\.label) == right.options.map(\.label)
            && left.options.map(\.write) == right.options.map(\.write)
    }
}

/// The form that starts a run of a deployment: one field per parameter of its flow (typed as the schema says,
/// prefilled with the deployment's values or the defaults), then tags and when to start. Every change is checked
/// at once by Core's own check, so a value Prefect would refuse is named beside its field before anything is sent.
package struct RunForm: Sendable, Equatable {
    package enum Slot: Sendable, Equatable {
        case parameter(ParameterField)
        /// Comma-separated tags.
        case tags
        /// `now`, a delay (`10m`) or an ISO 8601 time.
        case start
    }

    package struct Field: Sendable, Equatable {
        package var slot: Slot
        package var text: String
        package var error: String?

        package var label: String {
            switch slot {
            case .parameter(let parameter): parameter.name + (parameter.required ? " *" : "")
            case .tags: "tags"
            case .start: "start"
            }
        }

        /// What the field takes, shown dim after its value.
        package var kindHint: String {
            switch slot {
            case .parameter(let parameter):
                switch parameter.kind {
                case .string: "text"
                case .integer: "integer"
                case .number: "number"
                case .boolean: "true/false · Space"
                case .choice(let values): values.joined(separator: "/") + " · Space"
                case .json: "JSON"
                }
            case .tags: "comma-separated"
            case .start: "now, 10m, or 2026-12-01T06:00:00Z"
            }
        }
    }

    package var deploymentID: String
    package var slug: String
    package var declared: DeploymentParameters
    package var fields: [Field]
    package var focus = 0
    /// A refusal that names no field, or the write under way.
    package var message: String?
    package var submitting = false

    package init(deploymentID: String, slug: String, declared: DeploymentParameters) {
        self.deploymentID = deploymentID
        self.slug = slug
        self.declared = declared
        fields =
            ParameterField.fields(of: declared).map { Field(slot: .parameter($0), text: $0.initialText) }
            + [Field(slot: .tags, text: ""), Field(slot: .start, text: "now")]
        check()
    }

    /// The request the fields make, at `now`; nil while a field has an error.
    package func request(now: Date) -> DeploymentRunRequest? {
        guard fields.allSatisfy({ $0.error == nil }) else { return nil }
        var request = DeploymentRunRequest()
        request.parameters = parameters
        for field in fields {
            switch field.slot {
            case .tags: request.tags = Self.tags(field.text)
            case .start: request.startAt = Self.start(field.text, now: now) ?? nil
            case .parameter: break
            }
        }
        return request
    }

    /// The parameters typed: an empty field that is not required is left out (the deployment's value applies).
    var parameters: [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for field in fields {
            guard case .parameter(let parameter) = field.slot, !field.text.isEmpty else { continue }
            values[parameter.name] = TypedText.value(field.text, schema: parameter.schema)
        }
        return values
    }

    /// Re-checks every field: required ones filled, each parameter against the flow's schema (Core's check, the
    /// one runDeployment makes), the start time readable.
    package mutating func check(now: Date = Date()) {
        let problems = PrefectActions.parameterProblems(parameters, declared: declared)
        for index in fields.indices {
            let field = fields[index]
            switch field.slot {
            case .parameter(let parameter):
                if field.text.isEmpty {
                    fields[index].error = parameter.required ? "required" : nil
                } else {
                    let prefix = "parameters.\(parameter.name)"
                    fields[index].error = problems.first { $0.hasPrefix(prefix + ":") || $0.hasPrefix(prefix + ".") }.map {
                        String($0.dropFirst(prefix.count).drop { $0 == ":" || $0 == " " })
                    }
                }
            case .tags:
                fields[index].error = nil
            case .start:
                fields[index].error = Self.start(field.text, now: now) == nil ? "not now, a delay (10m) or an ISO 8601 time" : nil
            }
        }
    }

    static func tags(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    /// `.some(nil)` for now; nil when the text is no time.
    static func start(_ text: String, now: Date) -> Date?? {
        let text = text.trimmed
        if text.isEmpty || text == "now" { return .some(nil) }
        if let delay = TimeWindow(text) { return now.addingTimeInterval(Double(delay.seconds)) }
        if let date = PrefectDate.parse(text) { return date }
        return nil
    }

    /// Space on a boolean or a choice: the next value.
    mutating func cycle() {
        guard case .parameter(let parameter) = fields[focus].slot else { return }
        let values: [String] =
            switch parameter.kind {
            case .boolean: ["true", "false"]
            case .choice(let choices): choices
            default: []
            }
        guard !values.isEmpty else { return }
        let next = values.firstIndex(of: fields[focus].text).map { (values.index(after: $0)) % values.count } ?? 0
        fields[focus].text = values[next]
    }

    /// Whether Space types a space (text and JSON fields) rather than cycling the value.
    var spaceCycles: Bool {
        guard case .parameter(let parameter) = fields[focus].slot else { return false }
        switch parameter.kind {
        case .boolean, .choice: return true
        default: return false
        }
    }
}
