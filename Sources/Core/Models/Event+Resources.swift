package import FoundationEssentials

/// What Prefect's own events say about the objects they name (`prefect.flow-run.<id>`, with labels and related
/// resources by role): read once here for every face that reacts to events.
extension Event {
    /// The kind and id of a resource id such as `prefect.flow-run.<uuid>` → (`flow-run`, `<uuid>`); nil for ids
    /// outside the `prefect.` namespace or without a kind.
    package static func kindAndID(of resourceID: String) -> (kind: String, id: String)? {
        guard resourceID.hasPrefix("prefect.") else { return nil }
        let rest = resourceID.dropFirst("prefect.".count)
        guard let dot = rest.firstIndex(of: "."), dot != rest.startIndex else { return nil }
        let id = rest[rest.index(after: dot)...]
        return id.isEmpty ? nil : (String(rest[..<dot]), String(id))
    }

    /// The primary resource's kind and id (`flow-run`, `deployment`, `work-pool`, `work-queue`, `worker`, …).
    package var subject: (kind: String, id: String)? { resourceID.flatMap(Self.kindAndID(of:)) }

    /// The related resource of `role` (`flow`, `deployment`, `work-pool`, `work-queue`, `flow-run`): its id without
    /// the `prefect.<kind>.` prefix, and its name when the event gives one.
    package func related(_ role: String) -> (id: String, name: String?)? {
        guard let resource = related?.first(where: { $0["prefect.resource.role"] == role }),
            let full = resource["prefect.resource.id"], let parsed = Self.kindAndID(of: full)
        else { return nil }
        return (parsed.id, resource["prefect.resource.name"])
    }

    /// The pool of a worker that started or stopped (`prefect.worker.started`, `prefect.worker.stopped`, which
    /// workers send themselves); nil for any other event.
    package var workerChangedPool: String? {
        guard event == "prefect.worker.started" || event == "prefect.worker.stopped" else { return nil }
        return related("work-pool")?.name
    }

    /// The new state a `prefect.flow-run.<State>` event announces; nil for any other event.
    package var flowRunState: FlowRunStateChange? {
        guard event.hasPrefix("prefect.flow-run."), let subject, subject.kind == "flow-run" else { return nil }
        return FlowRunStateChange(
            runID: subject.id, stateType: resource["prefect.state-type"], stateName: resource["prefect.state-name"],
            message: resource["prefect.state-message"].flatMap { $0.isEmpty ? nil : $0 },
            timestamp: resource["prefect.state-timestamp"].flatMap { PrefectDate.parse($0) } ?? occurred)
    }
}

/// A flow run's new state as its state event tells it: enough to show the change before the run is read again.
package struct FlowRunStateChange: Sendable, Equatable {
    package var runID: String
    package var stateType: String?
    package var stateName: String?
    package var message: String?
    package var timestamp: Date
}

extension FlowRunRow {
    /// The row with the state `change` announces, when it is about this run; the rest waits for the next read.
    package mutating func apply(_ change: FlowRunStateChange) {
        guard change.runID == id else { return }
        if let type = change.stateType { stateType = type }
        if let name = change.stateName { stateName = name }
        stateMessage = change.message
    }
}

extension FlowRunRow {
    /// The run an event names (its subject or its related `flow-run`), as far as the event tells it: enough to open
    /// the run's detail, which reads the rest.
    package init?(namedBy event: Event) {
        let subject = event.subject
        let run: (id: String, name: String?)
        if let subject, subject.kind == "flow-run" {
            run = (subject.id, event.resourceName)
        } else if let related = event.related("flow-run") {
            run = related
        } else {
            return nil
        }
        let state = event.flowRunState
        self.init(
            id: run.id, name: run.name ?? run.id, flowID: event.related("flow")?.id ?? "", flowName: event.related("flow")?.name,
            deploymentID: event.related("deployment")?.id, deploymentName: event.related("deployment")?.name,
            workPoolName: event.related("work-pool")?.name, workQueueName: event.related("work-queue")?.name,
            stateType: state?.stateType, stateName: state?.stateName, stateMessage: state?.message, expectedStartTime: nil,
            startTime: nil, endTime: nil, durationSeconds: nil, lateBySeconds: nil, runCount: nil, tags: [], parentTaskRunID: nil, uiURL: "")
    }
}
