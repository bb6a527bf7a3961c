package import Core
package import FoundationEssentials
import JSONValue

/// What happens to the dashboard: a key, a resize, or a result of the work the loop runs.
package enum DashboardEvent: Sendable {
    case key(Key)
    case mouse(Mouse, at: Date)
    case resize(width: Int, height: Int)
    case loaded(Loaded, at: Date)
    case refreshFailed(reason: String, unauthorized: Bool, at: Date)
    case log(LogEvent)
    /// The change feed's mode, or new events.
    case feed(FeedUpdate<Event>, at: Date)
    /// The Late, Running and Pending runs changed (read while events are polled; see ``DashboardSession``).
    case runsMoved(at: Date)
    /// The parameters of the deployment whose run form was asked for.
    case formLoaded(deploymentID: String, slug: String, DeploymentParameters)
    /// A write Prefect accepted (or answered); `newRun` is the run it created, whose log opens.
    case written(WriteRequest, ActionOutcome, newRun: FlowRunRow?)
    /// A write refused before sending, or failed.
    case writeFailed(WriteRequest?, reason: String)
    /// The profiles of profiles.toml, for the picker.
    case profiles(Result<[ProfileSwitch.Entry], ProfileListError>)
    /// The dashboard now talks to the server of another profile.
    case switched(profile: String, serverURL: String, at: Date)
    case profileFailed(name: String, reason: String)
}

/// Work the loop must start in answer to an event; the reducer itself never waits.
package enum Effect: Sendable, Equatable {
    case refresh
    case followLogs(runID: String)
    /// Read the page of `runID`'s log that ends `offset` lines before its newest line.
    case loadOlderLogs(runID: String, offset: Int)
    /// Read a deployment's parameters for its run form.
    case loadRunForm(deploymentID: String, slug: String)
    /// Send a confirmed write.
    case write(WriteRequest)
    /// Read the profiles for the picker.
    case listProfiles
    /// Talk to the server of this profile from now on.
    case switchProfile(String)
    case quit
}

extension DashboardState {
    /// The refresh to start at `now`, if one is due, marked as started. This is the one answer to "when does the
    /// dashboard ask Prefect?": at once after a key or a new view asked for it (and then in full); soon after an
    /// event touched what the view shows; else `interval` after the last attempt while connected (the backstop),
    /// or at the backoff's retry time while not; never while one is under way (``nextRefresh(interval:)``).
    /// `onlyRuns` when only events about runs brought it forward (not a key, not the backstop): the overview then
    /// keeps its pools and recounts the runs.
    package mutating func refreshDue(now: Date, interval: TimeInterval) -> (query: Query, full: Bool, onlyRuns: Bool)? {
        guard refreshStarted == nil, now >= nextRefresh(interval: interval) else { return nil }
        let backstop = connection.nextRefresh(after: lastRefreshAttempt, interval: interval)
        let onlyRuns = !nextRefreshIsFull && changedAt != nil && now < backstop && changedKinds == ["flow-run"]
        refreshStarted = now
        lastRefreshAttempt = now
        changedAt = nil
        changedKinds = []
        patchesSinceRefresh = []
        defer { nextRefreshIsFull = false }
        return (query, nextRefreshIsFull, onlyRuns)
    }

    /// Applies `event`; returns the work to start.
    package mutating func reduce(_ event: DashboardEvent) -> [Effect] {
        let effects = apply(event)
        if effects.contains(.refresh) {
            lastRefreshAttempt = .distantPast
            nextRefreshIsFull = true
        }
        return effects
    }

