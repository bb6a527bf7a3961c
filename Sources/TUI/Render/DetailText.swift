package import Core
package import FoundationEssentials
import JSONValue

/// One line of a detail view.
package struct DetailLine: Sendable, Equatable {
    package var text: String
    package var style: Style
    /// Whether the line continues on the rows below when it is wider than the screen (a command or link to copy,
    /// a diagnosis), rather than ending with `…`.
    package var wraps: Bool

    init(_ text: String, _ style: Style = .plain, wraps: Bool = false) {
        self.text = text
        self.style = style
        self.wraps = wraps
    }
}

/// The text of the detail views, line by line. Independent of the clock (times are absolute) and of the screen size
/// (``rows(_:width:)`` wraps them to a width), so the reducer can count the rows it scrolls through.
package enum DetailText {
    package static func run(_ detail: FlowRunDetail, now: Date) -> [DetailLine] {
        let diagnosis = detail.diagnosis
        let run = diagnosis.run
        var lines = [
            DetailLine("\(run.name) · \(run.stateName ?? "?")", OverviewPanel.stateStyle(run.stateType, run.stateName).merged(bold: true)),
            DetailLine(
                "Flow \(run.flowName ?? run.flowID) · deployment \(run.deploymentName ?? "none (ad hoc)") · pool \(run.workPoolName ?? "none")"
                    + (run.workQueueName.map { " / \($0)" } ?? "")),
            DetailLine(
                "Expected \(time(run.expectedStartTime)) · started \(time(run.startTime)) · ended \(time(run.endTime))"
                    + " · duration \(run.durationSeconds.map { Duration.seconds($0).compactDescription } ?? "-") · run count \(run.runCount ?? 0)",
                wraps: true),
        ]
        if let lateBy = run.lateBySeconds { lines.append(DetailLine("Late by \(Duration.seconds(lateBy).compactDescription)", .warning)) }
        if !run.tags.isEmpty { lines.append(DetailLine("Tags \(run.tags.joined(separator: ", "))")) }
        if let message = run.stateMessage, !message.isEmpty {
            lines.append(DetailLine("Message \(message)", OverviewPanel.stateStyle(run.stateType, run.stateName)))
        }
        lines.append(DetailLine("UI \(run.uiURL)", .accent, wraps: true))

        if !diagnosis.causes.isEmpty || !diagnosis.hints.isEmpty {
            lines.append(section("Diagnosis"))
            for cause in diagnosis.causes {
                lines.append(DetailLine("  • \(cause.message)", .warning, wraps: true))
                if let fix = cause.fix { lines.append(DetailLine("    fix: \(fix)", .accent, wraps: true)) }
            }
            lines += diagnosis.hints.map { DetailLine("  • \($0)", wraps: true) }
        }
        if let subflow = diagnosis.subflowFailure {
            lines.append(section("Failed subflows (the exception is in the last one)"))
            lines.append(DetailLine("  \(subflow.path)", .error, wraps: true))
            for link in subflow.chain {
                let run = link.run
                lines.append(
                    DetailLine(
                        "  \(String(repeating: "  ", count: link.depth - 1))↳ \(run.flowName ?? "?") (\(run.name)) · \(run.stateName ?? "?") · "
                            + "via task \(link.parentTaskRunName) · \(run.id)", OverviewPanel.stateStyle(run.stateType, run.stateName), wraps: true))
            }
            for task in subflow.failedTaskRuns {
                lines.append(DetailLine("  task \(task.name): \(task.message?.firstLine ?? "")", .error, wraps: true))
            }
            if subflow.truncated { lines.append(DetailLine("  … deeper subflows not followed", .warning)) }
            lines += traceback(subflow.errorLogs)
        }
        if !diagnosis.errorLogs.isEmpty {
            lines.append(section("Error log lines (newest \(diagnosis.errorLogs.count); l for the whole log)"))
            lines += traceback(diagnosis.errorLogs)
        }
        if !diagnosis.nextSteps.isEmpty {
            lines.append(section("Next steps"))
            lines += diagnosis.nextSteps.map { DetailLine("  • \($0)", wraps: true) }
        }

        lines.append(section("State history"))
        lines += diagnosis.stateHistory.map { change in
            DetailLine(
                "  \(time(change.timestamp))  \((change.name ?? change.type).paddedColumn(12))"
                    + (change.message.map { " \($0.firstLine)" } ?? ""),
                OverviewPanel.stateStyle(change.type, change.name))
        }

        lines.append(section("Parameters (\(detail.parameters.count))"))
        lines += detail.parameters.keys.sorted().map { DetailLine("  \($0) = \(compact(detail.parameters[$0] ?? .null))") }

        let counts = diagnosis.taskRunCounts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        lines.append(section("Task runs (\(detail.taskRuns.count)\(counts.isEmpty ? "" : ": \(counts)"))"))
        for task in detail.taskRuns {
            let duration = task.durationSeconds(at: now).map { Duration.seconds($0).compactDescription } ?? "-"
            let style = OverviewPanel.stateStyle(task.stateType?.rawValue, task.stateName)
            lines.append(
                DetailLine("  \(task.name.paddedColumn(28)) \((task.stateName ?? "?").paddedColumn(12)) \(time(task.startTime))  \(duration)", style))
            if [.failed, .crashed].contains(task.stateType ?? .completed), let message = task.state?.message, !message.isEmpty {
                lines.append(DetailLine("      \(message.firstLine)", .error))
            }
        }
        return lines
    }

    /// ERROR lines as the detail shows them: a traceback's first line and its end say the most (the call that failed
    /// and the exception), so a long one keeps those.
    static func traceback(_ logs: [LogLine]) -> [DetailLine] {
        logs.flatMap { line in
            let parts = line.message.split(whereSeparator: \.isNewline)
            let shown = parts.count <= 8 ? parts[...] : [parts[0], "  …"] + parts.suffix(6)
            return shown.map { DetailLine("  \($0)", .error) }
        }
    }

    package static func deployment(_ row: DeploymentRow, finished: FinishedRuns? = nil) -> [DetailLine] {
        var lines = [
            DetailLine("\(row.slug) · \(row.paused ? "PAUSED" : row.status ?? "?")", (row.paused ? Style.warning : .plain).merged(bold: true)),
            DetailLine(
                "Pool \(row.workPoolName ?? "none") · queue \(row.workQueueName ?? "default") · last polled \(time(row.lastPolled)) · "
                    + "updated \(time(row.updated))"
            ),
        ]
        if let description = row.description, !description.isEmpty {
            lines.append(DetailLine(description.firstLine))
        }
        if let entrypoint = row.entrypoint { lines.append(DetailLine("Entrypoint \(entrypoint)")) }
        if !row.tags.isEmpty { lines.append(DetailLine("Tags \(row.tags.joined(separator: ", "))")) }
        if let limit = row.concurrencyLimit {
            lines.append(DetailLine("Concurrency limit \(limit.activeSlots.map(String.init) ?? "?")/\(limit.limit) taken (\(limit.name))"))
        }
        lines.append(DetailLine("UI \(row.uiURL)", .accent, wraps: true))
        lines += recentRuns(finished)
        lines.append(section("Schedules (\(row.schedules.count))"))
        lines += row.schedules.map { DetailLine("  \($0.active ? "active  " : "inactive") \($0.schedule)", $0.active ? .plain : .dim) }
        if row.schedules.isEmpty { lines.append(DetailLine("  none: runs start only when triggered", .dim)) }
        lines.append(section("Default parameters (\(row.parameters.count))"))
        lines += row.parameters.keys.sorted().map { DetailLine("  \($0) = \(compact(row.parameters[$0] ?? .null))") }
        return lines
    }

    /// The success rate and a sparkline of the durations of a deployment's newest finished runs.
    static func recentRuns(_ finished: FinishedRuns?) -> [DetailLine] {
        guard let finished else { return [section("Recent runs"), DetailLine("  reading…", .dim)] }
        guard let rate = finished.successRate else {
            return [section("Recent runs"), DetailLine("  no finished run yet (completed, failed or crashed)", .dim)]
        }
        let percent = Int((rate * 100).rounded())
        let style: Style = rate >= 0.95 ? .ok : rate >= 0.5 ? .warning : .error
        var lines = [
            section("Recent runs (the newest \(finished.runs.count) finished)"),
            DetailLine("  Success rate \(percent)%: \(finished.completed) of \(finished.runs.count) completed", style),
        ]
        let durations = finished.durations
        if let shortest = durations.min(), let longest = durations.max() {
            let range = { (seconds: Double) in Duration.seconds(seconds.rounded()).compactDescription }
            lines.append(DetailLine("  Durations \(Sparkline.text(durations))  oldest → newest · \(range(shortest)) to \(range(longest))"))
        }
        return lines
    }

    package static func workPool(_ pool: WorkPoolDetail) -> [DetailLine] {
        let health = pool.health
        var lines = [
            DetailLine(
                "\(health.name) · \(health.displayStatus)",
                (health.isPaused || health.onlineWorkers == 0 ? Style.warning : .plain).merged(bold: true)),
            DetailLine(
                "Type \(health.type ?? "?") · workers \(health.onlineWorkers)/\(health.workers) online · late runs \(health.lateRuns)"
                    + " · active \(health.activeRuns)/\(health.concurrencyLimit.map(String.init) ?? "∞")"),
        ]
        if let description = pool.description, !description.isEmpty {
            lines.append(DetailLine(description.firstLine))
        }
        lines.append(DetailLine("UI \(pool.uiURL)", .accent, wraps: true))
        lines.append(section("Workers (\(pool.workers.count))"))
        lines += pool.workers.map { worker in
            let age = worker.heartbeatAgeSeconds.map { Duration.seconds($0).ago } ?? "never"
            return DetailLine(
                "  \(worker.name.paddedColumn(36)) \((worker.status ?? "?").paddedColumn(8)) heartbeat \(age)",
                worker.status == "ONLINE" ? .ok : .warning)
        }
        if pool.workers.isEmpty {
            lines.append(DetailLine("  none: start one with prefect worker start --pool \(health.name)", .warning, wraps: true))
        }
        lines.append(section("Queues (\(pool.queues.count))"))
        lines += pool.queues.map { queue in
            let limit = queue.concurrencyLimit.map { "limit \($0)" } ?? "no limit"
            return DetailLine(
                "  \(queue.name.paddedColumn(24)) \((queue.isPaused ? "PAUSED" : queue.status ?? "?").paddedColumn(10)) priority "
                    + "\(queue.priority.map(String.init) ?? "-") · \(limit) · last polled \(time(queue.lastPolled))",
                queue.isPaused ? .warning : .plain)
        }
        return lines
    }

    private static func section(_ title: String) -> DetailLine { DetailLine(title, .bold) }

    /// The rows `lines` take in `width` columns: a line that wraps continues on the rows below, indented under its
    /// text (after `• `, `fix: ` or `UI `), broken at a space where one is near; any other line stays one row.
    package static func rows(_ lines: [DetailLine], width: Int) -> [DetailLine] {
        lines.flatMap { line -> [DetailLine] in
            guard line.wraps, TerminalWidth.columns(of: line.text) > width else { return [line] }
            let indent = min(hangingIndent(line.text), width / 2)
            var rows: [DetailLine] = []
            var rest = Substring(line.text)
            while !rest.isEmpty {
                let lead = rows.isEmpty ? "" : String(repeating: " ", count: indent)
                let room = max(1, width - lead.count)
                var part = TerminalWidth.prefix(of: String(rest), fitting: room)
                if part.isEmpty { part = rest.prefix(1) }  // a wide character in a one-column room
                let breaksAtSpace = part.count == rest.count || rest.dropFirst(part.count).first == " "
                if !breaksAtSpace, let space = part.lastIndex(of: " "), part.distance(from: part.startIndex, to: space) > room / 2 {
                    part = part[...space]
                }
                var text = lead + part
                while text.hasSuffix(" ") { text.removeLast() }
                rows.append(DetailLine(text, line.style))
                rest = rest.dropFirst(part.count).drop { $0 == " " }
            }
            return rows
        }
    }

    /// Where a wrapped line's text starts: after its leading spaces and a `• `, `fix: ` or `UI ` label.
    private static func hangingIndent(_ text: String) -> Int {
        let spaces = text.prefix { $0 == " " }.count
        let body = text.dropFirst(spaces)
        return spaces + (["• ", "fix: ", "UI "].first { body.hasPrefix($0) }?.count ?? 0)
    }

    /// `2026-11-24 12:00:05`, in UTC like every Prefect time; `-` for none.
    static func time(_ date: Date?) -> String {
        guard let date else { return "-" }
        let text = PrefectDate.format(date)
        return "\(text.prefix(10)) \(text.dropFirst(11).prefix(8))"
    }

    /// A parameter value as compact JSON, cut at 200 characters.
    static func compact(_ value: JSONValue) -> String {
        value.jsonText.clipped(to: 200)
    }
}

extension Style {
    func merged(bold: Bool) -> Style {
        var style = self
        style.bold = bold
        return style
    }
}
