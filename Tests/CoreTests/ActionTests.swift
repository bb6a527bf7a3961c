import Foundation
import JSONValue
import Synchronization
import TestSupport
import Testing

@testable import Core

/// The writes, over a fake server: what is sent (and, for a dry run, that nothing is), what is refused before
/// anything is sent, and which writes may be retried.
@Suite("Actions: writes behind a permission")
struct ActionTests {
    static let permission = WritePermission(source: "--allow-writes")

    /// A fake Prefect with one run in `state`, one pool with queues, answering set_state with `status`.
    static func server(
        state: StateType, stateName: String, status: String = "ACCEPT", then accepted: StateType = .cancelling, deployment: String? = "d-1"
    ) throws -> FakeTransport {
        var run = try DecodingTests.decode([FlowRun].self, "flow_runs")[0]
        run.stateType = state
        run.stateName = stateName
        run.deploymentID = deployment
        let runJSON = try JSONCoding.encode(run).jsonText
        let pool = try JSONCoding.encode(try DecodingTests.decode([WorkPool].self, "work_pools")[0]).jsonText
        let queues = try JSONCoding.encode(try DecodingTests.decode([WorkQueue].self, "work_queues")).jsonText
        return FakeTransport { request, _ in
            let path = request.url.path
            let body: String =
                if request.method == "GET" && path.contains("/flow_runs/") {
                    runJSON
                } else if path.hasSuffix("/set_state") {
                    #"{"status":"\#(status)","state":{"type":"\#(accepted.rawValue)","name":"x"},"details":{"reason":"not now"}}"#
                } else if request.method == "GET" && path.contains("/work_pools/") {
                    pool
                } else if path.hasSuffix("/queues/filter") {
                    queues
                } else {
                    "null"
                }
            return HTTPResponseData(status: 200, headers: [], body: Data(body.utf8))
        }
    }

    static func writes(_ transport: FakeTransport) -> [HTTPRequestData] {
        transport.requests.filter { $0.method == "PATCH" || $0.url.path.hasSuffix("/set_state") || $0.url.path.contains("_deployment") }
    }

    @Test("Cancel proposes CANCELLING without force, and reports the state Prefect accepted")
    func cancel() async throws {
        let transport = try Self.server(state: .running, stateName: "Running")
        let run = try DecodingTests.decode([FlowRun].self, "flow_runs")[0]
        let outcome = try await PrefectClient.fake(transport).actions(Self.permission).cancelFlowRun(idOrName: run.id, dryRun: false)
        let write = try #require(Self.writes(transport).first)
        #expect(Self.writes(transport).count == 1 && write.method == "POST" && write.url.path.hasSuffix("/flow_runs/\(run.id)/set_state"))
        let body = try JSONCoding.decode(JSONValue.self, from: write.body ?? Data())
        #expect(body == ["force": false, "state": ["type": "CANCELLING", "message": "Cancellation requested through prefect-mcp"]])
        #expect(outcome.status == "ACCEPT" && outcome.state == "CANCELLING" && !outcome.dryRun)
        #expect(outcome.message.hasPrefix("Cancelling: the worker or process that runs it must now stop it"))
        let expected = try PrefectActions.planned(
            PrefectAPI.setFlowRunState(id: run.id, SetStateBody(type: .cancelling, message: "Cancellation requested through prefect-mcp")))
        #expect(outcome.requests == [expected])
    }

    @Test("A dry run sends no write and shows the exact request")
    func dryRun() async throws {
        let transport = try Self.server(state: .running, stateName: "Running")
        let run = try DecodingTests.decode([FlowRun].self, "flow_runs")[0]
        let outcome = try await PrefectClient.fake(transport).actions(Self.permission).cancelFlowRun(idOrName: run.id, dryRun: true)
        #expect(Self.writes(transport).isEmpty)
        #expect(outcome.dryRun && outcome.status == nil)
        let planned = try #require(outcome.requests.first)
        #expect(planned.method == "POST" && planned.path == "/flow_runs/\(run.id)/set_state")
        #expect(planned.body?["state"]?["type"] == "CANCELLING" && planned.body?["force"] == false)
    }

