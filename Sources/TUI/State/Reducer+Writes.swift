import Core
import FoundationEssentials

// The dashboard's writes (only with --allow-writes): each asks y/N first, naming what changes; the run form checks
// every field before anything is sent; the outcome shows in the status bar, and a new run opens its log.
extension DashboardState {
    /// A write key: the question to ask, the pick to offer, or the form to load.
    mutating func ask(_ command: Command) -> [Effect] {
        guard writes else { return [] }
        switch command {
        case .cancelRun:
            guard let run = view == .logs ? logRun : selectedRun else { return [] }
            if let type = run.stateType, StateType(rawValue: type).isFinal || StateType(rawValue: type) == .cancelling {
                notice = Notice(text: "\(run.name) is \(run.stateName ?? type): there is nothing to cancel.", isError: true)
                return []
            }
            confirmation = .cancelRun(id: run.id, name: run.name)
        case .retryRun:
            guard let run = selectedRun else { return [] }
            guard let type = run.stateType, StateType(rawValue: type).isFinal else {
                notice = Notice(text: "\(run.name) is \(run.stateName ?? "not finished"): only a finished run can be retried.", isError: true)
                return []
            }
            confirmation = .retryRun(id: run.id, name: run.name)
        case .runDeployment:
            guard let deployment = selectedDeployment else { return [] }
            notice = Notice(text: "reading the parameters of \(deployment.slug)…", isError: false)
            return [.loadRunForm(deploymentID: deployment.id, slug: deployment.slug)]
        case .togglePause:
            if let deployment = selectedDeployment {
                confirmation = .setDeploymentPaused(id: deployment.id, slug: deployment.slug, paused: !deployment.paused)
            } else if let pool = selectedWorkPool {
                let name = pool.health.name
                let poolPaused = pool.health.isPaused
                var options: [(label: String, write: WriteRequest)] = [
                    ("\(poolPaused ? "resume" : "pause") work pool \(name)", .setWorkPoolPaused(name: name, paused: !poolPaused))
                ]
                for queue in pool.queues {
                    options.append(
                        (
                            "\(queue.isPaused ? "resume" : "pause") queue \(name)/\(queue.name)",
                            .setWorkQueuePaused(pool: name, queue: queue.name, paused: !queue.isPaused)
                        ))
                }
                choice = Choice(title: "Pause or resume (j/k, Enter; Esc closes)", options: options)
            }
        default:
            break
        }
        return []
    }

    /// The deployment of the Deployments row or detail on screen.
    var selectedDeployment: DeploymentRow? {
        switch view {
        case .deployments: return row(of: shownDeployments, in: .deployments)
        case .deploymentDetail: return detailDeployment
        default: return nil
        }
    }

    /// The work pool of the Work pools row or detail on screen.
    var selectedWorkPool: WorkPoolDetail? {
        switch view {
        case .workPools: return row(of: shownWorkPools, in: .workPools)
        case .workPoolDetail: return detailWorkPool
        default: return nil
        }
    }

    /// A key while a question, a pick or the form is open (they take every key); nil when none is.
    mutating func writeKey(_ key: Key) -> [Effect]? {
        if let request = confirmation {
            switch key {
            case .character("y"), .character("Y"):
                confirmation = nil
                notice = Notice(text: "sending: \(request.question.firstSentence)…", isError: false)
                return [.write(request)]
            case .character("n"), .character("N"), .escape, .enter:
                confirmation = nil
                notice = Notice(text: "Not sent: nothing changed.", isError: false)
            default:
                break  // only y sends; anything else leaves the question up
            }
            return []
        }
        if var open = choice {
            switch key {
            case .character("j"), .down: open.selected = min(open.selected + 1, open.options.count - 1)
            case .character("k"), .up: open.selected = max(open.selected - 1, 0)
            case .enter:
                choice = nil
                confirmation = open.options[open.selected].write
                return []
            case .escape, .character("q"):
                choice = nil
                return []
            default: break
            }
            choice = open
            return []
        }
        if form != nil { return formKey(key) }
        return nil
    }

    private mutating func formKey(_ key: Key) -> [Effect] {
        guard var open = form, !open.submitting else { return [] }
        switch key {
        case .escape:
            form = nil
            notice = Notice(text: "Run form closed: nothing was sent.", isError: false)
            return []
        case .tab, .down:
            open.focus = (open.focus + 1) % open.fields.count
        case .backTab, .up:
            open.focus = (open.focus + open.fields.count - 1) % open.fields.count
        case .left, .right:
            open.cycle()
        case .character(" ") where open.spaceCycles:
            open.cycle()
        case .backspace:
            if !open.fields[open.focus].text.isEmpty { open.fields[open.focus].text.removeLast() }
        case .control("u"):
            open.fields[open.focus].text = ""
        case .character(let character):
            open.fields[open.focus].text.append(character)
        case .enter:
            guard let request = open.request(now: Date()) else {
                open.focus = open.fields.firstIndex { $0.error != nil } ?? open.focus
                open.message = "Not sent: fix the fields marked ✗ first."
                form = open
                return []
            }
            open.submitting = true
            open.message = "starting a run of \(open.slug)…"
            form = open
            return [.write(.runDeployment(id: open.deploymentID, slug: open.slug, request))]
        default:
            return []
        }
        open.message = nil
        open.check()
        form = open
        return []
    }

    /// The answers to writes and to the form's read.
    mutating func applyWrite(_ event: DashboardEvent) -> [Effect] {
        switch event {
        case .formLoaded(let id, let slug, let declared):
            guard writes, selectedDeployment?.id == id || detailDeploymentID == id else { return [] }
            form = RunForm(deploymentID: id, slug: slug, declared: declared)
            notice = nil
            return []
        case .written(let request, let outcome, let newRun):
            if case .runDeployment = request { form = nil }
            notice = Notice(text: "\(request.subject): \(outcome.message)", isError: outcome.status.map { $0 != "ACCEPT" } ?? false)
            guard let run = newRun else { return [.refresh] }
            logRun = run
            logs = LogBuffer(capacity: logs.capacity)
            go(to: .logs)
            return [.followLogs(runID: run.id), .refresh]
        case .writeFailed(let request, let reason):
            if case .runDeployment? = request, var open = form {
                open.submitting = false
                open.message = reason
                form = open
            } else {
                notice = Notice(text: reason, isError: true)
            }
            return []
        default:
            return []
        }
    }
}

extension String {
    /// Up to the first `?` or `.`: "Cancel run x" of "Cancel run x? Its worker stops it…".
    var firstSentence: String {
        String(prefix { $0 != "?" && $0 != "." })
    }
}
