package import FoundationEssentials
import Synchronization

/// Reads a client keeps between answers, for a short while, because they change slowly and cost the most
/// requests: each pool's workers (Prefect reads them one pool at a time) and the server's versions.
///
/// ``SharedReads`` shares a read between the parts of one answer; this shares it between answers. A read under way
/// is shared too: two answers that ask for the same pool's workers at once send one request.
package final class KeptReads: Sendable {
    /// How long the server's versions are kept: an upgrade shows within this long.
    static let versionsMaxAge: TimeInterval = 600

    /// What a pool's kept workers were read for: when the pool's status, pause or last update differs now (a worker
    /// coming online turns a pool READY, and Prefect updates the pool), the workers are read again at once.
    struct PoolKey: Equatable {
        var status: String?
        var isPaused: Bool?
        var updated: Date?

        init(_ pool: WorkPool) {
            status = pool.status
            isPaused = pool.isPaused
            updated = pool.updated
        }
    }

    private struct Entry {
        var key: PoolKey
        var readAt: Date
        var serial: Int
        var task: Task<[Worker], any Error>
        /// The workers, once the read has answered.
        var value: [Worker]?
        /// A renewal in the background is under way (``WorkerReads/servedWhileRenewing``).
        var renewing = false
    }

    private struct Versions {
        var version: String?
        var apiVersion: String?
        var readAt: Date
    }

    private let workers = Mutex<[String: Entry]>([:])
    private let versions = Mutex<Versions?>(nil)
    private let serials = Atomic(0)

    package init() {}

    /// The workers of each of `pools`, in order: kept ones while `policy` allows, the rest read with `read`.
    /// `renewals` is what is left of the answer's ``WorkerReads/refreshLimit`` (the parts of one answer share it).
    /// Workers older than ``WorkerReads/maxAge`` but within ``WorkerReads/servedWhileRenewing`` are answered as they
    /// are while their renewal runs in the background, so that the next answer has them fresh and none waits.
    func workers(
        of pools: [WorkPool], policy: WorkerReads, renewals: WorkerReads.Renewals, now: Date,
        read: @escaping @Sendable (String) async throws -> [Worker]
    ) async throws -> [[Worker]] {
        let tasks = workers.withLock { entries in
            // Never read, or read for another state of the pool: read now. Merely old: the stalest first, as many as
            // the answer may still renew.
            let old = pools.filter { pool in
                guard let entry = entries[pool.name], entry.key == PoolKey(pool) else { return false }
                return now.timeIntervalSince(entry.readAt) >= policy.maxAge
            }
            let stalest = old.sorted { entries[$0.name]!.readAt < entries[$1.name]!.readAt }
            let renewed = Set(stalest.prefix(renewals.take(upTo: stalest.count)).map(\.name))
            return pools.map { pool -> Task<[Worker], any Error> in
                if let entry = entries[pool.name], entry.key == PoolKey(pool) {
                    if !renewed.contains(pool.name) { return entry.task }
                    // Old but still young enough to answer with: renewed behind the answer.
                    if entry.value != nil, now.timeIntervalSince(entry.readAt) < policy.servedWhileRenewing {
                        if !entry.renewing {
                            entries[pool.name]?.renewing = true
                            renewInBackground(pool, after: entry.serial, now: now, read: read)
                        }
                        return entry.task
                    }
                }
                let serial = serials.add(1, ordering: .relaxed).newValue
                let task = Task {
                    do {
                        let answer = try await read(pool.name)
                        self.workers.withLock { entries in
                            if entries[pool.name]?.serial == serial { entries[pool.name]?.value = answer }
                        }
                        return answer
                    } catch {
                        // A failed read is not kept, whoever awaits it: the next answer asks again.
                        self.workers.withLock { entries in
                            if entries[pool.name]?.serial == serial { entries[pool.name] = nil }
                        }
                        throw error
                    }
                }
                entries[pool.name] = Entry(key: PoolKey(pool), readAt: now, serial: serial, task: task)
                return task
            }
        }
        var answers: [[Worker]] = []
        for task in tasks { answers.append(try await task.value) }
        return answers
    }

    /// Reads a pool's workers again without anyone waiting, in place of those of read `serial` when they are still
    /// kept; a failed renewal leaves them as they were, for the next answer to try again.
    private func renewInBackground(
        _ pool: WorkPool, after serial: Int, now: Date, read: @escaping @Sendable (String) async throws -> [Worker]
    ) {
        let renewal = serials.add(1, ordering: .relaxed).newValue
        Task {
            let answer: [Worker]
            do {
                answer = try await read(pool.name)
            } catch {
                workers.withLock { entries in
                    if entries[pool.name]?.serial == serial { entries[pool.name]?.renewing = false }
                }
                return
            }
            workers.withLock { entries in
                guard entries[pool.name]?.serial == serial else { return }
                entries[pool.name] = Entry(key: PoolKey(pool), readAt: now, serial: renewal, task: Task { answer }, value: answer)
            }
        }
    }

    /// Forgets a pool's workers (an event said one started or stopped): the next answer reads them.
    package func forgetWorkers(inPool pool: String) {
        _ = workers.withLock { entries in entries.removeValue(forKey: pool) }
    }

    /// The versions read less than ``versionsMaxAge`` ago, if any.
    func keptVersions(now: Date) -> (version: String?, apiVersion: String?)? {
        versions.withLock { kept in
            guard let kept, now.timeIntervalSince(kept.readAt) < Self.versionsMaxAge else { return nil }
            return (kept.version, kept.apiVersion)
        }
    }

    func keep(version: String?, apiVersion: String?, now: Date) {
        versions.withLock { $0 = Versions(version: version, apiVersion: apiVersion, readAt: now) }
    }
}

