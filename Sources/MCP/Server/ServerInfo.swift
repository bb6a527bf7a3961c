import JSONValue

/// Who the server is, as `initialize` and `server/discover` tell it.
public struct ServerInfo: Sendable {
    public var name: String
    public var version: String
    public var title: String
    public var description: String
    /// How an assistant should use the server; sent as `instructions`.
    public var instructions: String

    public init(name: String, version: String, title: String, description: String, instructions: String) {
        self.name = name
        self.version = version
        self.title = title
        self.description = description
        self.instructions = instructions
    }

    var json: JSONValue {
        ["name": .string(name), "version": .string(version), "title": .string(title), "description": .string(description)]
    }
}
