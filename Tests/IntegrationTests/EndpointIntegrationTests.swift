import Foundation
import JSONValue
import TestSupport
import Testing

@testable import Core

/// Every route decodes what the real server answers, and answers match the seed.
@Suite("Endpoints against the seeded server")
struct EndpointIntegrationTests {
    @Test("Flow runs, task runs, flows and deployments decode, and names match the seed")
    func runsAndDeployments() async throws {
        let seed = try TestServers.seed()
        try await Live.withClient { client, _ in
            async let runs = client.send(PrefectAPI.flowRuns(FlowRunsQuery(sort: .expectedStartTimeDescending, limit: 200)))
            async let late = client.send(PrefectAPI.flowRuns(FlowRunsQuery(flowRuns: .late, sort: .expectedStartTimeAscending)))
            async let tasks = client.send(PrefectAPI.taskRuns(TaskRunsQuery(limit: 200)))
            async let taskCount = client.send(PrefectAPI.countTaskRuns(TaskRunsCount()))
            async let flows = client.send(PrefectAPI.flows(FlowsQuery(sort: .nameAscending)))
            async let deployments = client.send(PrefectAPI.deployments(DeploymentsQuery(limit: 200)))
            async let deploymentCount = client.send(PrefectAPI.countDeployments(DeploymentsCount()))

            #expect(try await runs.count == seed.flowRuns.total)
            let lateRuns = try await late
            #expect(lateRuns.count == seed.flowRuns.late)
            #expect(lateRuns.allSatisfy { $0.isLate })
            #expect(
                Set(lateRuns.map(\.id)) == [
                    seed.runs.lateGPU, seed.runs.lateNoWorker, seed.runs.latePausedPool, seed.runs.latePausedQueue, seed.runs.lateLeaky,
                ])
            #expect(try await tasks.count == taskCount)
            let flowNames = try await flows.map(\.name)
            #expect(flowNames == flowNames.sorted())
            let deploymentList = try await deployments
            #expect(deploymentList.count == seed.deployments.count)
            #expect(try await deploymentCount == seed.deployments.count)
            var names: [String: String] = [:]
            for deployment in deploymentList {
                let flow = try await client.send(PrefectAPI.flow(id: deployment.flowID))
                names["\(flow.name)/\(deployment.name)"] = deployment.id
            }
            #expect(names == seed.deployments)
        }
    }

    @Test("One run by id, its states, and a deployment by flow/deployment name")
    func byID() async throws {
        let seed = try TestServers.seed()
        try await Live.withClient { client, _ in
            let run = try await client.send(PrefectAPI.flowRun(id: seed.runs.failedLongLog.id))
            #expect(run.stateType == .failed)
            let states = try await client.send(PrefectAPI.flowRunStates(flowRunID: run.id))
            #expect(states.last?.type == .failed)
            let id = try #require(seed.deployments["ml-train/gpu"])
            let deployment = try await client.send(PrefectAPI.deployment(flowName: "ml-train", deploymentName: "gpu"))
            #expect(deployment.id == id)
            #expect(deployment.globalConcurrencyLimit?.limit == 1)
        }
    }

    @Test("Pools, workers and queues decode; the paused queue is paused")
    func poolsAndQueues() async throws {
        try await Live.withClient { client, _ in
            let pools = try await client.send(PrefectAPI.workPools(WorkPoolsQuery()))
            #expect(pools.count >= 4)
            let workers = try await client.send(PrefectAPI.workers(pool: "prod-pool", WorkersQuery()))
            #expect(workers.map(\.name) == ["worker-1"])
            #expect(workers.first?.isOnline == true)
            let queues = try await client.send(PrefectAPI.workQueues(pool: "prod-pool", WorkQueuesQuery()))
            #expect(queues.first { $0.name == "paused-queue" }?.isPaused == true)
            let all = try await client.send(PrefectAPI.workQueues(WorkQueuesQuery(workQueues: WorkQueueFilter(name: .init(any: ["critical"])))))
            #expect(all.map(\.name) == ["critical"])
            #expect(try await client.send(PrefectAPI.workPool(name: "paused-pool")).isPaused == true)
        }
    }

    @Test("Automations, artifacts, variables and concurrency limits decode and match the seed")
    func others() async throws {
        let seed = try TestServers.seed()
        try await Live.withClient { client, _ in
            #expect(try await client.send(PrefectAPI.automations(AutomationsQuery())).count == seed.automations)
            #expect(try await client.send(PrefectAPI.artifacts(ArtifactsQuery())).count == seed.artifacts)
            let variables = try await client.send(PrefectAPI.variables(VariablesQuery(sort: .nameAscending)))
            #expect(variables.count == seed.variables)
            #expect(variables.first { $0.name == "batch_size" }?.value == 500)
            let limits = try await client.concurrencyLimits()
            #expect(Set(limits.map(\.id)).count == limits.count, "de-duplicated by id")
            let db = try #require(limits.first { $0.id == seed.concurrency.tagDB.id })
            #expect(db.name == "db" && db.kind == .tag && db.limit == 1)
            let gpu = try #require(limits.first { $0.id == seed.concurrency.deploymentGPU.id })
            #expect(gpu.kind == .deployment && gpu.limit == 1)
            if let slots = seed.concurrency.deploymentGPU.activeSlots { #expect(gpu.activeSlots == slots) }
        }
    }

    @Test("Events: a page decodes, and the next page is followed by token from our own base URL")
    func events() async throws {
        let seed = try TestServers.seed()
        try await Live.withClient { client, _ in
            let now = Date()
            let filter = EventFilter(occurred: .init(since: now.addingTimeInterval(-86_400 * 4), until: now.addingTimeInterval(60)))
            let first = try await client.send(PrefectAPI.events(EventsQuery(filter: filter, limit: 10)))
            #expect(first.events.count == min(10, first.total))
            #expect(first.total >= seed.customEvents)
            let token = try #require(first.nextPageToken, "more than 10 events were seeded, so there is a next page")
            let second = try await client.send(PrefectAPI.events(pageToken: token))
            #expect(Set(second.events.map(\.id)).isDisjoint(with: first.events.map(\.id)))
            let custom = try await client.send(
                PrefectAPI.events(
                    EventsQuery(
                        filter: EventFilter(
                            occurred: filter.occurred, event: .init(prefix: ["acme."])), limit: 50)))
            #expect(custom.total == seed.customEvents)
        }
    }
}