/// How old a pool's kept workers (``KeptReads``) may be in an answer.
package struct WorkerReads: Sendable, Equatable {
    /// Workers read longer ago than this are read again: half a worker's heartbeat interval (30 s), so an answer's
    /// online count and last heartbeat are never more than one heartbeat behind.
    package var maxAge: TimeInterval
    /// At most this many pools whose workers are merely old are read again in one answer, the stalest first. A pool
    /// whose workers were never read, or whose status changed since, is always read.
    package var refreshLimit: Int
    /// Workers older than ``maxAge`` but younger than this are answered while a renewal runs in the background; an
    /// answer waits for a read only when they are older (or were never read, or their pool changed). Equal to
    /// ``maxAge``: no renewal in the background.
    package var servedWhileRenewing: TimeInterval

    package init(maxAge: TimeInterval = 15, refreshLimit: Int = .max, servedWhileRenewing: TimeInterval? = nil) {
        self.maxAge = maxAge
        self.refreshLimit = refreshLimit
        self.servedWhileRenewing = max(maxAge, servedWhileRenewing ?? maxAge)
    }

    /// What tools and commands answer with: every pool's workers renewed once 15 s old, and never older than 30 s
    /// (a worker's heartbeat interval); between the two they are answered while renewed in the background.
    package static let fresh = WorkerReads(servedWhileRenewing: 30)

    /// What one answer may still renew of ``refreshLimit``.
    final class Renewals: Sendable {
        private let left: Mutex<Int>

        init(_ policy: WorkerReads) {
            left = Mutex(policy.refreshLimit)
        }

        /// Up to `wanted` renewals, taken from what is left.
        func take(upTo wanted: Int) -> Int {
            left.withLock { left in
                let taken = min(left, wanted)
                left -= taken
                return taken
            }
        }
    }
}

extension PrefectClient {
    /// The workers of each of `pools`, in order, kept between answers (``KeptReads``) as the answer's `shared`
    /// policy allows (``SharedReads/workerPolicy``; without it, ``WorkerReads/fresh``).
    func workers(of pools: [WorkPool], shared: SharedReads? = nil) async throws -> [[Worker]] {
        let policy = shared?.workerPolicy ?? .fresh
        let renewals = shared?.workerRenewals ?? WorkerReads.Renewals(policy)
        return try await kept.workers(of: pools, policy: policy, renewals: renewals, now: Date()) { pool in
            try await self.workers(inPool: pool)
        }
    }
}
