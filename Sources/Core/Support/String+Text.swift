extension String {
    /// The text followed by spaces up to `width` characters, and always at least one: a column of log levels.
    package func paddedColumn(_ width: Int) -> String {
        self + String(repeating: " ", count: max(1, width - count + 1))
    }

    /// The first line that has text (a state message's summary above its traceback); empty when none has.
    package var firstLine: String {
        split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    /// The text as a sentence: a full stop added unless it already ends in punctuation.
    package var sentence: String {
        guard let last = trimmed.last else { return self }
        return ".!?:)\"'".contains(last) ? trimmed : trimmed + "."
    }

    /// The text without leading and trailing whitespace and newlines.
    package var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters, so the result is safe as one path segment
    /// or query value (a pool name with a space or a slash).
    package var percentEncodedSegment: String {
        var result = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(hex[Int(byte >> 4)])
                result.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }
}
