package import Core
package import FoundationEssentials

/// The change feed in the dashboard: events fill the Events view, patch the runs they name at once, and mark the
/// shown view as changed so that the next refresh comes soon instead of on a timer.
extension DashboardState {
    /// How soon after the first event of a burst the refresh starts: the events that come with it are coalesced.
    package static let changeDelay: TimeInterval = 0.25
    /// The least time between two refreshes caused by events: a busy server costs at most one refresh a second.
    package static let changeGap: TimeInterval = 1

    /// The Events view's rows after its `/` filter.
    package var shownEvents: [Event] {
        Self.matching(events, listFilters[.events]) { event in
            let row = EventRow(event)
            return [row.event, row.resourceName ?? "", row.resourceID ?? ""] + row.related.values.sorted()
        }
    }

    /// Applies what the feed says: its mode, or new events.
    mutating func applyFeed(_ update: FeedUpdate<Event>, at now: Date) {
        switch update {
        case .mode(let mode):
            // A stream that was live and is cut may mean Prefect went away: look now rather than at the backstop.
            if feedMode == .live, !mode.isLive, changedAt == nil { changedAt = now }
            feedMode = mode
        case .items(let fresh):
            guard !fresh.isEmpty else { return }
            var kept = fresh + events
            kept.sort { $0.occurred > $1.occurred }
            events = Array(kept.prefix(Self.eventsKept))
            for change in fresh.compactMap(\.flowRunState) {
                patchRuns(change)
                if refreshStarted != nil { patchesSinceRefresh.append(change) }
            }
            let touching = fresh.filter { $0.occurred >= watchingSince && touches($0, query) }
            if changedAt == nil, !touching.isEmpty { changedAt = now }
            changedKinds.formUnion(touching.compactMap { $0.subject?.kind })
        }
    }

    /// Runs started, ended or turned Late: the overview and the runs list refresh soon, as for a run's event.
    mutating func runsMoved(at now: Date) {
        switch query {
        case .overview, .runs:
            if changedAt == nil { changedAt = now }
            changedKinds.insert("flow-run")
        case .runDetail, .deployments, .deploymentDetail, .workPools: break
        }
    }

    /// Whether `event` changes what `query` reads: a run's state for the lists of runs, a deployment's or a pool's
    /// status (or a run of theirs) for their lists; the overview counts and shows all of them.
    package func touches(_ event: Event, _ query: Query) -> Bool {
        guard let subject = event.subject else { return false }
        switch query {
        case .overview: return ["flow-run", "deployment", "work-pool", "work-queue", "worker"].contains(subject.kind)
        case .runs: return subject.kind == "flow-run"
        case .runDetail(let id): return subject.kind == "flow-run" && subject.id == id
        case .deployments: return subject.kind == "deployment" || (subject.kind == "flow-run" && event.related("deployment") != nil)
        case .deploymentDetail(let id):
            return (subject.kind == "deployment" && subject.id == id) || (subject.kind == "flow-run" && event.related("deployment")?.id == id)
        case .workPools:
            return ["work-pool", "work-queue", "worker"].contains(subject.kind) || (subject.kind == "flow-run" && event.related("work-pool") != nil)
        }
    }

    /// The new state on every row that shows the run, before the refresh reads it again.
    mutating func patchRuns(_ change: FlowRunStateChange) {
        if var data = overview {
            for index in data.recentRuns.indices { data.recentRuns[index].apply(change) }
            for index in data.lateRuns.runs.indices { data.lateRuns.runs[index].run.apply(change) }
            overview = data
        }
        if var current = runs {
            for index in current.rows.indices { current.rows[index].apply(change) }
            runs = current
        }
        detailRun?.apply(change)
        logRun?.apply(change)
    }

    /// When the next refresh is due. Without a feed, `interval` after the last attempt. With one, `interval` is a
    /// backstop that keeps counts exact, and an event that touched the shown view brings it forward: ``changeDelay``
    /// after the event, at least ``changeGap`` after the last refresh. While Prefect is unreachable, the backoff's.
    func nextRefresh(interval: TimeInterval) -> Date {
        let timed = connection.nextRefresh(after: lastRefreshAttempt, interval: interval)
        guard feedMode != nil, connection.isLive, let changedAt else { return timed }
        return min(timed, max(changedAt.addingTimeInterval(Self.changeDelay), lastRefreshAttempt.addingTimeInterval(Self.changeGap)))
    }
}

extension DashboardState {
    /// Enter in the Events view: the run, deployment or work pool the event is about (its subject; for a queue or
    /// a worker, its pool), else the first of those it relates to.
    mutating func openSubject(of event: Event) {
        let kind = event.subject?.kind
        if kind == "deployment", let id = event.subject?.id {
            openDeployment(id)
        } else if kind == "work-pool", let name = event.resourceName {
            openWorkPool(name)
        } else if kind == "work-queue" || kind == "worker", let name = event.related("work-pool")?.name {
            openWorkPool(name)
        } else if let run = FlowRunRow(namedBy: event) {
            if run.id != detailRun?.id { runDetail = nil }
            detailRun = run
            selection[.runDetail] = 0
            go(to: .runDetail)
        } else if let id = event.related("deployment")?.id {
            openDeployment(id)
        } else if let name = event.related("work-pool")?.name {
            openWorkPool(name)
        }
    }

    private mutating func openDeployment(_ id: String) {
        detailDeploymentID = id
        selection[.deploymentDetail] = 0
        go(to: .deploymentDetail)
    }

    private mutating func openWorkPool(_ name: String) {
        detailWorkPoolName = name
        selection[.workPoolDetail] = 0
        go(to: .workPoolDetail)
    }
}
