import ArgumentParser
import Dispatch

/// The entry point: runs ``PrefectMCPCommand`` on Swift's concurrency pool while the main thread waits.
///
/// An `async` main would end the main thread with `dispatch_main`, which calls `pthread_exit`: that unwinds the
/// thread's stack through libgcc, which searches the binary's unwind tables and so brings about 700 KB of them into
/// every process's memory for nothing. Nothing in prefect-mcp runs on the main actor or the main queue, so the main
/// thread can simply wait.
@main
enum Main {
    static func main() {
        let finished = DispatchSemaphore(value: 0)
        // Detached: a task made here would inherit the main actor, whose thread is the one waiting below.
        Task.detached {
            await PrefectMCPCommand.main()  // exits the process itself on an error, --help or --version
            finished.signal()
        }
        finished.wait()
    }
}

/// `prefect-mcp`: watch and debug Prefect from a terminal and from an AI assistant.
struct PrefectMCPCommand: AsyncParsableCommand {
    static let version = "0.1.0"
    /// What every request to Prefect (and to a docs server) says it comes from.
    static let userAgent = "prefect-mcp/\(version)"

    static let configuration = CommandConfiguration(
        commandName: "prefect-mcp",
        abstract: "Watch and debug Prefect from a terminal and from an AI assistant.",
        discussion: """
            Connects to the Prefect API the way the `prefect` CLI does: --api-url, then the environment \
            (PREFECT_API_URL, PREFECT_API_KEY, PREFECT_API_AUTH_STRING, PREFECT_PROFILE, PREFECT_API_REQUEST_TIMEOUT, \
            PREFECT_API_TLS_INSECURE_SKIP_VERIFY), then the active profile in PREFECT_PROFILES_PATH, \
            $PREFECT_HOME/profiles.toml or ~/.prefect/profiles.toml. It never starts a server on its own: with no URL \
            configured it stops and says where it looked.

            Every command only reads from Prefect, except `run` and `cancel`, which change it because you typed \
            them (each has --dry-run), and `mcp --allow-writes`, which lets an assistant change it.
            """,
        version: version,
        subcommands: [
            DashboardCommand.self, StatusCommand.self, LogsCommand.self, RunCommand.self, CancelCommand.self, MCPCommand.self, SetupCommand.self,
            DoctorCommand.self,
        ],
        defaultSubcommand: DashboardCommand.self
    )
}