    private mutating func apply(_ event: DashboardEvent) -> [Effect] {
        switch event {
        case .resize(let width, let height):
            size = (width, height)
            if logs.follow { logs.toBottom(viewHeight: logHeight) }
            return []
        case .loaded(let answer, let now):
            // The selection stays on the object it was on, wherever the answer puts it.
            var kept = selectedIDs()
            switch answer {
            case .overview(let data): overview = data
            case .runs(let search, let rows):
                if search != runs?.search { kept[.runs] = nil }  // a new search starts at its first row
                runs = (search, rows)
            case .runDetail(let detail):
                guard detail.diagnosis.run.id == detailRun?.id else { break }  // an answer for a run no longer shown
                runDetail = detail
                detailRun = detail.diagnosis.run
            case .deployments(let rows, let more):
                deployments = rows
                moreDeployments = more
            case .deploymentDetail(let rows, let more, let id, let finished):
                deployments = rows
                moreDeployments = more
                deploymentRuns = (id, finished)
            case .workPools(let pools): workPools = pools
            }
            // An event that came while this answer was read may be newer than what it says of a run.
            for change in patchesSinceRefresh { patchRuns(change) }
            patchesSinceRefresh = []
            // The log view's header shows the run's state as of the newest answer that has the run.
            if let id = logRun?.id,
                let fresh = ([runDetail?.diagnosis.run].compactMap { $0 } + (overview?.recentRuns ?? []) + (runs?.rows ?? [])).first(where: {
                    $0.id == id
                })
            {
                logRun = fresh
            }
            lastRefresh = now
            refreshStarted = nil
            if !connection.isLive { connection = .connected(since: now) }
            reselect(kept)
            for (view, index) in selection { selection[view] = min(index, maximumSelection(of: view)) }
            return []
        case .refreshFailed(let reason, let unauthorized, let now):
            lastRefresh = now
            refreshStarted = nil
            connection = connection.failed(reason: reason, unauthorized: unauthorized, now: now)
            return []
        case .log(let event):
            return applyLogs(event)
        case .feed(let update, let now):
            applyFeed(update, at: now)
            return []
        case .runsMoved(let now):
            runsMoved(at: now)
            return []
        case .formLoaded, .written, .writeFailed:
            return applyWrite(event)
        case .profiles, .switched, .profileFailed:
            return applyProfiles(event)
        case .key, .mouse:
            let before = query
            notice = nil
            var effects = input(event)
            // A view or search that needs other data loads it now, not at the next poll.
            if query != before, !effects.contains(.refresh) { effects.append(.refresh) }
            return effects
        }
    }

    /// What a key or a click asks for: the open picker, form or prompt takes keys first, then the key map.
    private mutating func input(_ event: DashboardEvent) -> [Effect] {
        switch event {
        case .mouse(let mouse, let now): return click(mouse, at: now)
        case .key(let key):
            if let picked = pickerKey(key) { return picked }
            if let modal = writeKey(key) { return modal }
            if prompt != nil { return type(key) }
            return keyMap.command(for: key, in: view, writes: writes).map { perform($0) } ?? []
        default: return []
        }
    }

    /// A command as a key bound to it would run it.
    mutating func reduceCommand(_ command: Command) -> [Effect] { perform(command) }

    private mutating func perform(_ command: Command) -> [Effect] {
        switch command {
        case .quit:
            shouldQuit = true
            return [.quit]
        case .back:
            if let previous = backStack.popLast() {
                view = previous
            } else if view != .overview {
                view = .overview
            }
            return []
        case .help:
            if view != .help { go(to: .help) }
            return []
        case .pickProfile:
            return [.listProfiles]
        case .refresh:
            // Now, even while backing off: the person asking may have just fixed the server.
            switch connection {
            case .disconnected(let reason, let attempt, _): connection = .disconnected(reason: reason, attempt: attempt, retryAt: .distantPast)
            case .unauthorized(let message, _): connection = .unauthorized(message: message, retryAt: .distantPast)
            default: break
            }
            return [.refresh]
        case .show(let target):
            go(to: target)
            return []
        case .nextView, .previousView:
            let views = View.numbered
            let index = views.firstIndex(of: view.tab ?? .overview) ?? 0
            go(to: views[(index + (command == .nextView ? 1 : views.count - 1)) % views.count])
            return []
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            if view == .logs { return moveInLog(command) }
            move(command)
            return []
        case .openLogs:
            guard let run = selectedRun else { return [] }
            logRun = run
            logs = LogBuffer(capacity: logs.capacity)
            go(to: .logs)
            return [.followLogs(runID: run.id)]
        case .open:
            open()
            return []
        case .startFilter:
            let text =
                switch view {
                case .logs: logs.filter ?? ""
                case .runs: runSearchText
                default: listFilters[view] ?? ""
                }
            prompt = Prompt(purpose: .filter, text: text)
            return []
        case .startSearch:
            prompt = Prompt(purpose: .search, text: logs.search ?? "")
            return []
        case .nextMatch, .previousMatch:
            logs.jumpToMatch(forward: command == .nextMatch, viewHeight: logHeight)
            return []
        case .toggleFollow:
            if logs.follow { logs.scroll(by: -1, viewHeight: logHeight) } else { logs.toBottom(viewHeight: logHeight) }
            return []
        case .toggleWrap:
            wrap.toggle()
            return []
        case .toggleTimestamps:
            timestamps.toggle()
            return []
        case .cycleLevel:
            let levels = [0, 20, 30, 40]
            let next = levels.first { $0 > logs.minimumLevel } ?? 0
            logs.setMinimumLevel(next, viewHeight: logHeight)
            return []
        case .cycleWindow:
            windowIndex = (windowIndex + 1) % Self.windows.count
            return [.refresh]
        case .cancelRun, .retryRun, .runDeployment, .togglePause:
            return ask(command)
        }
    }

