import ArgumentParser
import Core
import FoundationEssentials
import JSONValue

/// `--allow-writes` of `mcp` and `dashboard`, or PREFECT_MCP_ALLOW_WRITES=true for a client config that passes only
/// the environment: the only way a write tool is registered or a write key is bound.
struct WriteOptions: ParsableArguments {
    @Flag(
        name: .customLong("allow-writes"),
        help: """
            Allow changing Prefect: running a deployment, cancelling or retrying a run, pausing or resuming \
            (mcp: the write tools exist; dashboard: the write keys are bound). Default: off, or \
            PREFECT_MCP_ALLOW_WRITES=true.
            """)
    var allowWrites = false

    /// The user's permission to change Prefect: the flag, or PREFECT_MCP_ALLOW_WRITES=true; nil when neither.
    func permission(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> WritePermission? {
        if allowWrites { return WritePermission(source: "--allow-writes") }
        guard let value = environment["PREFECT_MCP_ALLOW_WRITES"] else { return nil }
        switch value.lowercased() {
        case "true", "1", "yes": return WritePermission(source: "PREFECT_MCP_ALLOW_WRITES")
        case "false", "0", "no", "": return nil
        default: throw ValidationError("PREFECT_MCP_ALLOW_WRITES must be true or false, not '\(value.echoed)'.")
        }
    }
}
