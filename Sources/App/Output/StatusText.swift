import Core
import FoundationEssentials

/// `prefect-mcp status` as text: one screen a person reads top to bottom.
enum StatusText {
    static func render(_ status: ServerStatus, now: Date) -> String {
        var lines: [String] = []
        let server = status.server
        let version = server.version.map { "Prefect \($0)" } ?? "Prefect (version unknown)"
        let api = server.apiVersion.map { " · API \($0)" } ?? ""
        lines.append("\(version)\(api) · \(server.kind) · \(server.healthy ? "healthy" : "UNHEALTHY")")
        lines.append("  API   \(server.apiURL)  (from \(server.apiURLSource))")
        lines.append("  UI    \(server.uiURL)")
        lines.append("  Auth  \(server.credential ?? "none")")
        if let profile = server.profile { lines.append("  Profile \(profile)") }

        let runs = status.flowRuns
        lines.append("")
        lines.append("Flow runs expected to start in the last \(status.window.label): \(runs.total)")
        if runs.byState.isEmpty {
            lines.append("  (none)")
        } else {
            var table = TextTable(columns: [.init(title: "STATE"), .init(title: "TYPE"), .init(title: "RUNS", alignment: .right)])
            table.rows = runs.byState.map { [$0.name, $0.type.rawValue, String($0.count)] }
            lines.append(contentsOf: table.render())
        }
        lines.append("")
        lines.append("Now: \(runs.late) late · \(runs.running) running · \(runs.pending) pending · \(runs.upcoming) upcoming")

        lines.append("")
        lines.append("Work pools: \(status.workPools.count)")
        if !status.workPools.isEmpty {
            var table = TextTable(columns: [
                .init(title: "POOL"), .init(title: "TYPE"), .init(title: "STATUS"), .init(title: "WORKERS", alignment: .right),
                .init(title: "HEARTBEAT"), .init(title: "LATE", alignment: .right), .init(title: "ACTIVE", alignment: .right),
                .init(title: "LIMIT", alignment: .right),
            ])
            table.rows = status.workPools.map { pool in
                [
                    pool.name,
                    pool.type ?? "-",
                    pool.displayStatus,
                    "\(pool.onlineWorkers)/\(pool.workers)",
                    pool.lastHeartbeat.map { $0.age(at: now) } ?? "never",
                    String(pool.lateRuns),
                    String(pool.activeRuns),
                    pool.concurrencyLimit.map(String.init) ?? "-",
                ]
            }
            lines.append(contentsOf: table.render())
            lines.append("  WORKERS is online/all; HEARTBEAT is the freshest worker's; ACTIVE counts running and pending runs.")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
