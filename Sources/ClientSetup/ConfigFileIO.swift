#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading and writing a client's configuration file without ever leaving half of one: the new text goes to a
/// temporary file beside it (with the old file's permissions), is flushed, and replaces it in one rename. A file
/// reached through a symbolic link (a dotfiles folder) is written where the link points, and the link stays.
enum ConfigFileIO {
    /// Assistants' settings files are small; `~/.claude.json`, which also keeps Claude Code's history, is the largest.
    static let maximumBytes = 64 << 20

    /// The file's text, or nil when there is none.
    static func read(_ path: String) throws(ConfigFileError) -> String? {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw ConfigFileError(path: path, reason: "cannot be read: \(reason(code))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ConfigFileError(path: path, reason: "cannot be read: \(reason(errno))") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw ConfigFileError(path: path, reason: "is not a regular file") }
        guard info.st_size <= maximumBytes else {
            throw ConfigFileError(path: path, reason: "is larger than \(maximumBytes >> 20) MB; it is left as it is")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ConfigFileError(path: path, reason: "cannot be read: \(reason(errno))")
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigFileError(path: path, reason: "is not UTF-8 text; it is left as it is")
        }
        return text
    }

    /// Where writing `path` really writes: the target of a symbolic link (followed to the end), else the path.
    static func target(of path: String) -> String {
        var current = path
        for _ in 0..<32 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count > 0 else { return current }
            let link = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : parent(of: current) + "/" + link
        }
        return current
    }

    /// Replaces (or creates) the file with `text`, making its folder when needed.
    /// - Parameter mode: permissions for a new file; an existing file keeps its own.
    static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(ConfigFileError) {
        let destination = target(of: path)
        try makeFolder(parent(of: destination), for: path)
        var info = stat()
        let permissions = stat(destination, &info) == 0 ? info.st_mode & 0o7777 : mode
        let temporary = "\(destination).prefect-mcp-\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions)
        guard descriptor >= 0 else { throw ConfigFileError(path: path, reason: "cannot be written: \(reason(errno))") }
        var failure: Int32?
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            written += count
        }
        if failure == nil, fchmod(descriptor, permissions) != 0 || fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure == nil, rename(temporary, destination) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw ConfigFileError(path: path, reason: "cannot be written: \(reason(failure)); it is left as it was")
        }
    }

    static func makeFolder(_ folder: String, for path: String) throws(ConfigFileError) {
        var info = stat()
        if stat(folder, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw ConfigFileError(path: path, reason: "\(folder) is not a folder") }
            return
        }
        try makeFolder(parent(of: folder), for: path)
        guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
            throw ConfigFileError(path: path, reason: "cannot create \(folder): \(reason(errno))")
        }
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
