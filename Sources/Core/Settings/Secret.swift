/// A credential that never prints itself: `description` and `masked` show at most a hint.
package struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The real value, for building the Authorization header only.
    package let revealed: String

    package init(_ value: String) {
        self.revealed = value
    }

    /// `pnu_…f3a9` for long keys (the last four characters), `****` for short ones.
    package var masked: String {
        revealed.count >= 16 ? "\(revealed.prefix(4))…\(revealed.suffix(4))" : "****"
    }

    package var description: String { masked }
    package var debugDescription: String { "Secret(\(masked))" }
}
