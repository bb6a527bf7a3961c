import JSONValue

/// A concurrency limit, whichever API it came from, with the slots Prefect holds and, when counted, what actually
/// occupies it: the two can disagree (a run forced into Running takes no slot; a process that died holding one
/// leaks it), and Prefect enforces the slots.
package struct ConcurrencyLimitSummary: Codable, Sendable, Hashable, EncodesAbsentAsNull {
    package enum Kind: String, Codable, Sendable {
        /// A v1 tag limit (binds task runs with the tag).
        case tag
        /// A deployment's own limit (v2, named `deployment:<id>`).
        case deployment
        /// Any other v2 global limit.
        case global
    }

    /// How the slots Prefect holds disagree with what occupies the limit.
    package enum SlotMismatch: String, Codable, Sendable {
        /// More slots held than occupants: the extra ones block new runs with nothing running.
        case leaked
        /// Fewer slots held than occupants: Prefect may start more than the limit.
        case missing
    }

    package var id: String
    /// Prefect's name: the tag for a tag limit, `deployment:<id>` for a deployment's limit.
    package var name: String
    package var kind: Kind
    package var limit: Int
    /// The slots Prefect holds: the number it enforces.
    package var activeSlots: Int
    package var active: Bool
    /// For a deployment's limit, the deployment as `flow/deployment`.
    package var deployment: String?
    /// What occupies it, when counted: a deployment's Pending, Running and Cancelling runs; a tag's running task runs.
    package var occupiedBy: Int?
    package var slotMismatch: SlotMismatch?
    /// What a mismatch means and the command that fixes a leak.
    package var note: String?

    enum CodingKeys: String, CodingKey {
        case id, name, kind, limit, active, full, deployment, note
        case activeSlots = "active_slots"
        case occupiedBy = "occupied_by"
        case slotMismatch = "slot_mismatch"
    }

    /// Every slot is taken: runs waiting on it stay Late or Pending.
    package var isFull: Bool { active && activeSlots >= limit }

    /// The deployment's id of a deployment limit.
    package var deploymentID: String? { kind == .deployment ? String(name.dropFirst("deployment:".count)) : nil }

    /// How people name it: the deployment's slug for a deployment's limit, else Prefect's name.
    package var displayName: String { deployment ?? name }

    package init(id: String, name: String, kind: Kind, limit: Int, activeSlots: Int, active: Bool) {
        self.id = id
        self.name = name
        self.kind = kind
        self.limit = limit
        self.activeSlots = activeSlots
        self.active = active
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id), name: try container.decode(String.self, forKey: .name),
            kind: try container.decode(Kind.self, forKey: .kind), limit: try container.decode(Int.self, forKey: .limit),
            activeSlots: try container.decode(Int.self, forKey: .activeSlots), active: try container.decode(Bool.self, forKey: .active))
        deployment = try container.decodeIfPresent(String.self, forKey: .deployment)
        occupiedBy = try container.decodeIfPresent(Int.self, forKey: .occupiedBy)
        slotMismatch = try container.decodeIfPresent(SlotMismatch.self, forKey: .slotMismatch)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }

    /// The stored fields and `full` (``isFull``), so every reader sees whether the limit is full.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(limit, forKey: .limit)
        try container.encode(activeSlots, forKey: .activeSlots)
        try container.encode(active, forKey: .active)
        try container.encode(isFull, forKey: .full)
        try container.encodeIfPresent(deployment, forKey: .deployment)
        try container.encodeIfPresent(occupiedBy, forKey: .occupiedBy)
        try container.encodeIfPresent(slotMismatch, forKey: .slotMismatch)
        try container.encodeIfPresent(note, forKey: .note)
    }

    /// The command that gives back leaked slots, keeping `occupants` held (checked against the pinned prefect CLI).
    package func resetCommand(keeping occupants: Int) -> String {
        switch kind {
        case .tag: "prefect concurrency-limit reset '\(name)'"
        case .deployment, .global: "prefect global-concurrency-limit update '\(name)' --active-slots \(occupants)"
        }
    }

    /// The states in which a run holds its deployment's slot (Prefect takes it on Pending and gives it back on
    /// leaving Pending, Running or Cancelling).
    package static let deploymentSlotStates: [StateType] = [.pending, .running, .cancelling]

    /// Records what occupies the limit, and whether (and how) it disagrees with the slots Prefect holds.
    package mutating func reconcile(occupiedBy occupants: Int) {
        occupiedBy = occupants
        let be = occupants == 1 ? "is" : "are"
        let occupying =
            kind == .tag
            ? "\(occupants) task run\(occupants == 1 ? "" : "s") with the tag \(be) running"
            : "\(occupants) run\(occupants == 1 ? "" : "s") of the deployment \(be) Pending, Running or Cancelling"
        if activeSlots > occupants {
            slotMismatch = .leaked
            note =
                "Prefect holds \(activeSlots) of \(limit) slots but \(occupying): \(activeSlots - occupants) slot"
                + "\(activeSlots - occupants == 1 ? " was" : "s were") leaked (taken by a process or run that ended without giving "
                + "\(activeSlots - occupants == 1 ? "it" : "them") back) and block\(activeSlots - occupants == 1 ? "s" : "") new runs with "
                + "nothing running. Give \(activeSlots - occupants == 1 ? "it" : "them") back: \(resetCommand(keeping: occupants))"
        } else if activeSlots < occupants {
            slotMismatch = .missing
            note =
                "\(occupying) but Prefect holds only \(activeSlots) of \(limit) slots (a run forced into Running "
                + "takes none): Prefect enforces the slots, so it may start more than \(limit)."
        } else {
            slotMismatch = nil
            note = nil
        }
    }
}

