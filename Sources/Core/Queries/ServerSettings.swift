import FoundationEssentials
package import JSONValue

/// How the server's cancellation cleanup treats a run left in Cancelling: after `cancellingTimeoutSeconds` in that
/// state it marks the run Cancelled ("Flow run cancellation timed out") and asks the worker to tear it down.
package struct CancellationCleanup: Sendable, Equatable {
    package var enabled: Bool
    package var cancellingTimeoutSeconds: Double
    /// Whether the values were read from this server, or are Prefect's defaults (its settings were not readable).
    package var fromServer: Bool

    /// Prefect 3.9's defaults: `server.services.cancellation_cleanup.enabled` and `.cancelling_timeout_seconds`.
    package static let prefectDefault = CancellationCleanup(enabled: true, cancellingTimeoutSeconds: 300, fromServer: false)

    package init(enabled: Bool, cancellingTimeoutSeconds: Double, fromServer: Bool) {
        self.enabled = enabled
        self.cancellingTimeoutSeconds = cancellingTimeoutSeconds
        self.fromServer = fromServer
    }

    /// The cleanup's settings in the answer of `GET /admin/settings`; nil when they are not there.
    package init?(settings: JSONValue) {
        guard let cleanup = settings["server"]?["services"]?["cancellation_cleanup"],
            let seconds = cleanup["cancelling_timeout_seconds"]?.doubleValue, seconds > 0
        else { return nil }
        self.init(enabled: cleanup["enabled"]?.boolValue ?? true, cancellingTimeoutSeconds: seconds, fromServer: true)
    }
}

extension PrefectClient {
    /// The server's cancellation cleanup, read from its settings; Prefect's defaults when they cannot be read (Prefect
    /// Cloud has no such route, a proxy may refuse it). Never fails the caller.
    package func cancellationCleanup() async -> CancellationCleanup {
        guard !configuration.server.isCloud, let settings = try? await send(PrefectAPI.serverSettings) else { return .prefectDefault }
        return CancellationCleanup(settings: settings) ?? .prefectDefault
    }
}
