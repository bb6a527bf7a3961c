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

    /// Prints what arrives (live from Prefect's log stream, else by fast polling: ``LogFollower/updates(client:options:)``)
    /// until the run has finished and its last lines are printed; throws once the log could not be read for 30 s.
    /// With `announce`, says on stderr how it follows.
    func follow(_ follower: LogFollower, client: PrefectClient, announce: Bool) async throws {
        for try await update in follower.updatesUntilFailure(client: client) {
            switch update {
            case .mode(.live):
                if announce { StandardError.write("following live (Prefect's log stream)\n") }
            case .mode(.polling(let reason)):
                if announce { StandardError.write("following by polling: \(reason)\n".terminalSafe) }
            case .items(let lines):
                write(lines)
            }
        }
        try Task.checkCancellation()
    }
}
