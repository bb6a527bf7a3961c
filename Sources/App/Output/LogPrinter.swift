import Core

#if canImport(Glibc)
    import Glibc
#endif

/// Prints a run's log lines as `logs` does, for `logs --follow`, `run --watch` and `cancel --watch`.
struct LogPrinter {
    var timestamps: Bool
    /// Control characters shown as ^[ even off a terminal (on one they always are).
    var sanitize: Bool

    func write(_ lines: [LogLine]) {
        guard !lines.isEmpty else { return }
        var text = ""
        for line in lines { text += line.text(timestamps: timestamps) + "\n" }
        print(sanitize || Terminal.standardOutput ? text.terminalSafe : text, terminator: "")
        fflush(nil)  // every stream: a pipe reader sees each batch at once
    }

    /// Prints what arrives, polling every second, until the run has finished and its last lines are printed.
    func follow(_ follower: inout LogFollower, client: PrefectClient) async throws {
        while true {
            try await Task.sleep(for: .seconds(1))
            let fresh = try await follower.poll(client: client)
            write(fresh)
            if try await follower.isDone(after: fresh, client: client) { return }
        }
    }
}
