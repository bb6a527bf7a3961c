import FoundationEssentials
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
