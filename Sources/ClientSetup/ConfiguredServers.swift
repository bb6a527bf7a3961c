import JSONValue
import TOMLKit

/// A prefect-mcp server an assistant's file configures: `doctor` lists them and says which run this binary.
public struct ConfiguredServer: Sendable, Equatable {
    public var client: AssistantClient
    public var scope: AssistantClient.Scope
    public var path: String
    /// Its name in the file (`prefect` when `setup` wrote it).
    public var name: String
    public var command: String
    public var arguments: [String]

    /// Finds, in every client's user and project file, the servers named `prefect` or started from a binary named
    /// `prefect-mcp`. A missing file has none; one that cannot be read or parsed is reported in `problems`.
    public static func find(home: String, project: String, environment: [String: String] = [:]) -> (
        servers: [ConfiguredServer], problems: [ConfigFileError]
    ) {
        var servers: [ConfiguredServer] = []
        var problems: [ConfigFileError] = []
        for client in AssistantClient.allCases {
            for scope in AssistantClient.Scope.allCases {
                let path = client.configPath(scope: scope, home: home, project: project, environment: environment)
                do {
                    guard let text = try ConfigFileIO.read(path) else { continue }
                    for (name, command, arguments) in try entries(in: text, toml: client.usesTOML, path: path)
                    where name == ConfigChange.serverName || command.split(separator: "/").last == "prefect-mcp" {
                        servers.append(ConfiguredServer(client: client, scope: scope, path: path, name: name, command: command, arguments: arguments))
                    }
                } catch {
                    problems.append(error)
                }
            }
        }
        return (servers, problems)
    }

    static func entries(in text: String, toml: Bool, path: String) throws(ConfigFileError) -> [(String, String, [String])] {
        if toml {
            let table = try TOMLServerEdit.parse(text, path: path)
            return (table["mcp_servers"]?.table ?? TOMLTable()).compactMap { name, value in
                guard let server = value.table, let command = server["command"]?.string else { return nil }
                return (name, command, server["args"]?.array?.compactMap { $0.string } ?? [])
            }
        }
        guard !text.allSatisfy(\.isWhitespace) else { return [] }
        let root: JSONValue
        do {
            root = try JSONValue(parsing: Array(text.utf8))
        } catch {
            let (line, column) = JSONServerEdit.position(of: error.offset, in: Array(text.utf8))
            throw ConfigFileError(path: path, reason: "line \(line), column \(column): not valid JSON (\(error.reason))")
        }
        return (root["mcpServers"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.compactMap { name, value in
            guard let command = value["command"]?.stringValue else { return nil }
            return (name, command, value["args"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }
}
