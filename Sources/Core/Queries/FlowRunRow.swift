package import FoundationEssentials
import JSONValue

/// A flow run as a person or an assistant reads it: names joined in, times, duration, lateness and a UI link.
package struct FlowRunRow: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    package var id: String
    package var name: String
    package var flowID: String
    package var flowName: String?
    package var deploymentID: String?
    package var deploymentName: String?
    package var workPoolName: String?
    package var workQueueName: String?
    package var stateType: String?
    package var stateName: String?
    package var stateMessage: String?
    package var expectedStartTime: Date?
    package var startTime: Date?
    package var endTime: Date?
    /// Seconds run so far (running) or in all (finished).
    package var durationSeconds: Double?
    /// For Late runs: seconds since the run was expected to start.
    package var lateBySeconds: Double?
    package var runCount: Int?
    package var tags: [String]
    package var parentTaskRunID: String?
    package var uiURL: String

    enum CodingKeys: String, CodingKey {
        case id, name, tags
        case flowID = "flow_id"
        case flowName = "flow_name"
        case deploymentID = "deployment_id"
        case deploymentName = "deployment_name"
        case workPoolName = "work_pool_name"
        case workQueueName = "work_queue_name"
        case stateType = "state_type"
        case stateName = "state_name"
        case stateMessage = "state_message"
        case expectedStartTime = "expected_start_time"
        case startTime = "start_time"
        case endTime = "end_time"
        case durationSeconds = "duration_seconds"
        case lateBySeconds = "late_by_seconds"
        case runCount = "run_count"
        case parentTaskRunID = "parent_task_run_id"
        case uiURL = "ui_url"
    }
}

extension FlowRunRow {
    /// The run's deployment as `flow/deployment` (see ``Deployment/slug(flowName:deploymentName:)``); nil for a run
    /// without one.
    package var deploymentSlug: String? { deploymentName.map { Deployment.slug(flowName: flowName, deploymentName: $0) } }

    /// A row from a run and the names looked up for it.
    package init(_ run: FlowRun, flowName: String?, deploymentName: String?, ui: URL, now: Date) {
        self.init(
            id: run.id, name: run.name, flowID: run.flowID, flowName: flowName,
            deploymentID: run.deploymentID, deploymentName: deploymentName,
            workPoolName: run.workPoolName, workQueueName: run.workQueueName,
            stateType: (run.stateType ?? run.state?.type)?.rawValue, stateName: run.stateName ?? run.state?.name,
            stateMessage: run.state?.message,
            expectedStartTime: run.expectedStartTime, startTime: run.startTime, endTime: run.endTime,
            durationSeconds: run.durationSeconds(at: now),
            lateBySeconds: run.isLate ? run.expectedStartTime.map { max(0, (now.timeIntervalSince($0) * 1000).rounded() / 1000) } : nil,
            runCount: run.runCount, tags: run.tags ?? [], parentTaskRunID: run.parentTaskRunID,
            uiURL: UILinks.flowRun(run.id, ui: ui)
        )
    }
}

extension PrefectClient {
    /// Joins flow and deployment names into runs: one batched request for each (names not yet known to the
    /// client), made concurrently.
    package func rows(for runs: [FlowRun], ui: URL, now: Date = Date()) async throws -> [FlowRunRow] {
        async let namesByFlow = flowNames(ids: runs.map(\.flowID))
        async let namesByDeployment = deploymentNames(ids: runs.compactMap(\.deploymentID))
        let flowNames = try await namesByFlow
        let deploymentNames = try await namesByDeployment
        return runs.map { run in
            FlowRunRow(run, flowName: flowNames[run.flowID], deploymentName: run.deploymentID.flatMap { deploymentNames[$0] }, ui: ui, now: now)
        }
    }
}
