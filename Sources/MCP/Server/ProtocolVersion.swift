/// The protocol revisions this server speaks, and how an `initialize` offer is answered.
public enum ProtocolVersion {
    /// Handshake-era revisions, oldest first.
    public static let legacy = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
    /// Stateless-era revisions.
    public static let modern = ["2026-07-28"]

    /// The version to answer an `initialize` with: the client's own if it is a legacy revision we speak, else the
    /// newest legacy one (never a modern version: legacy clients reject it).
    public static func negotiate(_ offered: String?) -> String {
        if let offered, legacy.contains(offered) { return offered }
        return legacy.last!
    }

    /// `_meta` keys of the 2026-07-28 request envelope.
    public static let versionKey = "io.modelcontextprotocol/protocolVersion"
    public static let capabilitiesKey = "io.modelcontextprotocol/clientCapabilities"
    public static let clientInfoKey = "io.modelcontextprotocol/clientInfo"
    public static let serverInfoKey = "io.modelcontextprotocol/serverInfo"
}

/// Which protocol era a connection speaks, decided by its first request.
public enum ProtocolEra: Sendable, Equatable {
    /// `initialize` handshake; the negotiated version once initialized.
    case legacy(version: String?)
    /// 2026-07-28: version and capabilities on every request.
    case modern
}
