import Synchronization

/// Reads that two parts of one answer both need, each sent once: the part that asks first sends it, the other awaits
/// the same answer. The dashboard's overview shares one between its status and its late-run diagnosis, which read
/// the same pools and the same Late runs while they run side by side. Workers are shared through the client's
/// ``KeptReads``, which both parts ask with the same ``workerPolicy``.
package final class SharedReads: Sendable {
    private let pools = Mutex<Task<[WorkPool], any Error>?>(nil)
    private let live = Mutex<Task<[FlowRun]?, any Error>?>(nil)
    /// How old the pools' kept workers may be in this answer.
    package let workerPolicy: WorkerReads
    /// What is left of the policy's renewals, for all parts of this answer together.
    let workerRenewals: WorkerReads.Renewals

    package init(workers: WorkerReads = .fresh) {
        workerPolicy = workers
        workerRenewals = WorkerReads.Renewals(workers)
    }

    /// ``PrefectClient/allWorkPools()``.
    func allPools(_ client: PrefectClient) async throws -> [WorkPool] {
        try await Self.once(pools) { try await client.allWorkPools() }
    }

    /// ``PrefectClient/liveRunsPage()``.
    func liveRunsPage(_ client: PrefectClient) async throws -> [FlowRun]? {
        try await Self.once(live) { try await client.liveRunsPage() }
    }

    private static func once<T: Sendable>(_ slot: borrowing Mutex<Task<T, any Error>?>, _ read: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        let task = slot.withLock { task in
            if let task { return task }
            let started = Task { try await read() }
            task = started
            return started
        }
        return try await value(of: task)
    }

    /// The task's answer; a caller cancelled cancels the read (the parts of one answer are cancelled together).
    private static func value<T: Sendable>(of task: Task<T, any Error>) async throws -> T {
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}

extension PrefectClient {
    /// Every work pool, through `shared` when given.
    func allWorkPools(shared: SharedReads? = nil) async throws -> [WorkPool] {
        if let shared { return try await shared.allPools(self) }
        return try await allPages { offset in
            try await self.send(PrefectAPI.workPools(WorkPoolsQuery(limit: PageLimit.maximum, offset: offset)))
        }
    }

    /// ``liveRunsPage()``, through `shared` when given.
    func liveRunsPage(shared: SharedReads?) async throws -> [FlowRun]? {
        if let shared { return try await shared.liveRunsPage(self) }
        return try await liveRunsPage()
    }
}