    /// Keys while the filter or search prompt is open: text, Backspace, Enter applies, Esc cancels.
    private mutating func type(_ key: Key) -> [Effect] {
        guard var current = prompt else { return [] }
        switch key {
        case .enter:
            prompt = nil
            switch current.purpose {
            case .filter: applyFilter(current.text)
            case .search:
                logs.setSearch(current.text)
                logs.jumpToMatch(forward: true, viewHeight: logHeight)
            }
        case .escape:
            prompt = nil
        case .backspace:
            if !current.text.isEmpty { current.text.removeLast() }
            prompt = current
        case .character(let character):
            current.text.append(character)
            prompt = current
        default:
            break
        }
        return []
    }

    /// Enter: the detail of the selected run, deployment or work pool.
    private mutating func open() {
        let index = selection[view] ?? 0
        switch view {
        case .overview, .runs:
            guard let run = selectedRun else { return }
            if run.id != detailRun?.id { runDetail = nil }
            detailRun = run
            selection[.runDetail] = 0
            go(to: .runDetail)
        case .deployments:
            let rows = shownDeployments
            guard rows.indices.contains(index) else { return }
            detailDeploymentID = rows[index].id
            selection[.deploymentDetail] = 0
            go(to: .deploymentDetail)
        case .workPools:
            let pools = shownWorkPools
            guard pools.indices.contains(index) else { return }
            detailWorkPoolName = pools[index].health.name
            selection[.workPoolDetail] = 0
            go(to: .workPoolDetail)
        case .events:
            let rows = shownEvents
            guard rows.indices.contains(index) else { return }
            openSubject(of: rows[index])
        default:
            break
        }
    }

    /// Enter in the filter prompt: the log filter, the run search (checked first; a mistake keeps the last good
    /// search and says what was wrong), or a list's text filter.
    private mutating func applyFilter(_ text: String) {
        switch view {
        case .logs:
            logs.setFilter(text, viewHeight: logHeight)
        case .runs:
            do {
                runSearch = try RunSearch(parsing: text)
                runSearchText = text
                runSearchError = nil
                selection[.runs] = 0
            } catch {
                runSearchError = "'\(text.echoed)': \(error.description)"
            }
        default:
            listFilters[view] = text.isEmpty ? nil : text
            selection[view] = 0
        }
    }

    mutating func go(to target: View) {
        guard target != view else { return }
        backStack.append(view)
        if backStack.count > 20 { backStack.removeFirst() }
        view = target
    }

    /// The largest selection of `target`: its last row, or for a detail view the first line of its last page.
    private func maximumSelection(of target: View) -> Int {
        let count = listCount(of: target)
        let isDetail = [.runDetail, .deploymentDetail, .workPoolDetail].contains(target)
        return max(0, isDetail ? count - detailHeight : count - 1)
    }

    /// The id of the selected row of each list view that has one.
    private func selectedIDs() -> [View: String] {
        var ids: [View: String] = [:]
        for view in KeyMap.tables {
            let index = selection[view] ?? 0
            if let rows = rowIDs(of: view), rows.indices.contains(index) { ids[view] = rows[index] }
        }
        return ids
    }

    /// Puts each list's selection back on the row with its id; where that row is gone, the row number stays.
    private mutating func reselect(_ ids: [View: String]) {
        for (view, id) in ids {
            if let index = rowIDs(of: view)?.firstIndex(of: id) { selection[view] = index }
        }
    }

    private mutating func move(_ command: Command) {
        let last = maximumSelection(of: view)
        let current = selection[view] ?? 0
        let page = max(1, size.height / 2)
        let next =
            switch command {
            case .up: current - 1
            case .down: current + 1
            case .pageUp: current - page
            case .pageDown: current + page
            case .top: 0
            default: last
            }
        selection[view] = min(max(0, next), last)
    }
}
