package import Core
package import FoundationEssentials

/// The profile picker (`P`): the profiles of Prefect's `profiles.toml`; Enter reconnects to the one selected.
package struct ProfilePicker: Sendable, Equatable {
    package var entries: [ProfileSwitch.Entry]
    package var selected = 0

    /// `local  http://127.0.0.1:4200/api  (active)`: a line of the pick list.
    func label(_ entry: ProfileSwitch.Entry, current: String?) -> String {
        let width = entries.map(\.name.count).max() ?? 0
        let marks = [entry.name == current ? "in use" : nil, entry.isActive ? "active in the file" : nil].compactMap { $0 }
        return entry.name.paddedColumn(width) + " " + (entry.apiURL ?? "no PREFECT_API_URL")
            + (marks.isEmpty ? "" : "  (\(marks.joined(separator: ", ")))")
    }
}

/// Why the profiles could not be listed.
package struct ProfileListError: Error, Equatable {
    package var description: String
}

extension DashboardState {
    /// The name of the profile the dashboard talks to, when it came from one.
    var profileInUse: String? { overview?.status.server.profile ?? startingProfile }

    mutating func applyProfiles(_ event: DashboardEvent) -> [Effect] {
        switch event {
        case .profiles(.success(let entries)):
            guard !entries.isEmpty else {
                notice = Notice(text: "No profiles to switch to: Prefect's profiles.toml has none (prefect profile create NAME).", isError: true)
                return []
            }
            picker = ProfilePicker(entries: entries, selected: entries.firstIndex { $0.name == profileInUse } ?? 0)
        case .profiles(.failure(let error)):
            notice = Notice(text: error.description, isError: true)
        case .switched(let profile, let serverURL, let now):
            var fresh = DashboardState()
            fresh.size = size
            fresh.keyMap = keyMap
            fresh.colors = colors
            fresh.writes = writes
            fresh.windowIndex = windowIndex
            fresh.serverURL = serverURL
            fresh.startingProfile = profile
            fresh.watchingSince = now
            fresh.notice = Notice(text: "Switched to profile \(profile): \(serverURL)", isError: false)
            self = fresh
            return [.refresh]
        case .profileFailed(let name, let reason):
            notice = Notice(text: "Cannot switch to profile \(name): \(reason)", isError: true)
        default:
            break
        }
        return []
    }

    /// j/k move, Enter switches, Esc closes; nil when the picker is not open (the key is someone else's).
    mutating func pickerKey(_ key: Key) -> [Effect]? {
        guard var open = picker else { return nil }
        switch key {
        case .character("j"), .down: open.selected = min(open.entries.count - 1, open.selected + 1)
        case .character("k"), .up: open.selected = max(0, open.selected - 1)
        case .escape, .character("q"):
            picker = nil
            return []
        case .enter:
            picker = nil
            let name = open.entries[open.selected].name
            if name == profileInUse { return [] }
            notice = Notice(text: "Connecting to profile \(name)…", isError: false)
            return [.switchProfile(name)]
        default: break
        }
        picker = open
        return []
    }
}
