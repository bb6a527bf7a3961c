import FoundationEssentials
import MCP

/// The handshake era's sessions: `initialize` mints one (an unguessable id of visible ASCII), later requests name it
/// in `Mcp-Session-Id`; DELETE ends one; an idle one expires; their number is bounded.
actor HTTPSessions {
    struct Session {
        let server: MCPServer
        var lastUsed: ContinuousClock.Instant
    }

    private var sessions: [String: Session] = [:]
    private let idleTimeout: Duration
    private let maximum: Int

    init(idleTimeout: Duration, maximum: Int) {
        self.idleTimeout = idleTimeout
        self.maximum = maximum
    }

    /// A new session's id, or nil when there are already `maximum` live ones.
    func open(_ server: MCPServer) -> String? {
        expire()
        guard sessions.count < maximum else { return nil }
        var generator = SystemRandomNumberGenerator()
        let id = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
        sessions[id] = Session(server: server, lastUsed: .now)
        return id
    }

    /// The session's server, its use noted; nil for an unknown, ended or expired id.
    func server(for id: String) -> MCPServer? {
        expire()
        guard var session = sessions[id] else { return nil }
        session.lastUsed = .now
        sessions[id] = session
        return session.server
    }

    func close(_ id: String) -> Bool {
        sessions.removeValue(forKey: id) != nil
    }

    func contains(_ id: String) -> Bool {
        sessions[id] != nil
    }

    var count: Int { sessions.count }

    private func expire() {
        let now = ContinuousClock.now
        sessions = sessions.filter { now - $0.value.lastUsed < idleTimeout }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
