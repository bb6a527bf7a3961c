/// A concurrency limit, whichever API it came from, with its real occupancy.
package struct ConcurrencyLimitSummary: Codable, Sendable, Hashable {
    package enum Kind: String, Codable, Sendable {
        /// A v1 tag limit (binds task runs with the tag).
        case tag
        /// A deployment's own limit (v2, named `deployment:<id>`).
        case deployment
        /// Any other v2 global limit.
        case global
    }

    package var id: String
    package var name: String
    package var kind: Kind
    package var limit: Int
    package var activeSlots: Int
    package var active: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, kind, limit, active, full
        case activeSlots = "active_slots"
    }

    /// Every slot is taken: runs waiting on it stay Late or Pending.
    package var isFull: Bool { active && activeSlots >= limit }

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
    /// v1 and v2 limits, fetched concurrently and de-duplicated by id.
    package func concurrencyLimits() async throws -> [ConcurrencyLimitSummary] {
        let (tags, globals) = try await rawConcurrencyLimits()
        return ConcurrencyLimitSummary.merge(tags: tags, globals: globals)
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
