package import FoundationEssentials

/// A work pool with what serves it and what waits in it: workers with heartbeat ages, queues, late and active runs.
package struct WorkPoolDetail: Codable, Sendable, Equatable {
    package var health: ServerStatus.WorkPoolHealth
    package var description: String?
    package var workers: [WorkerInfo]
    package var queues: [QueueInfo]
    package var uiURL: String

    package struct WorkerInfo: Codable, Sendable, Equatable {
        package var name: String
        package var status: String?
        package var lastHeartbeat: Date?
        package var heartbeatAgeSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case name, status
            case lastHeartbeat = "last_heartbeat"
            case heartbeatAgeSeconds = "heartbeat_age_seconds"
        }
    }

    package struct QueueInfo: Codable, Sendable, Equatable {
        package var name: String
        package var status: String?
        package var isPaused: Bool
        package var concurrencyLimit: Int?
        package var priority: Int?
        package var lastPolled: Date?

        enum CodingKeys: String, CodingKey {
            case name, status, priority
            case isPaused = "is_paused"
            case concurrencyLimit = "concurrency_limit"
            case lastPolled = "last_polled"
        }
    }

    enum CodingKeys: String, CodingKey {
        case description, workers, queues
        case uiURL = "ui_url"
    }

    /// The health fields flat beside the details.
    package func encode(to encoder: any Encoder) throws {
        try health.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(description, forKey: .description)
        try container.encode(workers, forKey: .workers)
        try container.encode(queues, forKey: .queues)
        try container.encode(uiURL, forKey: .uiURL)
    }

    package init(from decoder: any Decoder) throws {
        health = try ServerStatus.WorkPoolHealth(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        workers = try container.decode([WorkerInfo].self, forKey: .workers)
        queues = try container.decode([QueueInfo].self, forKey: .queues)
        uiURL = try container.decode(String.self, forKey: .uiURL)
    }

    package init(health: ServerStatus.WorkPoolHealth, description: String?, workers: [WorkerInfo], queues: [QueueInfo], uiURL: String) {
        self.health = health
        self.description = description
        self.workers = workers
        self.queues = queues
        self.uiURL = uiURL
    }
}

extension PrefectClient {
    /// Pools matching `filter`, each with workers, queues, late and active run counts.
    ///
    /// Prefect reads workers one pool at a time, so each pool costs one request unless the client kept its workers
    /// (``KeptReads``, at most 15 s); the rest is read across pools, beside the pool list: the late and active runs
    /// of the pools matching `filter` (``LiveRunCounts``) and, without a filter, every queue.
    package func workPoolDetails(filter: WorkPoolFilter? = nil, ui: URL, now: Date = Date()) async throws -> [WorkPoolDetail] {
        async let live = liveRunsPage(in: filter)
        async let everyQueue = filter == nil ? try await everyQueuePage() : nil
        let pools = try await allPages { offset in
            try await self.send(PrefectAPI.workPools(WorkPoolsQuery(workPools: filter, limit: PageLimit.maximum, offset: offset)))
        }
        async let workers = self.workers(of: pools)
        let queues = try await workQueues(inPools: pools, everyQueue: try await everyQueue)
        let counts = try await liveRunCounts(page: live, pools: pools.map(\.name))
        return try await WorkPoolDetail.details(of: pools, workers: workers, queues: queues, runs: counts, ui: ui, now: now)
    }

    /// One page of pools matching `filter`, with their details.
    package func workPoolDetails(filter: WorkPoolFilter?, limit: Int, offset: Int, ui: URL, now: Date) async throws -> Page<WorkPoolDetail> {
        async let live = liveRunsPage(in: filter)
        async let everyQueue = filter == nil ? try await everyQueuePage() : nil
        let page = try await self.page(limit: limit, offset: offset) { size, offset in
            try await self.send(PrefectAPI.workPools(WorkPoolsQuery(workPools: filter, limit: size, offset: offset)))
        }
        async let workers = self.workers(of: page.items)
        let queues = try await workQueues(inPools: page.items, everyQueue: try await everyQueue)
        let counts = try await liveRunCounts(page: live, pools: page.items.map(\.name))
        let details = try await WorkPoolDetail.details(of: page.items, workers: workers, queues: queues, runs: counts, ui: ui, now: now)
        return Page(items: details, truncated: page.truncated, nextOffset: page.nextOffset)
    }

    /// Every worker of a pool, all pages: the pool's health and the late-run diagnosis count from the same list.
    package func workers(inPool pool: String) async throws -> [Worker] {
        try await allPages { offset in
            try await self.send(PrefectAPI.workers(pool: pool, WorkersQuery(limit: PageLimit.maximum, offset: offset)))
        }
    }

    /// Every work queue of a pool, all pages.
    package func workQueues(inPool pool: String) async throws -> [WorkQueue] {
        try await allPages { offset in
            try await self.send(PrefectAPI.workQueues(pool: pool, WorkQueuesQuery(limit: PageLimit.maximum, offset: offset)))
        }
    }
}

extension ServerStatus.WorkPoolHealth {
    /// A pool's health from its workers and its live run counts.
    init(pool: WorkPool, workers: [Worker], runs: LiveRunCounts) {
        self.init(
            name: pool.name, type: pool.type, status: pool.status, isPaused: pool.isPaused ?? false,
            concurrencyLimit: pool.concurrencyLimit, workers: workers.count, onlineWorkers: workers.onlineCount,
            lastHeartbeat: workers.freshestHeartbeat, lateRuns: runs.late, activeRuns: runs.active
        )
    }
}

extension WorkPoolDetail {
    /// Each pool with its workers and queues (both by pool, in the pools' order for workers) and its run counts.
    static func details(
        of pools: [WorkPool], workers: [[Worker]], queues: [String: [WorkQueue]], runs: [String: LiveRunCounts], ui: URL, now: Date
    ) -> [WorkPoolDetail] {
        zip(pools, workers).map { pool, workers in
            WorkPoolDetail(pool: pool, workers: workers, queues: queues[pool.name] ?? [], runs: runs[pool.name] ?? LiveRunCounts(), ui: ui, now: now)
        }
    }

    init(pool: WorkPool, workers: [Worker], queues: [WorkQueue], runs: LiveRunCounts, ui: URL, now: Date) {
        self.init(
            health: ServerStatus.WorkPoolHealth(pool: pool, workers: workers, runs: runs),
            description: pool.description,
            workers: workers.map { worker in
                WorkPoolDetail.WorkerInfo(
                    name: worker.name, status: worker.status, lastHeartbeat: worker.lastHeartbeatTime,
                    heartbeatAgeSeconds: worker.lastHeartbeatTime.map { (now.timeIntervalSince($0) * 10).rounded() / 10 })
            },
            queues: queues.sorted { ($0.priority ?? 0, $0.name) < ($1.priority ?? 0, $1.name) }.map { queue in
                WorkPoolDetail.QueueInfo(
                    name: queue.name, status: queue.status, isPaused: queue.isPaused ?? false, concurrencyLimit: queue.concurrencyLimit,
                    priority: queue.priority, lastPolled: queue.lastPolled)
            },
            uiURL: UILinks.workPool(pool.name, ui: ui)
        )
    }
}

extension [Worker] {
    /// Workers Prefect counts as ONLINE.
    package var onlineCount: Int { filter(\.isOnline).count }
    /// The newest heartbeat of any of them.
    package var freshestHeartbeat: Date? { compactMap(\.lastHeartbeatTime).max() }
}
