import ArgumentParser
import Core
import FoundationEssentials
import JSONValue
import Synchronization

/// `prefect-mcp run DEPLOYMENT`: a new run, every value checked before it is sent; `--watch` follows it to the end.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start a run of a deployment; --watch follows its log and exits with its final state.",
        discussion: """
            DEPLOYMENT is flow/deployment (as `prefect deployment ls` shows it) or the deployment's id. Parameters \
            are merged over the deployment's defaults and checked against the flow's parameter schema, job variables \
            against the work pool's job template, before anything is sent: a value the schema rejects is named and \
            nothing is created. A --param value is text for a parameter that takes text (--param customer=007 stays \
            "007") and JSON otherwise (--param batch_size=7, --param options='{"region": "eu"}').

            --watch follows the run's log until it has finished, then says how it ended (and, for a failure, why) \
            on stderr; the exit status tells a CI script the final state. Ctrl-C stops watching, not the run \
            (prefect-mcp cancel RUN stops the run). --dry-run checks everything and prints the request that would \
            be sent, sending nothing. Starting a run needs no --allow-writes: typing this command is the asking.

            Examples:
              prefect-mcp run etl/daily
              prefect-mcp run report/on-demand --param customer=acme --tag backfill --watch
              prefect-mcp run etl/daily --params '{"day": "2026-11-29"}' --job-var env='{"MODE": "x"}'
              prefect-mcp run etl/daily --start-in 10m --idempotency-key nightly-2026-11-30 --dry-run

            \(RunWatch.exitCodesHelp)
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LoggingOptions

    @Argument(help: ArgumentHelp("The deployment: flow/deployment, or its id.", valueName: "deployment"))
    var deployment: String

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter, NAME=VALUE (repeatable).", valueName: "name=value"))
    var parameterAssignments: [String] = []

    @Option(name: .customLong("params"), help: ArgumentHelp("Parameters as one JSON object; --param values win over it.", valueName: "json"))
    var parametersJSON: String?

    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag for the run (repeatable).", valueName: "tag"))
    var tags: [String] = []

    @Option(
        name: .customLong("job-var"),
        help: ArgumentHelp("A job variable of the work pool, NAME=VALUE (repeatable), e.g. env='{\"MODE\": \"x\"}'.", valueName: "name=value"))
    var jobVariableAssignments: [String] = []

    @Option(name: .customLong("start-in"), help: ArgumentHelp("Start this long from now: 30s, 10m, 2h, 1d.", valueName: "duration"))
    var startIn: String?

    @Option(name: .customLong("at"), help: ArgumentHelp("Start at this ISO 8601 time, e.g. 2026-12-01T06:00:00Z.", valueName: "time"))
    var startAt: String?

    @Option(name: .customLong("idempotency-key"), help: ArgumentHelp("The same key twice makes one run.", valueName: "key"))
    var idempotencyKey: String?

    @Option(name: .long, help: ArgumentHelp("The run's name (Prefect picks one by default).", valueName: "name"))
    var name: String?

    @Option(
        name: .customLong("work-queue"), help: ArgumentHelp("A queue of the deployment's pool (default: the deployment's own).", valueName: "queue"))
    var workQueue: String?

    @Flag(name: [.short, .long], help: "Follow the run's log until it finishes; exit with its final state.")
    var watch = false

    @Flag(name: .customLong("dry-run"), help: "Check everything and print the request that would be sent; send nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Leave out the timestamps of the watched log.")
    var noTimestamps = false

    @Flag(name: .long, help: "Show control characters of the watched log as ^[ even when not writing to a terminal.")
    var sanitize = false

    func validate() throws {
        for assignment in parameterAssignments where TypedText.assignment(assignment) == nil {
            throw ValidationError("--param '\(assignment.echoed)' is not NAME=VALUE.")
        }
        for assignment in jobVariableAssignments where TypedText.assignment(assignment) == nil {
            throw ValidationError("--job-var '\(assignment.echoed)' is not NAME=VALUE.")
        }
        if let parametersJSON {
            guard case .object = try? JSONValue(parsing: Array(parametersJSON.utf8)) else {
                throw ValidationError("--params is not a JSON object: '\(parametersJSON.echoed)'.")
            }
        }
        if startIn != nil, startAt != nil { throw ValidationError("--start-in and --at both say when to start; give one of them.") }
        if let startIn, TimeWindow(startIn) == nil {
            throw ValidationError("--start-in '\(startIn.echoed)' is not a duration: use \(TimeWindow.expectedFormat).")
        }
        if let startAt, PrefectDate.parse(startAt) == nil {
            throw ValidationError("--at '\(startAt.echoed)' is not an ISO 8601 time, e.g. 2026-12-01T06:00:00Z.")
        }
        if dryRun, watch { throw ValidationError("--dry-run sends nothing, so there is no run to --watch.") }
    }

    /// What the options ask for.
    func request(now: Date = Date()) -> DeploymentRunRequest {
        var request = DeploymentRunRequest()
        if let parametersJSON, case .object(let values) = try? JSONValue(parsing: Array(parametersJSON.utf8)) {
            request.parameters = values
        }
        for case let (key, value)? in parameterAssignments.map(TypedText.assignment) { request.parameterTexts[key] = value }
        for case let (key, value)? in jobVariableAssignments.map(TypedText.assignment) { request.jobVariableTexts[key] = value }
        request.tags = tags
        request.idempotencyKey = idempotencyKey
        request.name = name
        request.workQueueName = workQueue
        if let startIn, let delay = TimeWindow(startIn) { request.startAt = now.addingTimeInterval(Double(delay.seconds)) }
        if let startAt { request.startAt = PrefectDate.parse(startAt) }
        return request
    }

    func run() async throws {
        logging.bootstrap()
        let settings = try connection.requiredSettings()
        let created = Mutex<String?>(nil)
        let (deployment, request, dryRun, watch) = (deployment, request(), dryRun, watch)
        let printer = LogPrinter(timestamps: !noTimestamps, sanitize: sanitize)
        try await RunWatch.withClient(
            settings,
            interrupted: {
                created.withLock { $0 }.map { "stopped watching; the run goes on (prefect-mcp cancel \($0) stops it)" }
            }
        ) { client in
            let actions = client.actions(WritePermission(source: "prefect-mcp run"))
            let outcome: ActionOutcome
            do {
                outcome = try await actions.runDeployment(deployment, request, dryRun: dryRun)
            } catch PrefectError.notFound {
                throw PrefectError.notFound(route: "deployment '\(deployment.echoed)'", detail: "no deployment has this id or flow/deployment name")
            }
            if dryRun {
                StandardError.write(outcome.message + "\n")
                print(try JSONCoding.encode(outcome.requests).prettyText)
                return .success
            }
            guard let id = outcome.flowRunID else { return .success }
            created.withLock { $0 = id }
            let link = UILinks.flowRun(id, ui: settings.uiURL)
            guard watch else {
                print("\(outcome.message)\n\(link)".terminalSafe)
                return .success
            }
            StandardError.write("\(outcome.message)\n\(link)\nfollowing its log (Ctrl-C stops following, not the run)\n".terminalSafe)
            let run = try await RunWatch.follow(runID: id, client: client, settings: settings, printer: printer)
            return RunWatch.exitCode(for: run.stateType)
        }
    }
}
