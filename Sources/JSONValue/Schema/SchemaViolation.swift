/// One way a value breaks a schema: where (`filter.state.type.any_[0]`) and what was expected.
public struct SchemaViolation: Hashable, Sendable, CustomStringConvertible {
    /// The path from the root argument object; empty for the root itself.
    public var path: String
    public var message: String
    /// The value had the wrong JSON type here (used to pick the closest `anyOf`/`oneOf` alternative).
    var isTypeMismatch = false

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
