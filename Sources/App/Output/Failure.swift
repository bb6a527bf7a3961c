import ArgumentParser
import Core

/// How a command ends when Prefect or the settings fail: a message on stderr and a documented exit code.
enum Failure {
    /// 1: unreachable, timed out, server error or unhealthy. 2: unauthorized or forbidden. 78: not configured.
    static func exitCode(for error: any Error) -> ExitCode {
        switch error {
        case let error as PrefectError: error.isAuthError ? ExitCode(2) : ExitCode(1)
        case is SettingsError: ExitCode(78)
        default: ExitCode(1)
        }
    }

    /// Prints `error: <message>` to stderr, control characters neutralised (messages quote what servers answer),
    /// and returns the exit code to throw.
    static func report(_ error: any Error) -> ExitCode {
        StandardError.write("error: \(String(describing: error).terminalSafe)\n")
        return exitCode(for: error)
    }

    static let exitCodesHelp = """
        Exit status: 0 connected and healthy; 1 unreachable, timed out, server error or unhealthy; \
        2 unauthorized or forbidden; 64 bad arguments; 78 nothing configured (no API URL) or a bad setting.
        """
}
