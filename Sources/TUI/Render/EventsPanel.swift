import Core
import FoundationEssentials

/// The Events view: Prefect's event feed as it arrives, newest first; Enter opens what an event is about.
enum EventsPanel {
    static func draw(_ state: DashboardState, rows: Range<Int>, now: Date, into screen: inout Screen) {
        Table.drawList(
            state, view: .events, noun: "Events", all: state.feedMode == nil && state.events.isEmpty ? nil : state.events,
            shown: state.shownEvents,
            columns: [.age("WHEN"), Column("EVENT", 30), Column("RESOURCE", 30), Column("RELATED", 0)],
            rows: rows, into: &screen
        ) { event in
            let row = EventRow(event)
            let related = ["deployment", "work-pool", "flow"].compactMap { row.related[$0] }
            let state = event.flowRunState
            return (
                [
                    event.occurred.age(at: now), Self.shortName(row.event), row.resourceName ?? row.resourceID ?? "",
                    related.joined(separator: " · "),
                ],
                state.map { OverviewPanel.stateStyle($0.stateType, $0.stateName) } ?? .plain
            )
        }
    }

    /// `flow-run.Completed` for `prefect.flow-run.Completed`: the namespace every Prefect event shares is noise.
    static func shortName(_ name: String) -> String {
        name.hasPrefix("prefect.") ? String(name.dropFirst("prefect.".count)) : name
    }
}
