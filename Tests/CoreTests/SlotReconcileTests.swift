import Testing

@testable import Core

/// The slots Prefect holds against what occupies a limit: the numbers the diagnosis and get_concurrency_limits share.
@Suite("Concurrency slots against their occupants")
struct SlotReconcileTests {
    static func limit(_ kind: ConcurrencyLimitSummary.Kind, slots: Int, of limit: Int = 2) -> ConcurrencyLimitSummary {
        ConcurrencyLimitSummary(
            id: "l", name: kind == .tag ? "db" : "deployment:0b6c3c3e-1f2a-4d5b-9c8d-7e6f5a4b3c2d", kind: kind, limit: limit, activeSlots: slots,
            active: true)
    }

    @Test("Leaked slots: more held than occupants, with the command that gives back only the leaked ones")
    func leaked() {
        var deployment = Self.limit(.deployment, slots: 2)
        deployment.reconcile(occupiedBy: 1)
        #expect(deployment.slotMismatch == .leaked && deployment.occupiedBy == 1 && deployment.isFull)
        #expect(
            deployment.note?.hasPrefix("Prefect holds 2 of 2 slots but 1 run of the deployment is Pending, Running or Cancelling: 1 slot was") == true
        )
        #expect(
            deployment.note?.hasSuffix(
                "prefect global-concurrency-limit update 'deployment:0b6c3c3e-1f2a-4d5b-9c8d-7e6f5a4b3c2d' --active-slots 1") == true)
        #expect(deployment.deploymentID == "0b6c3c3e-1f2a-4d5b-9c8d-7e6f5a4b3c2d")

        var tag = Self.limit(.tag, slots: 2)
        tag.reconcile(occupiedBy: 0)
        #expect(tag.note?.contains("0 task runs with the tag are running: 2 slots were leaked") == true)
        #expect(tag.note?.hasSuffix("prefect concurrency-limit reset 'db'") == true)
        #expect(tag.deploymentID == nil)
    }

    @Test("Missing slots: fewer held than occupants, and the limit is not full by Prefect's count")
    func missing() {
        var deployment = Self.limit(.deployment, slots: 0, of: 1)
        deployment.reconcile(occupiedBy: 1)
        #expect(deployment.slotMismatch == .missing && !deployment.isFull)
        #expect(deployment.note?.contains("may start more than 1") == true)
    }

    @Test("Agreeing numbers leave no mismatch, and a later agreement clears an earlier one")
    func agreeing() {
        var deployment = Self.limit(.deployment, slots: 1)
        deployment.reconcile(occupiedBy: 3)
        deployment.reconcile(occupiedBy: 1)
        #expect(deployment.slotMismatch == nil && deployment.note == nil && deployment.occupiedBy == 1)
        deployment.deployment = "etl/daily"
        #expect(deployment.displayName == "etl/daily")
    }
}
