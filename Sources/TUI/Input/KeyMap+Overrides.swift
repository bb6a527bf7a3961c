import Core

/// Why a config file's key cannot be used, naming the command (`quit`) as written under `[dashboard.keys]`.
package struct KeyOverrideError: Error, Equatable, CustomStringConvertible {
    package var command: String
    package var reason: String

    package var description: String { "dashboard.keys.\(command): \(reason)" }
}

extension KeyMap {
    /// The names a config file gives the commands under `[dashboard.keys]`, in the help screen's order.
    package static let commandNames: [(name: String, command: Command)] = [
        ("down", .down), ("up", .up), ("page-down", .pageDown), ("page-up", .pageUp), ("top", .top), ("bottom", .bottom),
        ("open", .open), ("logs", .openLogs), ("filter", .startFilter), ("search", .startSearch), ("next-match", .nextMatch),
        ("previous-match", .previousMatch), ("follow", .toggleFollow), ("wrap", .toggleWrap), ("timestamps", .toggleTimestamps),
        ("level", .cycleLevel), ("window", .cycleWindow), ("cancel", .cancelRun), ("retry", .retryRun), ("run", .runDeployment),
        ("pause", .togglePause), ("profiles", .pickProfile), ("next-view", .nextView), ("previous-view", .previousView),
        ("overview", .show(.overview)), ("runs", .show(.runs)), ("deployments", .show(.deployments)), ("work-pools", .show(.workPools)),
        ("logs-view", .show(.logs)), ("events", .show(.events)), ("refresh", .refresh), ("back", .back), ("help", .help), ("quit", .quit),
    ]

    /// The map with the keys of some commands replaced (`["quit": ["Q"]]`): each named command gets exactly the keys
    /// given, in every view it applies to.
    /// - Throws: ``KeyOverrideError`` for an unknown command or key, or a key that another command would then also
    ///   have in a view where both apply (ambiguous: one of them would never run).
    package func overriding(_ overrides: [String: [String]]) throws(KeyOverrideError) -> KeyMap {
        var map = self
        for (name, keyNames) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let command = Self.commandNames.first(where: { $0.name == name })?.command else {
                throw KeyOverrideError(
                    command: name, reason: "no such command; the commands are \(Self.commandNames.map(\.name).joined(separator: ", ")).")
            }
            var keys: [Key] = []
            for keyName in keyNames {
                guard let key = Key(name: keyName) else {
                    throw KeyOverrideError(
                        command: name,
                        reason: "'\(keyName.terminalSafe)' is not a key; write one character (\"x\", \"G\"), Ctrl-X, or one of "
                            + "\(Key.names.map(\.name).joined(separator: ", ")).")
                }
                if !keys.contains(key) { keys.append(key) }
            }
            for index in map.bindings.indices where map.bindings[index].command == command { map.bindings[index].keys = keys }
        }
        for (index, first) in map.bindings.enumerated() {
            for second in map.bindings[(index + 1)...] where second.command != first.command && first.overlaps(second) {
                guard let key = first.keys.first(where: second.keys.contains) else { continue }
                let (mine, other) = overrides[Self.name(of: first.command)] != nil ? (first, second) : (second, first)
                throw KeyOverrideError(
                    command: Self.name(of: mine.command),
                    reason: "\(key.label) is also the key of '\(Self.name(of: other.command))' (\(other.help)); give that command other keys "
                        + "too, or pick another key.")
            }
        }
        return map
    }

    static func name(of command: Command) -> String {
        commandNames.first { $0.command == command }?.name ?? "\(command)"
    }
}

extension Binding {
    /// Whether some view has both bindings.
    func overlaps(_ other: Binding) -> Bool {
        views.isEmpty || other.views.isEmpty || !views.isDisjoint(with: other.views)
    }
}

extension Key {
    /// Keys by the names a config file may use, matched ignoring case.
    package static let names: [(name: String, key: Key)] = [
        ("Enter", .enter), ("Esc", .escape), ("Tab", .tab), ("Shift-Tab", .backTab), ("Backspace", .backspace), ("Space", .character(" ")),
        ("Up", .up), ("Down", .down), ("Left", .left), ("Right", .right), ("PgUp", .pageUp), ("PgDn", .pageDown), ("Home", .home),
        ("End", .end),
    ]
    static let aliases: [String: Key] = ["return": .enter, "escape": .escape, "backtab": .backTab, "pageup": .pageUp, "pagedown": .pageDown]

    /// A key as a config file writes it: one character (`x`, `G`, `?`), `Ctrl-X` (a letter), or a name (``names``).
    init?(name: String) {
        if name.count == 1, let character = name.first, !character.isWhitespace,
            character.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
        {
            self = .character(character)
            return
        }
        let lowered = name.lowercased()
        for prefix in ["ctrl-", "ctrl+", "c-"] where lowered.hasPrefix(prefix) {
            let rest = lowered.dropFirst(prefix.count)
            // Ctrl-H, I, J and M reach a program as Backspace, Tab and Enter.
            guard rest.count == 1, let letter = rest.first, letter.isASCII, letter.isLetter, !"hijm".contains(letter) else { return nil }
            self = .control(letter)
            return
        }
        if let key = Self.names.first(where: { $0.name.lowercased() == lowered })?.key ?? Self.aliases[lowered] {
            self = key
            return
        }
        return nil
    }
}
