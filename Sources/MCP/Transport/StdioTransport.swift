import Dispatch
public import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the server writes its frames.
public protocol FrameSink: Sendable {
    /// Queues one message; it is written whole, followed by a newline, after every message queued before it.
    func send(_ frame: Data)
    /// Returns when everything queued so far has been written (or the output is gone).
    func flush() async
}

/// Newline-delimited JSON-RPC on file descriptors (stdin/stdout by default).
///
/// Reading: a dedicated thread blocks in `read(2)`, so an idle server uses no CPU and a request is seen the moment
/// it arrives (no polling). Writing: one serial queue writes each frame whole with blocking writes, so frames never
/// interleave whatever the concurrency, and a slow reader only slows that queue, never the handlers' threads.
public final class StdioTransport: FrameSink {
    /// The largest line accepted: longer ones are answered with an error and dropped, not buffered.
    public static let defaultMaximumLineBytes = 16 << 20

    private let inputFD: Int32
    private let outputFD: Int32
    private let maximumLineBytes: Int
    private let writer = DispatchQueue(label: "prefect-mcp.stdout")

    public init(inputFD: Int32 = 0, outputFD: Int32 = 1, maximumLineBytes: Int = StdioTransport.defaultMaximumLineBytes) {
        self.inputFD = inputFD
        self.outputFD = outputFD
        self.maximumLineBytes = maximumLineBytes
        // A client that goes away must not kill us with SIGPIPE; writes then fail with EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
    }

    /// The input as events, read on a thread of its own. The stream ends after ``InputEvent/end``.
    public func events() -> AsyncStream<InputEvent> {
        let (stream, continuation) = AsyncStream<InputEvent>.makeStream()
        let fd = inputFD
        let limit = maximumLineBytes
        let thread = DispatchQueue(label: "prefect-mcp.stdin")
        thread.async {
            var splitter = LineSplitter(maximumLineBytes: limit)
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    for event in splitter.feed(chunk[0..<count]) { continuation.yield(event) }
                } else if count < 0, errno == EINTR {
                    continue
                } else if count < 0, errno == EAGAIN {
                    // A non-blocking descriptor (set by someone else): wait for input instead of spinning.
                    var pending = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    _ = poll(&pending, 1, -1)
                } else {
                    for event in splitter.finish() { continuation.yield(event) }
                    continuation.finish()
                    return
                }
            }
        }
        return stream
    }

    public func send(_ frame: Data) {
        var bytes = [UInt8](frame)
        bytes.append(0x0A)
        let line = bytes
        let fd = outputFD
        writer.async { Self.writeAll(line, to: fd) }
    }

    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            writer.async { continuation.resume() }
        }
    }

    /// Writes every byte, riding out partial writes, EINTR and EAGAIN; gives up when the reader is gone.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else if written < 0, errno == EAGAIN {
                    var pending = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&pending, 1, -1)
                } else {
                    return  // EPIPE or another hard error: the client is gone.
                }
            }
        }
    }
}
