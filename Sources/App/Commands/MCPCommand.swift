import ArgumentParser
import Core
import Dispatch
import FoundationEssentials
import JSONValue
import Logging
import MCP
import MCPHTTP
import RemoteDocs
import Synchronization
import Tools

#if canImport(Glibc)
    import Glibc
#endif

/// `prefect-mcp mcp`: the MCP server over stdio.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the Model Context Protocol to AI assistants, over stdio or (--http) Streamable HTTP.",
        discussion: """
            An AI client (Claude Code, Cursor, Codex CLI, Gemini CLI, …) launches this command and talks JSON-RPC on \
            its stdin and stdout. Both protocol eras are spoken: the initialize handshake (2024-11-05 to 2025-11-25) \
            and the stateless 2026-07-28 protocol. stdout carries only protocol messages; diagnostics go to stderr \
            (--log-level).

            Prefect settings are read as for every command (--api-url, PREFECT_API_URL, profiles). When none are \
            configured the server still starts, and every Prefect tool answers with an error that says how to \
            configure it, so the assistant can tell you.

            Writes are off unless you turn them on with --allow-writes (or PREFECT_MCP_ALLOW_WRITES=true, for \
            clients that pass only environment variables): then run_deployment, cancel_flow_run, retry_flow_run and \
            set_paused are registered, marked as changing Prefect, each with a dry_run, and every write is logged on stderr. Without it they do \
            not exist: no argument a client sends can turn them on.

            With --http [HOST:]PORT it serves a whole team over Streamable HTTP instead (both eras, one process): \
            loopback by default; off loopback only with authentication (--auth-token-file, or OAuth with \
            --oauth-issuer and --oauth-audience), and HTTPS with --tls-cert/--tls-key. A caller's token is checked here \
            and never sent on. SIGTERM lets requests in flight finish (--shutdown-grace) and exits 0.

            Examples:
              claude mcp add prefect -e PREFECT_API_URL=http://127.0.0.1:4200/api -- prefect-mcp mcp
              prefect-mcp mcp --http 0.0.0.0:8000 --auth-token-file /etc/prefect-mcp/tokens
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LoggingOptions

    @Option(
        name: .customLong("docs-url"),
        help: ArgumentHelp(
            "Also ask this remote docs MCP server (Streamable HTTP) in search_docs, e.g. https://prefect-docs.fastmcp.app/mcp. No "
                + "credential is ever sent to it. Default: $PREFECT_MCP_DOCS_URL, else none (the bundled reference only).",
            valueName: "url"))
    var docsURL: String?

    @Option(name: .customLong("docs-timeout"), help: ArgumentHelp("Seconds search_docs waits for the remote docs server.", valueName: "seconds"))
    var docsTimeout: Double = 5

    @OptionGroup var writeOptions: WriteOptions

    @OptionGroup var http: HTTPOptions

    @Flag(name: .customLong("test-tools"), help: .hidden)
    var testTools = false

    func run() async throws {
        logging.bootstrap()
        let logger = Logger(label: "prefect-mcp.mcp")
        let settings: Result<PrefectSettings, SettingsError>
        do {
            settings = .success(try connection.settings())
        } catch {
            settings = .failure(error)
            logger.warning("not connected to Prefect; every Prefect tool will say why: \(error)")
        }
        let userAgent = PrefectMCPCommand.userAgent
        let docs = try docsServer(userAgent: userAgent)
        if let docs { logger.info("search_docs also asks \(docs.url.displayString) (timeout \(docs.timeout) s)") }
        let writes = try writeOptions.permission()
        if let writes {
            logger.warning("writes are on (\(writes.source)): run_deployment, cancel_flow_run, retry_flow_run and set_paused are registered")
        }
        // Checked before the environment (and its HTTP client) exists: a refused setup leaves nothing to shut down.
        let httpOptions = try http.options(writes: writes != nil)
        let environment = ToolEnvironment(settings: settings, userAgent: userAgent, docs: docs, writes: writes)
        if let serving = httpOptions {
            try await serveHTTP(serving, environment: environment, writes: writes != nil, userAgent: userAgent, logger: logger)
            return
        }
        let server = MCPServer(
            info: PrefectTools.serverInfo(version: PrefectMCPCommand.version, writes: writes != nil),
            registry: PrefectTools.registry(environment, testTools: testTools),
            log: { logger.info("\($0)") }
        )
        let transport = StdioTransport()
        // At the end of input the requests already received are answered, but only for as long as one Prefect
        // request may take: every request is bounded by the timeout, so a handler still running after that is stuck.
        let drainLimit = ((try? settings.get().timeout.value) ?? PrefectSettings.defaultTimeout) + 2
        let input = Self.onEnd(of: transport.events()) {
            DispatchQueue.global().asyncAfter(deadline: .now() + drainLimit) {
                logger.warning("input closed; requests still running after \(Int(drainLimit)) s; exiting")
                Glibc.exit(0)
            }
        }
        let serving = Task { await server.serve(input, output: transport) }
        let signals = TerminationSignals { _ in
            // Stop reading, answer what was received, and exit; never wait more than 5 seconds for it.
            logger.info("stopping: answering the requests already received")
            serving.cancel()
            DispatchQueue.global().asyncAfter(deadline: .now() + 5) {
                logger.warning("requests still running after 5 s; exiting")
                Glibc.exit(0)
            }
        }
        await serving.value
        signals.cancel()
        await environment.shutdown()
        logger.info("input closed; all requests answered")
    }

    /// `--http`: one protocol server per request or session, over the tools of the caller's Prefect (the server's own,
    /// or with --allow-client-credentials the one its headers name), without write tools for a read-only caller.
    private func serveHTTP(_ options: HTTPServerOptions, environment: ToolEnvironment, writes: Bool, userAgent: String, logger: Logger) async throws {
        let pool = EnvironmentPool(base: environment, userAgent: userAgent, testTools: testTools)
        let patterns = try http.clientCredentialPatterns()
        var options = options
        options.writeTools = pool.writeTools
        let version = PrefectMCPCommand.version
        /// The Prefect a caller's headers name: none (the server's own), or refused with the reason.
        @Sendable func credentials(of caller: HTTPCaller) throws(CallerRefusal) -> ClientCredentials? {
            guard let patterns else {
                if let sent = ClientCredentials.headers.first(where: { caller.header($0) != nil }) {
                    throw CallerRefusal(
                        "this server uses its own Prefect and takes none from callers (\(sent) was sent); its operator can allow that "
                            + "with --allow-client-credentials")
                }
                return nil
            }
            do {
                return try ClientCredentials.read(header: caller.header, allowed: patterns)
            } catch {
                throw CallerRefusal("\(error)")
            }
        }
        let server = HTTPMCPServer(
            options: options,
            makeServer: { caller throws(CallerRefusal) in
                let credentials = try credentials(of: caller)
                let registries: EnvironmentPool.Registries
                do {
                    registries = try await pool.lease(credentials)
                } catch {
                    throw CallerRefusal("\(error)", busy: true)
                }
                let mayWrite = writes && caller.mayWrite
                let mcp = MCPServer(
                    info: PrefectTools.serverInfo(version: version, writes: mayWrite), registry: registries.registry(mayWrite: caller.mayWrite),
                    log: { logger.info("\($0)") })
                return ServerLease(server: mcp, release: { await pool.release(credentials) })
            },
            identify: { caller throws(CallerRefusal) in
                let credentials = try credentials(of: caller)
                return [
                    caller.name ?? "", credentials?.apiURL.absoluteString ?? "", credentials?.apiKey?.revealed ?? "",
                    credentials?.authString?.revealed ?? "",
                ].joined(separator: "\u{0}")
            },
            health: { await environment.health() }, log: { logger.info("\($0)") })
        let grace = Duration.milliseconds(Int(http.shutdownGrace * 1000))
        let signalled = Atomic<Int>(0)
        let signals = TerminationSignals { _ in
            guard signalled.add(1, ordering: .relaxed).newValue == 1 else {
                logger.warning("second signal: exiting now")
                Glibc.exit(0)
            }
            StandardError.write("prefect-mcp: stopping; requests in flight have \(http.shutdownGrace) s to finish\n")
            Task { await server.drain(within: grace) }
        }
        let (host, path, scheme) = (options.host, options.path, options.tls == nil ? "http" : "https")
        try await server.run { port in
            let shown = host.contains(":") ? "[\(host)]" : host
            // Always said, whatever the log level: the address is what the user needs (port 0 picks it).
            StandardError.write(
                "prefect-mcp: serving MCP over HTTP at \(scheme)://\(shown):\(port)\(path) (health: \(scheme)://\(shown):\(port)/healthz)\n")
        }
        signals.cancel()
        await pool.shutdown()
    }

    func validate() throws {
        guard docsTimeout > 0, docsTimeout <= 60 else {
            throw ValidationError("--docs-timeout must be between 0 and 60 seconds, not \(docsTimeout).")
        }
    }

    /// The remote docs server from --docs-url or PREFECT_MCP_DOCS_URL; nil when neither is set (or set empty).
    private func docsServer(userAgent: String) throws -> RemoteDocs? {
        let (text, source) =
            docsURL.map { ($0, "--docs-url") }
            ?? (ProcessInfo.processInfo.environment["PREFECT_MCP_DOCS_URL"] ?? "", "PREFECT_MCP_DOCS_URL")
        guard !text.isEmpty else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw ValidationError(
                "\(source): '\(text.echoed)' is not an http(s) URL; give the docs server's MCP endpoint, e.g. https://prefect-docs.fastmcp.app/mcp.")
        }
        return RemoteDocs(url: url, timeout: docsTimeout, userAgent: userAgent)
    }

    /// The same events; `handler` is called once they have ended.
    private static func onEnd(of events: AsyncStream<InputEvent>, _ handler: @escaping @Sendable () -> Void) -> AsyncStream<InputEvent> {
        let (stream, continuation) = AsyncStream<InputEvent>.makeStream()
        Task {
            for await event in events { continuation.yield(event) }
            continuation.finish()
            handler()
        }
        return stream
    }
}
