package import Core

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Name resolution and a TCP connection, each on its own, so `doctor` can say which of the two fails.
package enum NetworkProbe {
    package enum Resolution: Sendable, Equatable {
        case addresses([String])
        case failed(String)
    }

    /// The addresses `host` resolves to (numeric, IPv4 first as the client tries them), or the resolver's reason.
    package static func resolve(_ host: String, port: Int) -> Resolution {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0, let first = list else { return .failed(String(cString: gai_strerror(code))) }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(cString: buffer)
                if !addresses.contains(text) { addresses.append(text) }
            }
            node = current.pointee.ai_next
        }
        return addresses.isEmpty ? .failed("no address") : .addresses(addresses.sorted { !$0.contains(":") && $1.contains(":") })
    }

    package enum Connection: Sendable, Equatable {
        case connected(milliseconds: Double)
        case refused
        case timedOut
        case failed(String)
    }

    /// Opens (and closes) a TCP connection to `address:port` within `timeout` seconds.
    package static func connect(address: String, port: Int, timeout: Double) -> Connection {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address, String(port), &hints, &list) == 0, let info = list else { return .failed("not an address: \(address)") }
        defer { freeaddrinfo(info) }
        let descriptor = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return .failed(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let start = ContinuousClock.now
        if Glibc.connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { return outcome(errno) }
            var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, Int32(timeout * 1000))
            guard ready > 0 else { return ready == 0 ? .timedOut : .failed(String(cString: strerror(errno))) }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
            if error != 0 { return outcome(error) }
        }
        let elapsed = ContinuousClock.now - start
        return .connected(milliseconds: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }

    private static func outcome(_ code: Int32) -> Connection {
        switch code {
        case ECONNREFUSED: .refused
        case ETIMEDOUT: .timedOut
        default: .failed(String(cString: strerror(code)))
        }
    }
}
