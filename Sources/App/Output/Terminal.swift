#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the process's output goes.
enum Terminal {
    /// Whether stdout is a terminal, which obeys the control characters it is sent.
    static var standardOutput: Bool { isatty(1) == 1 }
    /// Whether stderr is a terminal (a person is watching it).
    static var standardError: Bool { isatty(2) == 1 }
}
