import FoundationEssentials

/// The handshake era's sessions: `initialize` mints one (an unguessable id of visible ASCII), later requests name it
/// in `Mcp-Session-Id`; DELETE ends one; an idle one expires; their number is bounded.
actor HTTPSessions {
    struct Session {
        let lease: ServerLease
        /// Who opened it (``HTTPMCPServer/identify``): only they may use it.
        let owner: String
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
    func open(_ lease: ServerLease, owner: String) -> String? {
        expire()
        guard sessions.count < maximum else { return nil }
        var generator = SystemRandomNumberGenerator()
        let id = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
        sessions[id] = Session(lease: lease, owner: owner, lastUsed: .now)
        return id
    }

    /// The session's server and owner, its use noted; nil for an unknown, ended or expired id.
    func session(for id: String) -> Session? {
        expire()
        guard var session = sessions[id] else { return nil }
        session.lastUsed = .now
        sessions[id] = session
        return session
    }

    /// Ends a session and gives its lease back; false when there was none of that id.
    func close(_ id: String) -> Bool {
        guard let session = sessions.removeValue(forKey: id) else { return false }
        Task { await session.lease.release() }
        return true
    }

    func contains(_ id: String) -> Bool {
        sessions[id] != nil
    }

    var count: Int { sessions.count }

    private func expire() {
        let now = ContinuousClock.now
        for (id, session) in sessions where now - session.lastUsed >= idleTimeout {
            sessions[id] = nil
            Task { await session.lease.release() }
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
