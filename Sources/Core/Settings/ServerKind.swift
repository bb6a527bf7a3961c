package import FoundationEssentials

/// Whether an API URL points at Prefect Cloud (and which workspace) or at a self-hosted server.
package enum ServerKind: Sendable, Equatable {
    case selfHosted
    /// Prefect Cloud; the ids are nil when the URL is the bare Cloud API without a workspace.
    case cloud(accountID: String?, workspaceID: String?)

    /// The Cloud API root, relative to which account-level routes (`/me/`, rate limits) live.
    package static let cloudAPIRoot = "https://api.prefect.cloud/api"

    /// Detects Cloud as Prefect's client does: the URL starts with the Cloud API root.
    package init(apiURL: URL) {
        let text = apiURL.absoluteString
        guard text.hasPrefix(Self.cloudAPIRoot) else {
            self = .selfHosted
            return
        }
        let segments = apiURL.path.split(separator: "/").map(String.init)
        func segment(after name: String) -> String? {
            guard let index = segments.firstIndex(of: name), index + 1 < segments.count else { return nil }
            return segments[index + 1]
        }
        self = .cloud(accountID: segment(after: "accounts"), workspaceID: segment(after: "workspaces"))
    }

    package var isCloud: Bool {
        if case .cloud = self { return true }
        return false
    }
}

/// Links into the Prefect web UI (prefect/utilities/urls.py).
package enum UILinks {
    /// Derives the UI base from the API URL as Prefect's settings do: Cloud API → app, strip `/api`,
    /// `/accounts/` → `/account/`, `/workspaces/` → `/workspace/`.
    package static func uiBase(forAPI apiURL: URL) -> URL {
        var text = apiURL.withoutUserinfo.absoluteString  // links are handed out: never with credentials
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasPrefix(ServerKind.cloudAPIRoot) {
            text = "https://app.prefect.cloud" + text.dropFirst(ServerKind.cloudAPIRoot.count)
        } else if text.hasSuffix("/api") {
            text.removeLast(4)
        }
        text = text.replacing("/api/", with: "/")
            .replacing("/accounts/", with: "/account/")
            .replacing("/workspaces/", with: "/workspace/")
        return URL(string: text) ?? apiURL
    }

    package static func flowRun(_ id: String, ui: URL) -> String { "\(ui.absoluteString)/runs/flow-run/\(id)" }
    package static func taskRun(_ id: String, ui: URL) -> String { "\(ui.absoluteString)/runs/task-run/\(id)" }
    package static func flow(_ id: String, ui: URL) -> String { "\(ui.absoluteString)/flows/flow/\(id)" }
    package static func deployment(_ id: String, ui: URL) -> String { "\(ui.absoluteString)/deployments/deployment/\(id)" }
    package static func workPool(_ name: String, ui: URL) -> String {
        "\(ui.absoluteString)/work-pools/work-pool/\(name.percentEncodedSegment)"
    }
}
