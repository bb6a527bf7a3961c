extension String {
    /// The text with nothing left that a terminal would obey: every C0 control but newline and tab in caret notation
    /// (ESC as `^[`, BEL as `^G`, a bare carriage return as `^M`), DEL as `^?`, and the C1 controls as `<U+009B>`.
    /// A CRLF line end becomes a plain newline. Log lines, run names and server messages are untrusted (a flow can
    /// log anything, a server can answer anything): they pass through this before they reach a terminal.
    package var terminalSafe: String {
        guard unicodeScalars.contains(where: \.isTerminalControl) else { return self }
        var result = String.UnicodeScalarView()
        result.reserveCapacity(unicodeScalars.count + 16)
        var scalars = unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            guard scalar.isTerminalControl else {
                result.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x0D where pending == "\n":
                continue  // CRLF: the newline that follows ends the line
            case 0x00..<0x20:
                result.append("^")
                result.append(Unicode.Scalar(UInt8(scalar.value + 0x40)))
            case 0x7F:
                result.append(contentsOf: "^?".unicodeScalars)
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result.append(contentsOf: "<U+\(String(repeating: "0", count: 4 - hex.count))\(hex)>".unicodeScalars)
            }
        }
        return String(result)
    }
}

extension Unicode.Scalar {
    /// A control character a terminal acts on: C0 but newline and tab, DEL, C1.
    fileprivate var isTerminalControl: Bool {
        switch value {
        case 0x0A, 0x09: false
        case 0x00..<0x20, 0x7F..<0xA0: true
        default: false
        }
    }
}