extension ConcurrencyLimitSummary {
    /// Merges v1 and v2 limits. Prefect 3 mirrors each v1 tag limit in v2 as `tag:<tag>` with the same id; the
    /// merged entry keeps the v1 tag name and the larger occupancy of the two.
    package static func merge(tags: [TagConcurrencyLimit], globals: [GlobalConcurrencyLimit]) -> [ConcurrencyLimitSummary] {
        var byID: [String: ConcurrencyLimitSummary] = [:]
        var order: [String] = []
        for limit in tags {
            if byID[limit.id] == nil { order.append(limit.id) }
            byID[limit.id] = ConcurrencyLimitSummary(
                id: limit.id, name: limit.tag, kind: .tag, limit: limit.concurrencyLimit,
                activeSlots: limit.activeSlots?.count ?? 0, active: true
            )
        }
        for limit in globals {
            if var existing = byID[limit.id] {
                existing.activeSlots = max(existing.activeSlots, limit.activeSlots ?? 0)
                existing.active = limit.active ?? existing.active
                byID[limit.id] = existing
                continue
            }
            let kind: Kind = limit.name.hasPrefix("deployment:") ? .deployment : limit.name.hasPrefix("tag:") ? .tag : .global
            let name = kind == .tag ? String(limit.name.dropFirst(4)) : limit.name
            order.append(limit.id)
            byID[limit.id] = ConcurrencyLimitSummary(
                id: limit.id, name: name, kind: kind, limit: limit.limit, activeSlots: limit.activeSlots ?? 0, active: limit.active ?? true
            )
        }
        return order.compactMap { byID[$0] }
    }
}

extension PrefectClient {
    /// v1 and v2 limits, fetched concurrently and de-duplicated by id, deployment limits named by their deployment
    /// (one batched lookup, then cached). `reconciled` also counts what occupies each tag and deployment limit and
    /// flags where Prefect's slots disagree: one request for the deployments' runs and one per tag limit.
    package func concurrencyLimits(reconciled: Bool = false) async throws -> [ConcurrencyLimitSummary] {
        let (tags, globals) = try await rawConcurrencyLimits()
        var limits = ConcurrencyLimitSummary.merge(tags: tags, globals: globals)
        let deploymentIDs = limits.compactMap(\.deploymentID)
        async let slugs = (try? await deploymentSlugs(ids: deploymentIDs)) ?? [:]
        if reconciled {
            async let runs =
                deploymentIDs.isEmpty
                ? []
                : allPages { offset in
                    try await self.send(
                        PrefectAPI.flowRuns(
                            FlowRunsQuery(
                                flowRuns: .stateType(ConcurrencyLimitSummary.deploymentSlotStates),
                                deployments: DeploymentFilter(id: AnyNotAny(any: deploymentIDs)), limit: PageLimit.maximum, offset: offset)))
                }
            let tagLimits = limits.filter { $0.kind == .tag }
            async let running = tagLimits.concurrentMap { limit in
                let count = try await self.send(
                    PrefectAPI.countTaskRuns(
                        TaskRunsCount(
                            taskRuns: TaskRunFilter(tags: TagsAllFilter(all: [limit.name]), state: TaskRunStateFilter(type: AnyOf(any: [.running])))))
                )
                return (limit.id, count)
            }
            let byDeployment = Dictionary(grouping: try await runs.compactMap(\.deploymentID), by: { $0 }).mapValues(\.count)
            let byTag = Dictionary(try await running, uniquingKeysWith: { first, _ in first })
            for index in limits.indices {
                if let id = limits[index].deploymentID {
                    limits[index].reconcile(occupiedBy: byDeployment[id] ?? 0)
                } else if let count = byTag[limits[index].id] {
                    limits[index].reconcile(occupiedBy: count)
                }
            }
        }
        let names = await slugs
        for index in limits.indices {
            limits[index].deployment = limits[index].deploymentID.flatMap { names[$0] }
        }
        return limits
    }

    /// Every v1 tag limit (with the task runs holding its slots) and every v2 limit, fetched concurrently.
    func rawConcurrencyLimits() async throws -> (tags: [TagConcurrencyLimit], globals: [GlobalConcurrencyLimit]) {
        async let tags = allPages { offset in
            try await self.send(PrefectAPI.tagConcurrencyLimits(PageQuery(limit: PageLimit.maximum, offset: offset)))
        }
        async let globals = allPages { offset in
            try await self.send(PrefectAPI.globalConcurrencyLimits(PageQuery(limit: PageLimit.maximum, offset: offset)))
        }
        return (try await tags, try await globals)
    }
}
