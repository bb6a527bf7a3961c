package import FoundationEssentials
import JSONValue

/// What a person types to narrow a run list, e.g. `state:failed flow:etl nightly`: bare words match the run
/// name anywhere; `state:` (repeatable, any of them), `flow:` and `deployment:` (anywhere in the name) and `pool:`
/// (exact) narrow by those. Case never matters.
package struct RunSearch: Sendable, Hashable {
    package var name: String?
    package var stateTypes: [StateType] = []
    package var stateNames: [String] = []
    package var scope = RunScope(partialNames: true)

    package static let keys = ["state", "flow", "deployment", "pool"]

    /// The state names Prefect 3 gives runs, for `state:` values that are not a state type (and `wait_for_flow_run`'s
    /// `until`).
    package static let stateNameList = [
        "Scheduled", "Late", "AwaitingRetry", "AwaitingConcurrencySlot", "Pending", "Running", "Retrying", "Completed", "Cached",
        "RolledBack", "Failed", "Crashed", "Cancelled", "Cancelling", "Paused", "Suspended",
    ]

    /// No narrowing: the newest runs.
    package init() {}

    /// - Throws: ``RunSearchError`` naming the unknown key or state.
    package init(parsing text: String) throws(RunSearchError) {
        var words: [String] = []
        for token in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            guard let colon = token.firstIndex(of: ":") else {
                words.append(token)
                continue
            }
            let key = token[..<colon].lowercased()
            let value = String(token[token.index(after: colon)...])
            guard !value.isEmpty else { throw .emptyValue(key: key) }
            switch key {
            case "state":
                let folded = value.lowercased().filter { $0 != "_" && $0 != "-" }
                if let type = StateType.all.first(where: { $0.rawValue.lowercased() == folded }) {
                    stateTypes.append(type)
                } else if let name = Self.stateNameList.first(where: { $0.lowercased() == folded }) {
                    stateNames.append(name)
                } else {
                    throw .unknownState(value)
                }
            case "flow": scope.flowName = value
            case "deployment": scope.deploymentName = value
            case "pool": scope.workPoolName = value
            default: throw .unknownKey(String(key))
            }
        }
        name = words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// The flow-run filter for the name and states; the scope carries the rest.
    package var filter: FlowRunFilter? {
        var filter = FlowRunFilter()
        if let name { filter.name = AnyLike(like: name) }
        if !stateTypes.isEmpty || !stateNames.isEmpty {
            filter.state = FlowRunStateFilter(
                operator: !stateTypes.isEmpty && !stateNames.isEmpty ? .or : nil,
                type: stateTypes.isEmpty ? nil : AnyNotAny(any: stateTypes),
                name: stateNames.isEmpty ? nil : AnyNotAny(any: stateNames))
        }
        return filter == FlowRunFilter() ? nil : filter
    }
}

/// What is wrong with a run search text.
package enum RunSearchError: Error, Equatable, CustomStringConvertible {
    case unknownKey(String)
    case unknownState(String)
    case emptyValue(key: String)

    package var description: String {
        switch self {
        case .unknownKey(let key):
            "unknown filter key '\(key.echoed):'; use \(RunSearch.keys.map { "\($0):" }.joined(separator: ", ")) or plain words for the run name"
        case .unknownState(let value): "unknown state '\(value.echoed)'; use a type (failed, running, …) or a name (late, awaitingretry, …)"
        case .emptyValue(let key): "'\(key):' needs a value, e.g. \(key == "state" ? "state:failed" : "\(key):etl")"
        }
    }
}

extension PrefectClient {
    /// The newest runs (never future ones) matching `search`, newest first.
    package func searchRuns(_ search: RunSearch, limit: Int, now: Date = Date(), ui: URL) async throws -> [FlowRunRow] {
        try await recentFlowRuns(filter: search.filter, scope: search.scope, limit: limit, offset: 0, now: now, ui: ui, upcomingShown: nil).page.items
    }
}
