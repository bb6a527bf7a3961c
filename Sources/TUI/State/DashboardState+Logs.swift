package import Core

extension DashboardState {
    /// Lines per page of older log lines; the first page (`LogFollower.start`) is as large.
    package static let logPage = 1000

    /// Moves in the log view. Reaching the first loaded lines asks for the page before them while the server holds
    /// older ones; `g` keeps asking, page after page, until the log's first line is shown.
    mutating func moveInLog(_ command: Command) -> [Effect] {
        let page = max(1, logHeight - 1)
        logs.wantsFirstLine = command == .top && logs.olderRemain
        switch command {
        case .up: logs.scroll(by: -1, viewHeight: logHeight)
        case .down: logs.scroll(by: 1, viewHeight: logHeight)
        case .pageUp: logs.scroll(by: -page, viewHeight: logHeight)
        case .pageDown: logs.scroll(by: page, viewHeight: logHeight)
        case .top: logs.toTop()
        default: logs.toBottom(viewHeight: logHeight)
        }
        return [.up, .pageUp, .top].contains(command) && logs.top < logHeight ? loadOlderLogs() : []
    }

    /// The effect that reads the page of lines before the first loaded one, if one is needed and none is on its way.
    private mutating func loadOlderLogs() -> [Effect] {
        guard let run = logRun, logs.olderRemain, !logs.loadingOlder, !logs.isFull else { return [] }
        logs.loadingOlder = true
        logs.olderFailure = nil
        return [.loadOlderLogs(runID: run.id, offset: logs.entryIDs.count)]
    }

    /// Applies what the log's reader sent: the first lines, new ones, or a page of older ones. Lines for a run no
    /// longer shown are dropped.
    mutating func applyLogs(_ event: LogEvent) -> [Effect] {
        switch event {
        case .started(let runID, let lines, let olderRemain):
            guard runID == logRun?.id else { return [] }
            logs.append(lines, viewHeight: logHeight)
            logs.olderRemain = olderRemain
        case .appended(let runID, let lines):
            guard runID == logRun?.id else { return [] }
            logs.append(lines, viewHeight: logHeight)
        case .source(let runID, let mode):
            guard runID == logRun?.id else { return [] }
            logs.source = mode
        case .older(let runID, let lines, let more):
            guard runID == logRun?.id else { return [] }
            logs.loadingOlder = false
            logs.prepend(lines, viewHeight: logHeight)
            logs.olderRemain = more
            if logs.wantsFirstLine {
                logs.toTop()
                logs.wantsFirstLine = more && !logs.isFull
                return logs.wantsFirstLine ? loadOlderLogs() : []
            }
        case .olderFailed(let runID, let reason):
            guard runID == logRun?.id else { return [] }
            logs.loadingOlder = false
            logs.wantsFirstLine = false
            logs.olderFailure = reason
        }
        return []
    }
}

/// What the reader of a run's log sends the dashboard.
package enum LogEvent: Sendable {
    /// The newest lines, and whether the run has older ones.
    case started(runID: String, lines: [LogLine], olderRemain: Bool)
    /// Lines written since.
    case appended(runID: String, lines: [LogLine])
    /// The page before the first loaded line, oldest first, and whether still older ones remain.
    case older(runID: String, lines: [LogLine], more: Bool)
    case olderFailed(runID: String, reason: String)
    /// How the follow gets new lines now: pushed or polled.
    case source(runID: String, FeedMode)
}
