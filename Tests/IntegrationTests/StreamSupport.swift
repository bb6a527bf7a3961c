import Foundation
import JSONValue
import Synchronization
import TestSupport

@testable import Core

/// Writes that the stream tests make on the runner and secured servers (never on the seeded one): a flow run of the
/// flow `stream-tests`, its states, log lines and events.
enum StreamWrites {
    struct Created: Decodable, Sendable { var id: String }

    static func client(url: String, authString: String? = nil) throws -> PrefectClient {
        PrefectClient(settings: try Live.settings(url: url, authString: authString))
    }

    /// A new PENDING flow run of the flow `stream-tests`.
    static func flowRun(_ client: PrefectClient, name: String = "stream-\(UUID().uuidString.prefix(8))") async throws -> String {
        let flow = try await client.send(Endpoint<Created>(.post, "/flows/", body: ["name": "stream-tests"] as JSONValue))
        let body: JSONValue = ["flow_id": .string(flow.id), "name": .string(name), "state": ["type": "PENDING", "name": "Pending"]]
        return try await client.send(Endpoint<Created>(.post, "/flow_runs/", body: body)).id
    }

    static func setState(_ client: PrefectClient, run: String, _ type: String, _ name: String) async throws {
        let body: JSONValue = ["state": ["type": .string(type), "name": .string(name)], "force": true]
        _ = try await client.send(Endpoint<JSONValue>(.post, "/flow_runs/{id}/set_state", path: "/flow_runs/\(run)/set_state", body: body))
    }

    /// Writes `messages` as INFO lines of `run`, one millisecond apart; returns them.
    @discardableResult
    static func writeLogs(_ client: PrefectClient, run: String, _ messages: [String]) async throws -> [String] {
        let start = Date()
        let lines: [JSONValue] = messages.enumerated().map { index, message in
            [
                "name": "stream-test", "level": 20, "message": .string(message), "flow_run_id": .string(run),
                "timestamp": .string(PrefectDate.format(start.addingTimeInterval(Double(index) / 1000))),
            ]
        }
        _ = try await client.send(Endpoint<NoContent>(.post, "/logs/", body: JSONValue.array(lines), write: .once))
        return messages
    }

    /// Emits events named `names` about `resource`; returns their ids.
    @discardableResult
    static func emitEvents(_ client: PrefectClient, resource: String, _ names: [String]) async throws -> [String] {
        let ids = names.map { _ in UUID().uuidString.lowercased() }
        let events: [JSONValue] = zip(ids, names).map { id, name in
            [
                "id": .string(id), "occurred": .string(PrefectDate.format(Date())), "event": .string(name),
                "resource": ["prefect.resource.id": .string(resource)],
            ]
        }
        _ = try await client.send(Endpoint<NoContent>(.post, "/events", body: JSONValue.array(events), write: .once))
        return ids
    }
}

/// Collects what a feed yields, from a task of its own, so a test can wait for what it expects.
final class FeedRecorder<Item: Sendable>: Sendable {
    private struct State {
        var modes: [FeedMode] = []
        var items: [Item] = []
        var arrivals: [Date] = []
        var finished = false
    }
    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(_ stream: AsyncStream<FeedUpdate<Item>>) {
        let job = Task { [self] in
            for await update in stream { record(update) }
            state.withLock { $0.finished = true }
        }
        task.withLock { $0 = job }
    }

    private func record(_ update: FeedUpdate<Item>) {
        state.withLock { state in
            switch update {
            case .mode(let mode): state.modes.append(mode)
            case .items(let items):
                state.items += items
                state.arrivals += items.map { _ in Date() }
            }
        }
    }

    var modes: [FeedMode] { state.withLock { $0.modes } }
    var items: [Item] { state.withLock { $0.items } }
    var arrivals: [Date] { state.withLock { $0.arrivals } }
    var finished: Bool { state.withLock { $0.finished } }

    func stop() { task.withLock { $0?.cancel() } }

    /// Waits until `condition` holds (checked every 50 ms), at most `seconds`; returns whether it held.
    @discardableResult
    func wait(seconds: Double, until condition: (FeedRecorder) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition(self)
    }
}

/// A process the test starts and ends: a Prefect server of its own (scripts/prefect-server) or the refusing proxy.
enum TestProcesses {
    static var root: URL { BinaryRunner.packageRoot }

    /// Runs `scripts/prefect-server ARGS` to its end; throws with its output when it fails. Spawned and reaped
    /// here (Foundation's Process never saw this child end inside the test process), its output in a file.
    static func prefectServer(_ arguments: [String], environment: [String: String] = [:]) async throws {
        let log = try TemporaryDirectory.make() + "/prefect-server.log"
        let script = root.appendingPathComponent("scripts/prefect-server").path
        let argv = ([script] + arguments).map { strdup($0) } + [nil]
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid = pid_t()
        let spawned = posix_spawn(&pid, script, &actions, nil, argv, env)
        guard spawned == 0 else { throw Failed(description: "cannot run \(script): errno \(spawned)") }
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped == -1 { throw Failed(description: "waitpid failed: errno \(errno)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        // WIFEXITED and WEXITSTATUS are macros: exited normally when the low 7 bits are 0, status in the next 8.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw Failed(description: "scripts/prefect-server \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
    }

    struct Failed: Error, CustomStringConvertible { var description: String }

    /// A free loopback port (bound and released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Failed(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `Tests/e2e/ws_refusing_proxy.py` in front of `upstreamPort` (`silent`: accepting websockets that never
    /// deliver); returns the process, its stdin (closing it
    /// stops the proxy) and the proxy's port.
    static func refusingProxy(upstreamPort: Int, silent: Bool = false) throws -> (Process, Pipe, Int) {
        let process = Process()
        process.executableURL = root.appendingPathComponent(".venv/bin/python")
        process.arguments = [root.appendingPathComponent("Tests/e2e/ws_refusing_proxy.py").path, String(upstreamPort)] + (silent ? ["--silent"] : [])
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw Failed(description: "the proxy printed no port")
        }
        return (process, input, port)
    }
}
