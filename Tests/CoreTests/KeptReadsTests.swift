import Foundation
import Synchronization
import Testing

@testable import Core

/// What a client keeps between answers: each pool's workers for a short while, renewed within a per-answer limit,
/// read again at once when the pool changed; never a failed read; one read for answers asking at the same time.
@Suite("Workers and versions kept between answers")
struct KeptReadsTests {
    static func pool(_ name: String, status: String = "READY", updated: TimeInterval = 0) -> WorkPool {
        WorkPool(id: "id-\(name)", name: name, status: status, isPaused: false, updated: Date(timeIntervalSince1970: updated))
    }

    /// Records the reads by pool; each answers one worker whose id is the pool and the read's number (from 1).
    final class Reader: Sendable {
        private let reads = Mutex<[String]>([])
        private let serial = Atomic(0)
        /// Reads that have answered or thrown.
        private let ended = Atomic(0)
        let fail = Atomic(false)
        let delay: Duration

        init(delay: Duration = .zero) {
            self.delay = delay
        }

        var taken: [String] {
            reads.withLock { reads in
                defer { reads = [] }
                return reads
            }
        }

        /// Waits (at most 5 s) until `count` reads have ended: a failed answer does not wait for its other reads,
        /// which go on and are kept if they succeed.
        func awaitEnded(_ count: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(5)
            while ended.load(ordering: .relaxed) < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        }

        func read(_ pool: String) async throws -> [Worker] {
            defer { ended.add(1, ordering: .relaxed) }
            reads.withLock { $0.append(pool) }
            let number = serial.add(1, ordering: .relaxed).newValue
            if delay > .zero { try await Task.sleep(for: delay) }
            if fail.load(ordering: .relaxed) { throw PrefectError.unreachable(url: "http://prefect.test", reason: "down") }
            return [Worker(id: "\(pool)-\(number)", name: "\(pool)-worker")]
        }
    }

    static func ask(
        _ kept: KeptReads, _ pools: [WorkPool], _ reader: Reader, at seconds: TimeInterval, policy: WorkerReads = .fresh,
        renewals: WorkerReads.Renewals? = nil
    ) async throws -> [[Worker]] {
        try await kept.workers(
            of: pools, policy: policy, renewals: renewals ?? WorkerReads.Renewals(policy), now: Date(timeIntervalSince1970: 1_000 + seconds)
        ) { pool in try await reader.read(pool) }
    }

    static let waiting = WorkerReads(maxAge: 15)

    @Test("Kept for 15 s, then read again; a pool whose status or update time changed is read at once")
    func keptWhileFresh() async throws {
        let kept = KeptReads()
        let reader = Reader()
        let pools = [Self.pool("a"), Self.pool("b")]
        let first = try await Self.ask(kept, pools, reader, at: 0, policy: Self.waiting)
        #expect(reader.taken == ["a", "b"] || reader.taken.sorted() == ["a", "b"])
        #expect(try await Self.ask(kept, pools, reader, at: 14.9, policy: Self.waiting) == first)
        #expect(reader.taken.isEmpty)

        let changed = [Self.pool("a", status: "NOT_READY"), Self.pool("b", updated: 5)]
        _ = try await Self.ask(kept, changed, reader, at: 15, policy: Self.waiting)
        #expect(reader.taken.sorted() == ["a", "b"], "both changed since they were read")
        _ = try await Self.ask(kept, changed, reader, at: 30, policy: Self.waiting)
        #expect(reader.taken.sorted() == ["a", "b"], "15 s old")

        kept.forgetWorkers(inPool: "b")
        _ = try await Self.ask(kept, changed, reader, at: 31, policy: Self.waiting)
        #expect(reader.taken == ["b"])
    }

    @Test("Between 15 and 30 s old they are answered while renewed in the background; older, the answer waits")
    func renewedInTheBackground() async throws {
        let kept = KeptReads()
        let reader = Reader(delay: .milliseconds(100))
        let pools = [Self.pool("a")]
        let first = try await Self.ask(kept, pools, reader, at: 0)
        #expect(first.first?.first?.id == "a-1" && reader.taken == ["a"])

        // 20 s old: answered at once with what was kept, while the renewal runs.
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try await Self.ask(kept, pools, reader, at: 20) == first)
        #expect(clock.now - started < .milliseconds(90), "the answer did not wait for the 100 ms read")
        #expect(try await Self.ask(kept, pools, reader, at: 20.05) == first, "one renewal at a time")
        try await reader.awaitEnded(2)
        #expect(reader.taken == ["a"], "one renewal")
        try await Task.sleep(for: .milliseconds(20))
        // The renewal, read at 20 s, is what the next answers get, fresh until 35 s.
        #expect(try await Self.ask(kept, pools, reader, at: 34).first?.first?.id == "a-2")
        #expect(reader.taken.isEmpty)

