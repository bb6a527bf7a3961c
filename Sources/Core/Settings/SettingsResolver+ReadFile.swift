#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SettingsResolver {
    /// The largest profiles file read; Prefect writes a few hundred bytes.
    package static let maximumFileBytes = 1 << 20

    /// Reads a whole regular file. Nothing at the path, or a path through something that is not a folder, is
    /// ``FileRead/missing``, as Prefect's `path.exists()` sees it; anything else that stops the read (permission
    /// denied, a directory, a FIFO, a file over ``maximumFileBytes``) is ``FileRead/unreadable(reason:)`` with the
    /// system's reason, so a file the user cannot read is never taken for no file.
    package static let readFile: FileReader = { path in readWholeFile(atPath: path) }

    static func readWholeFile(atPath path: String) -> FileRead {
        // Non-blocking, so that opening a FIFO does not wait for a writer; fstat then rejects it.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            return code == ENOENT || code == ENOTDIR ? .missing : .unreadable(reason: systemReason(code))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .unreadable(reason: systemReason(errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .unreadable(reason: systemReason(EISDIR))
        default: return .unreadable(reason: "not a regular file")
        }
        let tooLarge = FileRead.unreadable(reason: "larger than \(maximumFileBytes) bytes, far beyond any profiles file")
        if info.st_size > maximumFileBytes { return tooLarge }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return .contents(bytes) }
            if count < 0 {
                if errno == EINTR { continue }
                return .unreadable(reason: systemReason(errno))
            }
            bytes.append(contentsOf: chunk[..<count])
            if bytes.count > maximumFileBytes { return tooLarge }
        }
    }

    /// The system's text for an `errno` value, such as `Permission denied`.
    private static func systemReason(_ code: Int32) -> String {
        strerror(code).map { String(cString: $0) } ?? "error \(code)"
    }
}
