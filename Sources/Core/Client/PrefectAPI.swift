package import FoundationEssentials
package import JSONValue

/// Every Prefect route this project calls, in one table (as Prefect's `routes.py`). All here are reads; the few
/// writes are in `PrefectAPI+Writes.swift`, marked with ``Endpoint/write``, and only ``PrefectActions`` sends them.
/// Never add `get_scheduled_flow_runs`, `work_queues/{id}/get_runs` or `workers/heartbeat`: they mutate.
package enum PrefectAPI {
    // MARK: - /flow_runs

    package static func flowRuns(_ query: FlowRunsQuery) -> Endpoint<[FlowRun]> {
        Endpoint(.post, "/flow_runs/filter", body: query.clamped())
    }

    package static func countFlowRuns(_ query: FlowRunsCount) -> Endpoint<Int> {
        Endpoint(.post, "/flow_runs/count", body: query)
    }

    package static func flowRunHistory(_ query: FlowRunsHistory) -> Endpoint<[HistoryBucket]> {
        Endpoint(.post, "/flow_runs/history", body: query)
    }

    /// Average lateness in seconds of the matching runs; nil when none.
    package static func flowRunLateness(_ query: FlowRunsCount) -> Endpoint<Double?> {
        Endpoint(.post, "/flow_runs/lateness", body: query)
    }

    package static func flowRun(id: String) -> Endpoint<FlowRun> {
        Endpoint(.get, "/flow_runs/{id}", path: "/flow_runs/\(pathSegment(id))")
    }

    /// The run's state history, oldest first.
    package static func flowRunStates(flowRunID: String) -> Endpoint<[State]> {
        Endpoint(.get, "/flow_run_states/", query: [URLQueryItem(name: "flow_run_id", value: flowRunID)])
    }

    // MARK: - /task_runs

    package static func taskRuns(_ query: TaskRunsQuery) -> Endpoint<[TaskRun]> {
        Endpoint(.post, "/task_runs/filter", body: query.clamped())
    }

    package static func countTaskRuns(_ query: TaskRunsCount) -> Endpoint<Int> {
        Endpoint(.post, "/task_runs/count", body: query)
    }

    // MARK: - /flows

    package static func flows(_ query: FlowsQuery) -> Endpoint<[Flow]> {
        Endpoint(.post, "/flows/filter", body: query.clamped())
    }

    package static func flow(id: String) -> Endpoint<Flow> {
        Endpoint(.get, "/flows/{id}", path: "/flows/\(pathSegment(id))")
    }

    // MARK: - /deployments

    package static func deployments(_ query: DeploymentsQuery) -> Endpoint<[Deployment]> {
        Endpoint(.post, "/deployments/filter", body: query.clamped())
    }

    package static func countDeployments(_ query: DeploymentsCount) -> Endpoint<Int> {
        Endpoint(.post, "/deployments/count", body: query)
    }

    /// A deployment's parameter schema and defaults, read apart: lists never decode the schema.
    package static func deploymentParameters(id: String) -> Endpoint<DeploymentParameters> {
        Endpoint(.get, "/deployments/{id}", path: "/deployments/\(pathSegment(id))")
    }

    /// A work pool's base job template, read apart: the dashboard's pool reads never decode it.
    package static func workPoolTemplate(name: String) -> Endpoint<WorkPoolTemplate> {
        Endpoint(.get, "/work_pools/{name}", path: "/work_pools/\(pathSegment(name))")
    }

    package static func deployment(id: String) -> Endpoint<Deployment> {
        Endpoint(.get, "/deployments/{id}", path: "/deployments/\(pathSegment(id))")
    }

    package static func deployment(flowName: String, deploymentName: String) -> Endpoint<Deployment> {
        Endpoint(
            .get, "/deployments/name/{flow_name}/{deployment_name}",
            path: "/deployments/name/\(pathSegment(flowName))/\(pathSegment(deploymentName))"
        )
    }

    // MARK: - /work_pools, workers, queues

    package static func workPools(_ query: WorkPoolsQuery) -> Endpoint<[WorkPool]> {
        Endpoint(.post, "/work_pools/filter", body: query.clamped())
    }

    package static func workPool(name: String) -> Endpoint<WorkPool> {
        Endpoint(.get, "/work_pools/{name}", path: "/work_pools/\(pathSegment(name))")
    }

    package static func workers(pool: String, _ query: WorkersQuery) -> Endpoint<[Worker]> {
        Endpoint(.post, "/work_pools/{work_pool_name}/workers/filter", path: "/work_pools/\(pathSegment(pool))/workers/filter", body: query.clamped())
    }

    package static func workQueues(pool: String, _ query: WorkQueuesQuery) -> Endpoint<[WorkQueue]> {
        Endpoint(.post, "/work_pools/{work_pool_name}/queues/filter", path: "/work_pools/\(pathSegment(pool))/queues/filter", body: query.clamped())
    }

    package static func workQueues(_ query: WorkQueuesQuery) -> Endpoint<[WorkQueue]> {
        Endpoint(.post, "/work_queues/filter", body: query.clamped())
    }

    // MARK: - /logs

    package static func logs(_ query: LogsQuery) -> Endpoint<[LogEntry]> {
        Endpoint(.post, "/logs/filter", body: query.clamped())
    }

    // MARK: - /events

    package static func events(_ query: EventsQuery) -> Endpoint<EventPage> {
        Endpoint(.post, "/events/filter", body: query.clamped(maximum: PageLimit.eventsMaximum))
    }

    /// The next page, from the token of ``EventPage/nextPageToken`` (the server's absolute URL is not trusted).
    package static func events(pageToken: String) -> Endpoint<EventPage> {
        Endpoint(.get, "/events/filter/next", query: [URLQueryItem(name: "page-token", value: pageToken)])
    }

    // MARK: - /automations, /artifacts, /variables

    package static func automations(_ query: AutomationsQuery) -> Endpoint<[Automation]> {
        Endpoint(.post, "/automations/filter", body: query.clamped())
    }

    package static func artifacts(_ query: ArtifactsQuery) -> Endpoint<[Artifact]> {
        Endpoint(.post, "/artifacts/filter", body: query.clamped())
    }

    package static func variables(_ query: VariablesQuery) -> Endpoint<[Variable]> {
        Endpoint(.post, "/variables/filter", body: query.clamped())
    }

    // MARK: - concurrency limits

    /// v1 tag limits.
    package static func tagConcurrencyLimits(_ query: PageQuery) -> Endpoint<[TagConcurrencyLimit]> {
        Endpoint(.post, "/concurrency_limits/filter", body: query.clamped())
    }

    /// v2 global limits (which include `tag:<tag>` mirrors of v1 limits and `deployment:<id>` limits).
    package static func globalConcurrencyLimits(_ query: PageQuery) -> Endpoint<[GlobalConcurrencyLimit]> {
        Endpoint(.post, "/v2/concurrency_limits/filter", body: query.clamped())
    }

    // MARK: - server

    /// `true` when the API process is up (no auth needed).
    package static let health = Endpoint<Bool>(.get, "/health")
    /// The API version, e.g. `0.8.4`.
    package static let apiVersion = Endpoint<String>(.get, "/version")
    /// The Prefect release, e.g. `3.9.1`.
    package static let serverVersion = Endpoint<String>(.get, "/admin/version")
    /// The server's own settings (self-hosted; secrets come obfuscated). Read for the few that change what a run's
    /// state means, e.g. when the cancellation cleanup gives up on a Cancelling run.
    package static let serverSettings = Endpoint<JSONValue>(.get, "/admin/settings")
    /// Whether the database answers; 503 when it does not.
    package static let ready = Endpoint<ReadyResponse>(.get, "/ready")

    // MARK: - Prefect Cloud, account level

    /// Requests made and granted per minute for each operation group. Relative to the Cloud API root, not the
    /// workspace; Prefect Cloud only, so it is not in the open-source server's OpenAPI document.
    package static func rateLimitUsage(account: String, since: Date, until: Date, keys: [String]) -> Endpoint<RateLimitUsage> {
        var endpoint = Endpoint<RateLimitUsage>(
            .get, "/accounts/{account_id}/rate-limits/usage", path: "/accounts/\(pathSegment(account))/rate-limits/usage",
            query: [URLQueryItem(name: "since", value: PrefectDate.format(since)), URLQueryItem(name: "until", value: PrefectDate.format(until))]
                + keys.map { URLQueryItem(name: "keys", value: $0) }
        )
        endpoint.base = .cloudRoot
        return endpoint
    }

    /// A CSRF token for this client id (only on servers with CSRF protection).
    package static func csrfToken(client: String) -> Endpoint<CSRFToken> {
        Endpoint(.get, "/csrf-token", query: [URLQueryItem(name: "client", value: client)])
    }
}

/// `GET /ready`.
package struct ReadyResponse: Codable, Sendable, Hashable {
    package var message: String?
}

/// `GET /csrf-token`.
package struct CSRFToken: Codable, Sendable, Hashable {
    package var token: String
    package var client: String
    package var expiration: Date
}
