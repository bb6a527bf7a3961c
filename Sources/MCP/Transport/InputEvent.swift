public import FoundationEssentials

/// What the reader hands the server: one line, a line that was too long, or the end of input.
public enum InputEvent: Sendable, Equatable {
    /// One line without its newline (a trailing `\r` removed). Blank lines are skipped.
    case line(Data)
    /// A line longer than the limit; its bytes were discarded, not buffered.
    case oversized(byteCount: Int)
    /// End of input: answer what was received, then stop.
    case end
}

/// Splits a byte stream into ``InputEvent``s, never holding more than `maximumLineBytes` of one line.
public struct LineSplitter: Sendable {
    public let maximumLineBytes: Int
    private var buffer: [UInt8] = []
    /// Bytes of the current over-long line dropped so far; nil while the line is within the limit.
    private var discarded: Int?

    public init(maximumLineBytes: Int) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// Feeds bytes and returns the complete events they finish.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [InputEvent] {
        var events: [InputEvent] = []
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: 0x0A) {
            let chunk = rest[..<newline]
            rest = rest[rest.index(after: newline)...]
            if let dropped = discarded {
                events.append(.oversized(byteCount: dropped + chunk.count))
                discarded = nil
                continue
            }
            if buffer.count + chunk.count > maximumLineBytes {
                events.append(.oversized(byteCount: buffer.count + chunk.count))
                buffer.removeAll(keepingCapacity: false)
                continue
            }
            buffer.append(contentsOf: chunk)
            if buffer.last == 0x0D { buffer.removeLast() }
            if buffer.contains(where: { $0 != 0x20 && $0 != 0x09 }) {
                events.append(.line(Data(buffer)))
            }
            buffer.removeAll(keepingCapacity: true)
        }
        if let dropped = discarded {
            discarded = dropped + rest.count
        } else if buffer.count + rest.count > maximumLineBytes {
            discarded = buffer.count + rest.count
            buffer.removeAll(keepingCapacity: false)
        } else {
            buffer.append(contentsOf: rest)
        }
        return events
    }

    /// The events left at end of input: a last line without a newline still counts.
    public mutating func finish() -> [InputEvent] {
        defer {
            buffer = []
            discarded = nil
        }
        if let dropped = discarded { return [.oversized(byteCount: dropped), .end] }
        if buffer.last == 0x0D { buffer.removeLast() }
        if buffer.contains(where: { $0 != 0x20 && $0 != 0x09 }) { return [.line(Data(buffer)), .end] }
        return [.end]
    }
}
