import FoundationEssentials

/// Task runs waiting for a slot of a full tag concurrency limit, by the running flow run they hold up.
///
/// Tag limits bind task runs, not flow runs: a flow run whose task carries a full tag is Running, with that task
/// Pending (or Scheduled as `AwaitingConcurrencySlot`) until a slot frees. So the wait is found from the limits'
/// occupancy: each full tag limit, the task runs holding its slots (v1 `active_slots`), and the not-yet-running task
/// runs with the tag inside Running flow runs.
struct TagLimitWaits: Sendable {
    struct Wait: Sendable {
        var task: TaskRun
        var limit: ConcurrencyLimitSummary
        var holders: [TaskRun]
    }

    /// Waits by flow run id.
    var byFlowRun: [String: [Wait]]
    /// Flow run names of the holders, for messages.
    var holderRunNames: [String: String]

    static let waitingStates: [StateType] = [.pending, .scheduled]

    /// - Parameter flowRunIDs: only these flow runs; nil for every Running flow run.
    static func load(client: PrefectClient, flowRunIDs: [String]? = nil) async throws -> TagLimitWaits {
        let (tags, globals) = try await client.rawConcurrencyLimits()
        let full = ConcurrencyLimitSummary.merge(tags: tags, globals: globals).filter { $0.kind == .tag && $0.isFull }
        guard !full.isEmpty else { return TagLimitWaits(byFlowRun: [:], holderRunNames: [:]) }
        let holderIDs = Dictionary(tags.map { ($0.tag, $0.activeSlots ?? []) }, uniquingKeysWith: { first, _ in first })

        var runs = FlowRunFilter.stateType([.running])
        if let flowRunIDs { runs.id = AnyNotAny(any: flowRunIDs) }
        let scopedRuns = runs
        let perLimit = try await full.concurrentMap { limit in
            async let waiting = client.allPages { offset in
                try await client.send(
                    PrefectAPI.taskRuns(
                        TaskRunsQuery(
                            flowRuns: scopedRuns,
                            taskRuns: TaskRunFilter(
                                tags: TagsAllFilter(all: [limit.name]), state: TaskRunStateFilter(type: AnyOf(any: waitingStates))),
                            sort: .expectedStartTimeAscending, limit: PageLimit.maximum, offset: offset)))
            }
            async let holders = PageLimit.batches(holderIDs[limit.name] ?? []).concurrentMap { batch in
                try await client.send(PrefectAPI.taskRuns(TaskRunsQuery(taskRuns: TaskRunFilter(id: AnyOf(any: batch)), limit: PageLimit.maximum)))
            }.flatMap { $0 }
            return (limit, try await waiting, try await holders)
        }
        var byFlowRun: [String: [Wait]] = [:]
        var holderRunIDs: Set<String> = []
        for (limit, waiting, holders) in perLimit where !waiting.isEmpty {
            holderRunIDs.formUnion(holders.compactMap(\.flowRunID))
            for task in waiting {
                guard let run = task.flowRunID else { continue }
                byFlowRun[run, default: []].append(Wait(task: task, limit: limit, holders: holders))
            }
        }
        var names: [String: String] = [:]
        if !holderRunIDs.isEmpty {
            let holderRuns = try await PageLimit.batches(holderRunIDs).concurrentMap { batch in
                try await client.send(
                    PrefectAPI.flowRuns(FlowRunsQuery(flowRuns: FlowRunFilter(id: AnyNotAny(any: batch)), limit: PageLimit.maximum)))
            }.flatMap { $0 }
            names = Dictionary(holderRuns.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        }
        return TagLimitWaits(byFlowRun: byFlowRun, holderRunNames: names)
    }

    /// One `tag_limit_full` cause per full tag that holds up `flowRunID`'s tasks.
    func causes(forFlowRun flowRunID: String) -> [Cause] {
        let waits = byFlowRun[flowRunID] ?? []
        let byTag = Dictionary(grouping: waits, by: \.limit.name)
        return byTag.keys.sorted().map { tag in
            let waits = byTag[tag]!
            let limit = waits[0].limit
            let tasks = waits.map { "'\($0.task.name)' (\($0.task.stateName ?? $0.task.stateType?.rawValue ?? "?"))" }
            let holders = waits[0].holders.prefix(3).map { holder in
                let run = holder.flowRunID.flatMap { holderRunNames[$0] }.map { " of flow run '\($0)'" } ?? ""
                return "'\(holder.name)'\(run)"
            }
            let held = holders.isEmpty ? "" : ", held by task run\(holders.count == 1 ? "" : "s") " + holders.joined(separator: ", ")
            return Cause(
                "tag_limit_full",
                "Task run\(tasks.count == 1 ? "" : "s") \(tasks.joined(separator: ", ")) wait\(tasks.count == 1 ? "s" : "") for a slot of "
                    + "tag limit '\(tag)': \(limit.activeSlots) of \(limit.limit) taken\(held).",
                fix:
                    "Wait for the holder to finish; prefect concurrency-limit inspect '\(tag)' shows the slots, prefect concurrency-limit "
                    + "reset '\(tag)' frees slots a crashed task left behind, and prefect concurrency-limit create '\(tag)' "
                    + "\(limit.limit + 1) raises the limit"
            )
        }
    }
}
