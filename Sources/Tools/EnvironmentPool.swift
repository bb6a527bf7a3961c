package import Core
package import MCP

/// The Prefect environments an HTTP server serves from: its own, and with `--allow-client-credentials` one per distinct
/// credential set its callers send (each with its own Prefect client and connections), bounded in number and closed
/// when unused for a while. A caller's credentials reach only its own client; they are never logged.
package actor EnvironmentPool {
    private struct Entry {
        let environment: ToolEnvironment
        let registries: Registries
        var users = 0
        var lastUsed = ContinuousClock.now
    }

    /// One environment's tools, for callers who may write and for those who may not (no write tool listed).
    package struct Registries: Sendable {
        package let full: Registry
        package let readOnly: Registry

        init(_ registry: Registry) {
            full = registry
            var readOnly = registry
            readOnly.tools = registry.tools.filter(\.annotations.readOnlyHint)
            self.readOnly = readOnly
        }

        /// The tools a caller who may only read must not call.
        package var writeTools: Set<String> { Set(full.tools.filter { !$0.annotations.readOnlyHint }.map(\.name)) }

        package func registry(mayWrite: Bool) -> Registry { mayWrite ? full : readOnly }
    }

    private let base: ToolEnvironment
    private let baseRegistries: Registries
    private let userAgent: String
    private let testTools: Bool
    private var entries: [ClientCredentials: Entry] = [:]
    package let maximum: Int
    package let idleTimeout: Duration

    /// The write tools of the server's own registry (every environment registers the same tools).
    package nonisolated var writeTools: Set<String> { baseRegistries.writeTools }

    package init(base: ToolEnvironment, userAgent: String, testTools: Bool, maximum: Int = 32, idleTimeout: Duration = .seconds(600)) {
        self.base = base
        self.userAgent = userAgent
        self.testTools = testTools
        self.maximum = maximum
        self.idleTimeout = idleTimeout
        baseRegistries = Registries(PrefectTools.registry(base, testTools: testTools))
    }

    /// The tools for a caller: the server's own without credentials; else the environment of these credentials,
    /// made when first asked for. Each lease with credentials is given back with ``release(_:)``.
    /// - Throws: ``ClientCredentialsError`` when `maximum` credential sets are all in use.
    package func lease(_ credentials: ClientCredentials?) throws(ClientCredentialsError) -> Registries {
        guard let credentials else { return baseRegistries }
        sweep()
        if var entry = entries[credentials] {
            entry.users += 1
            entry.lastUsed = .now
            entries[credentials] = entry
            return entry.registries
        }
        if entries.count >= maximum {
            guard let oldest = entries.filter({ $0.value.users == 0 }).min(by: { $0.value.lastUsed < $1.value.lastUsed }) else {
                throw ClientCredentialsError("\(maximum) different Prefect credentials are in use at once, the most this server keeps; retry later")
            }
            close(oldest.key)
        }
        let environment = ToolEnvironment(
            settings: .success(credentials.settings(like: try? base.settings.get())), userAgent: userAgent, docs: base.docs, writes: base.writes)
        let entry = Entry(environment: environment, registries: Registries(PrefectTools.registry(environment, testTools: testTools)), users: 1)
        entries[credentials] = entry
        return entry.registries
    }

    package func release(_ credentials: ClientCredentials?) {
        guard let credentials, var entry = entries[credentials] else { return }
        entry.users = max(0, entry.users - 1)
        entry.lastUsed = .now
        entries[credentials] = entry
    }

    /// How many credential sets have a client now (for tests and logs).
    package var count: Int { entries.count }

    /// Closes the clients no one has used for `idleTimeout`.
    private func sweep() {
        let now = ContinuousClock.now
        for (credentials, entry) in entries where entry.users == 0 && now - entry.lastUsed >= idleTimeout { close(credentials) }
    }

    private func close(_ credentials: ClientCredentials) {
        guard let entry = entries.removeValue(forKey: credentials) else { return }
        Task { await entry.environment.shutdownClient() }
    }

    /// Closes every client, the server's own too.
    package func shutdown() async {
        for credentials in Array(entries.keys) {
            if let entry = entries.removeValue(forKey: credentials) { await entry.environment.shutdownClient() }
        }
        await base.shutdown()
    }
}
