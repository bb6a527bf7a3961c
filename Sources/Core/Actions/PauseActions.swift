import FoundationEssentials
import JSONValue

extension PrefectActions {
    /// Pauses (`paused: true`) or resumes a deployment, by id or `flow/deployment`: a paused deployment's schedules
    /// make no runs and its runs are not picked up.
    package func setDeploymentPaused(_ idOrSlug: String, paused: Bool, dryRun: Bool) async throws -> ActionOutcome {
        let deployment = try await client.deployment(idOrSlug: idOrSlug)
        let flowName = await client.flowName(id: deployment.flowID)
        let target = Deployment.slug(flowName: flowName, deploymentName: deployment.name)
        let endpoint = paused ? PrefectAPI.pauseDeployment(id: deployment.id) : PrefectAPI.resumeDeployment(id: deployment.id)
        return try await perform(paused ? "pause_deployment" : "resume_deployment", target: target, endpoint, dryRun: dryRun) { _, _ in
            (nil, paused ? "PAUSED" : "ACTIVE", paused ? "Paused: its schedules make no runs until it is resumed." : "Resumed.")
        }
    }

    /// Pauses or resumes a work pool: a paused pool hands no runs to its workers.
    package func setWorkPoolPaused(_ name: String, paused: Bool, dryRun: Bool) async throws -> ActionOutcome {
        let pool = try await client.send(PrefectAPI.workPool(name: name))
        let endpoint = PrefectAPI.updateWorkPool(name: pool.name, PauseUpdate(isPaused: paused))
        return try await perform(paused ? "pause_work_pool" : "resume_work_pool", target: pool.name, endpoint, dryRun: dryRun) { _, _ in
            (nil, paused ? "PAUSED" : "READY", paused ? "Paused: its workers get no runs until it is resumed." : "Resumed.")
        }
    }

    /// Pauses or resumes a work queue of a pool.
    package func setWorkQueuePaused(pool: String, queue: String, paused: Bool, dryRun: Bool) async throws -> ActionOutcome {
        let queues = try await client.workQueues(inPool: pool)
        guard let found = queues.first(where: { $0.name == queue }) else {
            let names = queues.map(\.name).sorted().joined(separator: ", ")
            throw ActionRefused(description: "Work pool '\(pool.echoed)' has no queue '\(queue.echoed)'; its queues: \(names).")
        }
        let endpoint = PrefectAPI.updateWorkQueue(id: found.id, PauseUpdate(isPaused: paused))
        return try await perform(paused ? "pause_work_queue" : "resume_work_queue", target: "\(pool)/\(queue)", endpoint, dryRun: dryRun) {
            _, _ in (nil, paused ? "PAUSED" : "READY", paused ? "Paused: its runs wait until it is resumed." : "Resumed.")
        }
    }
}
