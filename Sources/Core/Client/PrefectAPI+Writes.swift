package import FoundationEssentials
package import JSONValue

// The routes that change Prefect. Each is marked with how it may be retried (``Endpoint/Write``); only
// ``PrefectActions``, which a ``WritePermission`` opens, sends them.
extension PrefectAPI {
    /// Proposes a state to a flow run; Prefect's orchestration rules accept, reject, abort or delay it.
    package static func setFlowRunState(id: String, _ body: SetStateBody) -> Endpoint<OrchestrationResult> {
        Endpoint(.post, "/flow_runs/{id}/set_state", path: "/flow_runs/\(pathSegment(id))/set_state", body: body, write: .idempotent)
    }

    package static func pauseDeployment(id: String) -> Endpoint<NoContent> {
        Endpoint(.post, "/deployments/{id}/pause_deployment", path: "/deployments/\(pathSegment(id))/pause_deployment", write: .idempotent)
    }

    package static func resumeDeployment(id: String) -> Endpoint<NoContent> {
        Endpoint(.post, "/deployments/{id}/resume_deployment", path: "/deployments/\(pathSegment(id))/resume_deployment", write: .idempotent)
    }

    package static func updateWorkPool(name: String, _ body: PauseUpdate) -> Endpoint<NoContent> {
        Endpoint(.patch, "/work_pools/{name}", path: "/work_pools/\(pathSegment(name))", body: body, write: .idempotent)
    }

    package static func updateWorkQueue(id: String, _ body: PauseUpdate) -> Endpoint<NoContent> {
        Endpoint(.patch, "/work_queues/{id}", path: "/work_queues/\(pathSegment(id))", body: body, write: .idempotent)
    }
}

/// The body of `POST /flow_runs/{id}/set_state`.
package struct SetStateBody: Codable, Sendable, Hashable {
    package struct Proposed: Codable, Sendable, Hashable {
        package var type: StateType
        package var name: String?
        package var message: String?
    }

    package var state: Proposed
    /// Skips the orchestration rules: never used to cancel (it would leave the infrastructure running).
    package var force: Bool

    package init(type: StateType, name: String? = nil, message: String? = nil, force: Bool = false) {
        state = Proposed(type: type, name: name, message: message)
        self.force = force
    }
}

/// The body of a work pool's or work queue's PATCH that pauses or resumes it.
package struct PauseUpdate: Codable, Sendable, Hashable {
    package var isPaused: Bool

    enum CodingKeys: String, CodingKey {
        case isPaused = "is_paused"
    }

    package init(isPaused: Bool) {
        self.isPaused = isPaused
    }
}

/// Prefect's answer to a proposed state.
package struct OrchestrationResult: Codable, Sendable, Hashable {
    /// `ACCEPT`, `REJECT`, `ABORT` or `WAIT`.
    package var status: String
    /// The run's state after the proposal (the accepted one, or the one Prefect kept).
    package var state: State?
    /// Why, for anything but ACCEPT (`reason`, and `delay_seconds` for WAIT).
    package var details: JSONValue?
}

extension PrefectAPI {
    /// Creates a run of a deployment. Once only, unless it carries an idempotency key (then Prefect returns the run
    /// the key already made, so a retry is safe); ``PrefectActions/runDeployment(_:_:dryRun:)`` always sends one.
    package static func createFlowRun(deploymentID: String, _ body: DeploymentRunBody) -> Endpoint<FlowRun> {
        Endpoint(
            .post, "/deployments/{id}/create_flow_run", path: "/deployments/\(pathSegment(deploymentID))/create_flow_run", body: body,
            write: body.idempotencyKey == nil ? .once : .idempotent)
    }
}

package struct DeploymentParameters: Decodable, Sendable, Equatable {
    package var parameters: [String: JSONValue]?
    /// JSON Schema of the flow's parameters; `{}` when the flow was never inspected.
    package var parameterOpenAPISchema: JSONValue?
    package var enforceParameterSchema: Bool?

    enum CodingKeys: String, CodingKey {
        case parameters
        case parameterOpenAPISchema = "parameter_openapi_schema"
        case enforceParameterSchema = "enforce_parameter_schema"
    }
}

package struct WorkPoolTemplate: Decodable, Sendable {
    package var name: String
    package var baseJobTemplate: JSONValue?

    enum CodingKeys: String, CodingKey {
        case name
        case baseJobTemplate = "base_job_template"
    }
}

/// The body of `POST /deployments/{id}/create_flow_run`: every key Prefect takes, the unused ones left out.
package struct DeploymentRunBody: Codable, Sendable, Hashable {
    package struct ProposedState: Codable, Sendable, Hashable {
        package struct Details: Codable, Sendable, Hashable {
            package var scheduledTime: Date
            enum CodingKeys: String, CodingKey { case scheduledTime = "scheduled_time" }
        }

        package var type: StateType
        package var stateDetails: Details?
        enum CodingKeys: String, CodingKey {
            case type
            case stateDetails = "state_details"
        }
    }

    package var name: String?
    /// Only the parameters given: Prefect fills in the deployment's defaults itself.
    package var parameters: [String: JSONValue]?
    package var state: ProposedState?
    package var tags: [String]?
    package var idempotencyKey: String?
    package var workQueueName: String?
    package var jobVariables: [String: JSONValue]?
    package var enforceParameterSchema: Bool?
    package var context: JSONValue?
    package var labels: JSONValue?
    package var parentTaskRunID: String?
    package var empiricalPolicy: JSONValue?
    package var infrastructureDocumentID: String?

    enum CodingKeys: String, CodingKey {
        case name, parameters, state, tags, context, labels
        case idempotencyKey = "idempotency_key"
        case workQueueName = "work_queue_name"
        case jobVariables = "job_variables"
        case enforceParameterSchema = "enforce_parameter_schema"
        case parentTaskRunID = "parent_task_run_id"
        case empiricalPolicy = "empirical_policy"
        case infrastructureDocumentID = "infrastructure_document_id"
    }
}