    @Test(
        "A finished or cancelling run is refused before anything is sent, naming its state",
        arguments: [
            (StateType.completed, "Completed"), (.cancelled, "Cancelled"), (.crashed, "Crashed"), (.cancelling, "Cancelling"),
        ])
    func refused(state: StateType, name: String) async throws {
        let transport = try Self.server(state: state, stateName: name)
        let run = try DecodingTests.decode([FlowRun].self, "flow_runs")[0]
        await #expect {
            _ = try await PrefectClient.fake(transport).actions(Self.permission).cancelFlowRun(idOrName: run.id, dryRun: false)
        } throws: { error in
            "\(error)".contains(name == "Cancelling" ? "already Cancelling" : "already \(name): there is nothing to cancel")
        }
        #expect(Self.writes(transport).isEmpty)
    }

    @Test("A rejected proposal is reported with Prefect's reason, not as done")
    func rejected() async throws {
        let transport = try Self.server(state: .scheduled, stateName: "Scheduled", status: "REJECT", then: .scheduled)
        let run = try DecodingTests.decode([FlowRun].self, "flow_runs")[0]
        let outcome = try await PrefectClient.fake(transport).actions(Self.permission).cancelFlowRun(idOrName: run.id, dryRun: false)
        #expect(outcome.status == "REJECT" && outcome.message == "Prefect answered REJECT: not now; the run stays SCHEDULED.")
    }

    @Test("Pausing a pool sends only is_paused, by PATCH; a queue that does not exist is refused with the pool's queues")
    func pause() async throws {
        let transport = try Self.server(state: .running, stateName: "Running")
        let pool = try DecodingTests.decode([WorkPool].self, "work_pools")[0]
        let actions = PrefectClient.fake(transport).actions(Self.permission)
        let outcome = try await actions.setWorkPoolPaused(pool.name, paused: true, dryRun: false)
        let write = try #require(Self.writes(transport).first)
        #expect(write.method == "PATCH" && String(decoding: write.body ?? Data(), as: UTF8.self) == #"{"is_paused":true}"#)
        #expect(outcome.state == "PAUSED" && outcome.target == pool.name)
        await #expect {
            _ = try await actions.setWorkQueuePaused(pool: pool.name, queue: "nope", paused: true, dryRun: false)
        } throws: { error in
            "\(error)".contains("has no queue 'nope'; its queues:")
        }
    }

    @Test("A write that may not be repeated is never retried; an idempotent one is, like a read")
    func retries() async throws {
        for (write, attempts) in [(Endpoint<NoContent>.Write.once, 1), (.idempotent, 3)] {
            let transport = FakeTransport(status: 503, body: "{}")
            let endpoint = Endpoint<NoContent>(.post, "/deployments/{id}/pause_deployment", path: "/deployments/x/pause_deployment", write: write)
            await #expect(throws: PrefectError.self) { _ = try await PrefectClient.fake(transport).send(endpoint) }
            #expect(transport.requests.count == attempts, "\(write)")
        }
    }

    @Test("Retry forces a finished deployment run back to Scheduled, as the prefect CLI does")
    func retry() async throws {
        let transport = try Self.server(state: .failed, stateName: "Failed", then: .scheduled)
        let run = try DecodingTests.decode([FlowRun].self, "flow_runs")[0]
        let outcome = try await PrefectClient.fake(transport).actions(Self.permission).retryFlowRun(idOrName: run.id, dryRun: false)
        let write = try #require(Self.writes(transport).first)
        let body = try JSONCoding.decode(JSONValue.self, from: write.body ?? Data())
        #expect(body == ["force": true, "state": ["type": "SCHEDULED", "message": "Retried through prefect-mcp"]])
        #expect(outcome.state == "SCHEDULED" && outcome.message.hasPrefix("Scheduled again: a worker of"))
    }

    @Test("Retry refuses a run still going, and one without a deployment, before sending anything")
    func retryRefused() async throws {
        let run = try DecodingTests.decode([FlowRun].self, "flow_runs")[0]
        for (transport, expected) in [
            (try Self.server(state: .running, stateName: "Running"), "is Running: only a finished run"),
            (try Self.server(state: .failed, stateName: "Failed", deployment: nil), "has no deployment, so no worker can run it again"),
        ] {
            await #expect {
                _ = try await PrefectClient.fake(transport).actions(Self.permission).retryFlowRun(idOrName: run.id, dryRun: false)
            } throws: { error in
                "\(error)".contains(expected)
            }
            #expect(Self.writes(transport).isEmpty)
        }
    }

    /// A fake Prefect with one deployment whose flow takes `batch_size` (integer) and `date` (string), in a pool whose
    /// job template declares `env` (object).
    static func deploymentServer() throws -> (FakeTransport, Deployment) {
        let deployment = try DecodingTests.decode([Deployment].self, "deployments")[0]
        var object = try JSONCoding.encode(deployment).objectValue ?? [:]
        object["work_pool_name"] = "prod"
        object["parameters"] = ["batch_size": 100, "date": "today"]
        object["parameter_openapi_schema"] = [
            "type": "object", "properties": ["batch_size": ["type": "integer"], "date": ["type": "string"]],
        ]
        let deploymentJSON = JSONValue.object(object).jsonText
        let poolJSON = #"{"name":"prod","base_job_template":{"variables":{"type":"object","properties":{"env":{"type":"object"}}}}}"#
        let runJSON = try JSONCoding.encode(try DecodingTests.decode([FlowRun].self, "flow_runs")[0]).jsonText
        let transport = FakeTransport { request, _ in
            let path = request.url.path
            let body =
                if path.hasSuffix("/create_flow_run") { runJSON } else if path.contains("/work_pools/") {
                    poolJSON
                } else if path.contains("/deployments/") {
                    deploymentJSON
                } else { "[]" }
            return HTTPResponseData(status: 200, headers: [], body: Data(body.utf8))
        }
        return (transport, deployment)
    }

    @Test("Run a deployment: only the given parameters are sent, with tags, job variables and a start time")
    func runDeployment() async throws {
        let (transport, deployment) = try Self.deploymentServer()
        var request = DeploymentRunRequest()
        request.parameters = ["batch_size": 5]
        request.tags = ["adhoc"]
        request.jobVariables = ["env": ["MODE": "backfill"]]
        request.startAt = Date(timeIntervalSince1970: 1_795_000_000)
        let outcome = try await PrefectClient.fake(transport).actions(Self.permission).runDeployment(deployment.id, request, dryRun: false)
        let create = try #require(transport.requests.first { $0.url.path.hasSuffix("/create_flow_run") })
        let body = try JSONCoding.decode(JSONValue.self, from: create.body ?? Data())
        #expect(body["parameters"] == ["batch_size": 5] && body["tags"] == ["adhoc"] && body["job_variables"] == ["env": ["MODE": "backfill"]])
        #expect(body["state"]?["type"] == "SCHEDULED" && body["state"]?["state_details"]?["scheduled_time"]?.stringValue != nil)
        // None given: one minted for this call, so the create may be retried without making two runs.
        #expect(body["idempotency_key"]?.stringValue?.hasPrefix("prefect-mcp-") == true)
        #expect(outcome.flowRunID != nil && outcome.message.hasPrefix("Created "))
    }

    @Test("Run a deployment: bad parameters and job variables are refused by path, and nothing is sent")
    func runDeploymentRefused() async throws {
        let (transport, deployment) = try Self.deploymentServer()
        var request = DeploymentRunRequest()
        request.parameters = ["batch_size": "many", "colour": "red"]
        request.jobVariables = ["env": "x", "image": "y"]
        await #expect {
            _ = try await PrefectClient.fake(transport).actions(Self.permission).runDeployment(deployment.id, request, dryRun: false)
        } throws: { error in
            let text = "\(error)"
            return text.contains("parameters.batch_size: ") && text.contains("parameters.colour: the flow takes no parameter 'colour'")
                && text.contains("job_variables.env: ") && text.contains("job_variables.image: work pool 'prod' has no job variable 'image'")
        }
        #expect(!transport.requests.contains { $0.url.path.hasSuffix("/create_flow_run") })
    }

    @Test("A busy server's 503 on the create is retried with the same key: one run, no error")
    func createRetriedOn503() async throws {
        let (inner, deployment) = try Self.deploymentServer()
        let creates = Mutex(0)
        let transport = FakeTransport { request, index in
            if request.url.path.hasSuffix("/create_flow_run"),
                creates.withLock({ count in
                    count += 1
                    return count == 1
                })
            {
                return HTTPResponseData(status: 503, headers: [], body: Data(#"{"detail":"database is locked"}"#.utf8))
            }
            return try inner.respond(request, index)
        }
        let outcome = try await PrefectClient.fake(transport).actions(Self.permission).runDeployment(
            deployment.id, DeploymentRunRequest(), dryRun: false)
        let sent = transport.requests.filter { $0.url.path.hasSuffix("/create_flow_run") }
        #expect(sent.count == 2 && sent[0].body == sent[1].body, "the retry carries the same minted key")
        #expect(outcome.message.hasPrefix("Created "))
    }

    @Test("An idempotency key makes the create retryable like a read; without one (never from runDeployment) it is sent once")
    func createRetries() {
        #expect(PrefectAPI.createFlowRun(deploymentID: "d", DeploymentRunBody()).write == .once)
        var keyed = DeploymentRunBody()
        keyed.idempotencyKey = "k"
        #expect(PrefectAPI.createFlowRun(deploymentID: "d", keyed).write == .idempotent)
    }
}