        // A failed renewal keeps the old workers; the next answer tries again.
        reader.fail.store(true, ordering: .relaxed)
        #expect(try await Self.ask(kept, pools, reader, at: 40).first?.first?.id == "a-2")
        try await reader.awaitEnded(3)
        reader.fail.store(false, ordering: .relaxed)
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await Self.ask(kept, pools, reader, at: 41).first?.first?.id == "a-2")
        try await reader.awaitEnded(4)
        #expect(reader.taken == ["a", "a"])

        // 30 s or older: the answer waits for the read.
        let late = KeptReads()
        _ = try await Self.ask(late, pools, reader, at: 0)
        _ = reader.taken
        let waited = clock.now
        #expect(try await Self.ask(late, pools, reader, at: 30).first?.first?.id != nil)
        #expect(clock.now - waited >= .milliseconds(100))
        #expect(reader.taken == ["a"])
    }

    @Test("A refresh limit renews the stalest pools first; never-read pools are read regardless; one answer shares the limit")
    func renewalLimit() async throws {
        let kept = KeptReads()
        let reader = Reader()
        let pools = ["a", "b", "c", "d", "e"].map { Self.pool($0) }
        let rotating = WorkerReads(maxAge: 15, refreshLimit: 2)
        _ = try await Self.ask(kept, pools, reader, at: 0, policy: rotating)
        #expect(reader.taken.count == 5, "never read: read whatever the limit")

        var renewed: [[String]] = []
        for minute in 1...3 {
            _ = try await Self.ask(kept, pools, reader, at: Double(minute) * 60, policy: rotating)
            renewed.append(reader.taken.sorted())
        }
        #expect(renewed.allSatisfy { $0.count == 2 })
        // Each pool in turn: the five pools are renewed within three refreshes, none twice before all once.
        #expect(Set(renewed[0] + renewed[1]).count == 4 && Set(renewed.flatMap { $0 }) == Set(["a", "b", "c", "d", "e"]))

        // Two parts of one answer share one allowance.
        let shared = WorkerReads.Renewals(rotating)
        _ = try await Self.ask(kept, Array(pools.prefix(3)), reader, at: 600, policy: rotating, renewals: shared)
        _ = try await Self.ask(kept, pools, reader, at: 600, policy: rotating, renewals: shared)
        #expect(reader.taken.count == 2, "two renewals in all")
    }

    @Test("A failed read is not kept; answers asking at once share one read")
    func failuresAndSharing() async throws {
        let kept = KeptReads()
        let reader = Reader(delay: .milliseconds(50))
        let pools = [Self.pool("a")]
        reader.fail.store(true, ordering: .relaxed)
        await #expect(throws: PrefectError.self) { try await Self.ask(kept, pools, reader, at: 0) }
        reader.fail.store(false, ordering: .relaxed)
        #expect(reader.taken == ["a"])

        // When several pools fail at once, none of their failures is kept, not only the first one awaited.
        reader.fail.store(true, ordering: .relaxed)
        let three = [Self.pool("b"), Self.pool("c"), Self.pool("d")]
        await #expect(throws: PrefectError.self) { try await Self.ask(kept, three, reader, at: 0.5) }
        try await reader.awaitEnded(4)  // all three failed, not only the one the answer threw
        reader.fail.store(false, ordering: .relaxed)
        #expect(reader.taken.sorted() == ["b", "c", "d"])
        let recovered = try await Self.ask(kept, three, reader, at: 0.6)
        #expect(recovered.count == 3 && reader.taken.sorted() == ["b", "c", "d"], "each read again")

        async let one = Self.ask(kept, pools, reader, at: 1)
        async let two = Self.ask(kept, pools, reader, at: 1)
        let (first, second) = try await (one, two)
        #expect(first == second && first.first?.first?.id == "a-8")
        #expect(reader.taken == ["a"], "one read for both, and the failed one was read again")
    }

    @Test("Versions are kept ten minutes")
    func versions() {
        let kept = KeptReads()
        let start = Date(timeIntervalSince1970: 1_000)
        #expect(kept.keptVersions(now: start) == nil)
        kept.keep(version: "3.9.1", apiVersion: "0.8.4", now: start)
        #expect(kept.keptVersions(now: start.addingTimeInterval(599))?.version == "3.9.1")
        #expect(kept.keptVersions(now: start.addingTimeInterval(600)) == nil)
    }
}
