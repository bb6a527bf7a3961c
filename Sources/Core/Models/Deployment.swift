package import FoundationEssentials
package import JSONValue

/// `DeploymentResponse`: the fields a monitor reads.
package struct Deployment: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var name: String
    package var flowID: String
    package var description: String?
    package var version: String?
    package var paused: Bool?
    package var status: String?
    package var schedules: [DeploymentSchedule]?
    package var globalConcurrencyLimit: GlobalConcurrencyLimit?
    package var concurrencyOptions: JSONValue?
    package var workPoolName: String?
    package var workQueueName: String?
    package var workQueueID: String?
    package var lastPolled: Date?
    package var tags: [String]?
    package var parameters: [String: JSONValue]?
    package var jobVariables: JSONValue?
    package var entrypoint: String?
    package var path: String?
    package var enforceParameterSchema: Bool?
    package var created: Date?
    package var updated: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, description, version, paused, status, schedules, tags, parameters, entrypoint, path, created, updated
        case flowID = "flow_id"
        case globalConcurrencyLimit = "global_concurrency_limit"
        case concurrencyOptions = "concurrency_options"
        case workPoolName = "work_pool_name"
        case workQueueName = "work_queue_name"
        case workQueueID = "work_queue_id"
        case lastPolled = "last_polled"
        case jobVariables = "job_variables"
        case enforceParameterSchema = "enforce_parameter_schema"
    }
}

/// One schedule of a deployment: active or not, and its cron / interval / rrule definition.
extension Deployment {
    /// `flow/deployment`, as Prefect's CLI names a deployment. `FLOW` stands in for a flow name that could not be read
    /// (a deleted flow): a command built from the slug then shows what to fill in rather than an id the CLI rejects.
    package static func slug(flowName: String?, deploymentName: String) -> String {
        "\(flowName ?? "FLOW")/\(deploymentName)"
    }
}

package struct DeploymentSchedule: Codable, Hashable, Sendable {
    package var id: String?
    package var active: Bool?
    package var schedule: JSONValue?
    package var maxScheduledRuns: Int?

    enum CodingKeys: String, CodingKey {
        case id, active, schedule
        case maxScheduledRuns = "max_scheduled_runs"
    }

    /// `cron 0 2 * * * (UTC)`, `every 3600s`, `rrule …`.
    package var summary: String {
        guard let schedule else { return "unknown" }
        if let cron = schedule["cron"]?.stringValue {
            return "cron \(cron)" + (schedule["timezone"]?.stringValue.map { " (\($0))" } ?? "")
        }
        if let interval = schedule["interval"]?.doubleValue {
            return "every \(Duration.seconds(interval).compactDescription)"
        }
        if let rrule = schedule["rrule"]?.stringValue { return "rrule \(rrule)" }
        return "unknown"
    }
}
