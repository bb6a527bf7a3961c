/// Cutting texts to a length, for tool results (the 40 KB budget) and error messages (which never repeat a whole
/// over-long input): shared by Core and MCP, which both depend on this module.
extension String {
    /// The text cut to `limit` characters, saying so in the text itself; unchanged when it fits.
    public func clipped(to limit: Int) -> String {
        guard utf8.count > limit else { return self }  // see isLonger(than:)
        let count = count
        guard count > limit else { return self }
        return String(prefix(limit)) + " … [cut: \(count - limit) more characters]"
    }

    /// The text as an error message may quote it: at most ``echoLimit`` characters, saying how much was cut. A
    /// message never repeats a whole over-long input back.
    public var echoed: String { clipped(to: Self.echoLimit) }

    /// How much of a bad value an error message quotes.
    public static let echoLimit = 200

    /// Whether the text has more than `limit` characters. Counting characters walks grapheme clusters; a text of
    /// at most `limit` UTF-8 bytes cannot have more characters than that, so most texts are answered from their
    /// byte count alone.
    public func isLonger(than limit: Int) -> Bool {
        utf8.count > limit && count > limit
    }
}
