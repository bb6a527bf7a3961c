/// How to do things with the `prefect` CLI (Prefect 3.9): written for prefect-mcp from the CLI's own help, bundled
/// so an assistant gets an answer offline. Every command here exists in the pinned CLI.
package struct CLIEntry: Codable, Sendable, Equatable {
    package var topic: String
    /// Words a question about this topic tends to use.
    package var keywords: [String]
    package var commands: [String]
    package var notes: String
}

package enum CLIReference {
    package static let entries: [CLIEntry] = [
        CLIEntry(
            topic: "Create or update a deployment",
            keywords: ["deploy", "deployment", "create", "update", "prefect.yaml", "schedule", "cron", "interval", "pool", "parameters"],
            commands: [
                "prefect deploy ./flows.py:my_flow --name prod --pool prod-pool --cron '0 2 * * *'",
                "prefect deploy --all   (every deployment in prefect.yaml)",
                "prefect deploy ./flows.py:my_flow --name prod --pool prod-pool --param date=today --concurrency-limit 1",
            ],
            notes:
                "prefect deploy creates or updates; run it again to change schedules, parameters, pool or concurrency limit. In Python: "
                + "my_flow.deploy(name=..., work_pool_name=...)."
        ),
        CLIEntry(
            topic: "Run a deployment now", keywords: ["run", "trigger", "start", "deployment", "now", "manually", "parameters"],
            commands: ["prefect deployment run 'my-flow/prod'", "prefect deployment run 'my-flow/prod' --param date=2026-11-25 --watch"],
            notes: "Creates a flow run that a worker of the deployment's pool picks up."),
        CLIEntry(
            topic: "Pause or resume a deployment's schedules", keywords: ["pause", "resume", "schedule", "deployment", "stop", "disable", "enable"],
            commands: [
                "prefect deployment schedule ls 'my-flow/prod'", "prefect deployment schedule pause 'my-flow/prod' --all",
                "prefect deployment schedule resume 'my-flow/prod' --all",
            ],
            notes: "A paused deployment (the UI toggle) is resumed on its page in the UI; the 3.9 CLI pauses and resumes schedules."),
        CLIEntry(
            topic: "Add or remove a schedule", keywords: ["schedule", "cron", "interval", "rrule", "add", "remove", "delete", "clear"],
            commands: [
                "prefect deployment schedule create 'my-flow/prod' --cron '0 * * * *'",
                "prefect deployment schedule delete 'my-flow/prod' SCHEDULE_ID",
                "prefect deployment schedule clear 'my-flow/prod'",
            ],
            notes: "List schedule ids with prefect deployment schedule ls."),
        CLIEntry(
            topic: "Cancel, retry or inspect a flow run", keywords: ["cancel", "retry", "rerun", "stop", "kill", "flow run", "inspect", "stuck"],
            commands: [
                "prefect flow-run cancel RUN_ID", "prefect flow-run retry RUN_ID_OR_NAME", "prefect flow-run inspect RUN_ID",
                "prefect flow-run ls --state Failed",
            ],
            notes: "cancel moves the run to Cancelling and the worker stops its infrastructure."),
        CLIEntry(
            topic: "Read a flow run's logs", keywords: ["logs", "log", "traceback", "error", "output", "tail"],
            commands: ["prefect flow-run logs RUN_ID --tail --num-logs 50", "prefect flow-run logs RUN_ID --head"],
            notes: "prefect-mcp: get_flow_run_logs with tail: true."),
        CLIEntry(
            topic: "Work pools: create, pause, resume, limit",
            keywords: ["work pool", "pool", "create", "pause", "resume", "concurrency", "limit", "inspect"],
            commands: [
                "prefect work-pool create prod-pool --type process", "prefect work-pool pause prod-pool", "prefect work-pool resume prod-pool",
                "prefect work-pool set-concurrency-limit prod-pool 5", "prefect work-pool clear-concurrency-limit prod-pool",
                "prefect work-pool inspect prod-pool",
            ],
            notes: "Runs in a paused pool wait (and turn Late)."),
        CLIEntry(
            topic: "Work queues: pause, resume, limit", keywords: ["work queue", "queue", "pause", "resume", "concurrency", "limit", "priority"],
            commands: [
                "prefect work-queue ls --pool prod-pool", "prefect work-queue pause default --pool prod-pool",
                "prefect work-queue resume default --pool prod-pool",
                "prefect work-queue set-concurrency-limit default 2 --pool prod-pool",
                "prefect work-queue create critical --pool prod-pool --priority 1",
            ],
            notes: "Queues belong to a pool; --pool names it."),
        CLIEntry(
            topic: "Start a worker", keywords: ["worker", "start", "poll", "online", "heartbeat", "no worker", "late"],
            commands: ["prefect worker start --pool prod-pool", "prefect worker start --pool prod-pool --work-queue critical --limit 4"],
            notes: "A pool without an ONLINE worker cannot start runs: they turn Late."),
        CLIEntry(
            topic: "Automations: create, pause, resume",
            keywords: ["automation", "trigger", "alert", "notify", "create", "pause", "resume", "proactive", "reactive"],
            commands: [
                "prefect automation create --from-file automation.json", "prefect automation create --from-json '{...}'", "prefect automation ls",
                "prefect automation pause NAME_OR_ID", "prefect automation resume NAME_OR_ID", "prefect automation inspect NAME_OR_ID",
            ],
            notes: "get_object_schema gives the JSON schema and a stuck-Pending example."),
        CLIEntry(
            topic: "Variables", keywords: ["variable", "variables", "set", "get", "config", "value"],
            commands: [
                "prefect variable set environment prod", "prefect variable get environment", "prefect variable ls",
                "prefect variable unset environment",
            ],
            notes: "In flows: from prefect.variables import Variable; Variable.get('environment')."),
        CLIEntry(
            topic: "Blocks", keywords: ["block", "blocks", "credentials", "secret", "register", "storage"],
            commands: ["prefect block ls", "prefect block type ls", "prefect block register -m prefect_aws", "prefect block inspect TYPE/NAME"],
            notes: "Blocks hold configuration and credentials for flows."),
        CLIEntry(
            topic: "Concurrency limits (tag and global)", keywords: ["concurrency", "limit", "tag", "global", "slots", "gcl"],
            commands: [
                "prefect concurrency-limit create db 2   (tag limit: task runs tagged db)", "prefect concurrency-limit inspect db",
                "prefect concurrency-limit reset db",
                "prefect global-concurrency-limit create gpu --limit 4", "prefect global-concurrency-limit update gpu --limit 8",
            ],
            notes: "Tag limits bind task runs with the tag, not deployments. A deployment's own limit is set with prefect deploy --concurrency-limit."
        ),
        CLIEntry(
            topic: "Profiles and connection settings",
            keywords: ["profile", "config", "api url", "api key", "connect", "login", "cloud", "auth", "workspace"],
            commands: [
                "prefect profile ls", "prefect profile use local", "prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api",
                "prefect cloud login", "prefect cloud workspace set --workspace ACCOUNT/WORKSPACE", "prefect config view",
            ],
            notes: "prefect-mcp reads the same profiles: --profile NAME or PREFECT_PROFILE."),
        CLIEntry(
            topic: "Start a local Prefect server", keywords: ["server", "start", "local", "self-hosted", "ui"],
            commands: ["prefect server start", "prefect server start --host 0.0.0.0 --port 4200"],
            notes: "The API is then at http://127.0.0.1:4200/api."),
    ]

    /// Entries ranked by how many query words their topic, keywords and commands contain; the best `limit`.
    package static func search(_ query: String, limit: Int = 3) -> [CLIEntry] {
        let words = query.lowercased().split { !$0.isLetter && !$0.isNumber && $0 != "-" }.map(String.init).filter { $0.count > 2 || $0 == "id" }
        guard !words.isEmpty else { return [] }
        let scored = entries.map { entry -> (CLIEntry, Int) in
            let keywords = entry.keywords.joined(separator: " ").lowercased()
            let text = (entry.topic + " " + entry.commands.joined(separator: " ")).lowercased()
            let score = words.reduce(0) { total, word in
                total + (keywords.contains(word) ? 3 : 0) + (text.contains(word) ? 1 : 0)
            }
            return (entry, score)
        }
        return scored.filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }.prefix(limit).map(\.0)
    }
}
