import Testing

@testable import Core

@Suite("RequestGate: requests wait their turn within their own deadline")
struct RequestGateTests {
    private static func farAway() -> ContinuousClock.Instant { .now + .seconds(60) }

    @Test("Places are handed out first come, first served")
    func order() async throws {
        let gate = RequestGate(capacity: 1)
        try await gate.enter(until: Self.farAway())
        let admitted = OrderLog()
        var waiters: [Task<Void, any Error>] = []
        for index in 0..<3 {
            waiters.append(
                Task {
                    try await gate.enter(until: Self.farAway())
                    await admitted.append(index)
                    gate.leave()
                })
            while gate.waiting < index + 1 { await Task.yield() }  // queued in this order
        }
        gate.leave()
        for waiter in waiters { try await waiter.value }
        #expect(await admitted.items == [0, 1, 2])
        try await gate.enter(until: Self.farAway())  // every place came back
    }

    @Test("A wait that reaches its deadline gives up, says how many waited, and holds no place")
    func expiry() async throws {
        let gate = RequestGate(capacity: 1)
        try await gate.enter(until: Self.farAway())
        await #expect {
            try await gate.enter(until: .now + .milliseconds(50))
        } throws: { error in
            (error as? RequestGate.Expired)?.waiting == 1
        }
        #expect(gate.waiting == 0)
        gate.leave()
        try await gate.enter(until: .now + .milliseconds(50))
    }

    @Test("A cancelled wait leaves the line and holds no place")
    func cancellation() async throws {
        let gate = RequestGate(capacity: 1)
        try await gate.enter(until: Self.farAway())
        let waiter = Task { try await gate.enter(until: Self.farAway()) }
        while gate.waiting == 0 { await Task.yield() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(gate.waiting == 0)
        gate.leave()
        try await gate.enter(until: .now + .milliseconds(50))
    }

    @Test("Many more requests than places all get through")
    func load() async throws {
        let gate = RequestGate(capacity: 4)
        let peak = OrderLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await gate.enter(until: Self.farAway())
                    await peak.append(index)
                    try await Task.sleep(for: .milliseconds(1))
                    await peak.remove(index)
                    gate.leave()
                }
            }
            try await group.waitForAll()
        }
        #expect(await peak.most <= 4)
        #expect(await peak.total == 200)
    }
}

/// Records admissions across tasks.
private actor OrderLog {
    var items: [Int] = []
    var most = 0
    var total = 0
    func append(_ item: Int) {
        items.append(item)
        total += 1
        most = max(most, items.count)
    }
    func remove(_ item: Int) { items.removeAll { $0 == item } }
}
