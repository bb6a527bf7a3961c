package import FoundationEssentials

/// `WorkPoolResponse`.
package struct WorkPool: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var name: String
    package var type: String?
    package var description: String?
    /// `READY`, `NOT_READY` or `PAUSED`; open to new values.
    package var status: String?
    package var isPaused: Bool?
    package var concurrencyLimit: Int?
    package var activeSlots: Int?
    package var defaultQueueID: String?
    package var created: Date?
    package var updated: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, type, description, status, created, updated
        case isPaused = "is_paused"
        case concurrencyLimit = "concurrency_limit"
        case activeSlots = "active_slots"
        case defaultQueueID = "default_queue_id"
    }
}

/// `WorkQueueResponse`.
package struct WorkQueue: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var name: String
    package var workPoolID: String?
    package var workPoolName: String?
    package var status: String?
    package var isPaused: Bool?
    package var concurrencyLimit: Int?
    package var priority: Int?
    package var lastPolled: Date?
    package var description: String?

    enum CodingKeys: String, CodingKey {
        case id, name, status, priority, description
        case workPoolID = "work_pool_id"
        case workPoolName = "work_pool_name"
        case isPaused = "is_paused"
        case concurrencyLimit = "concurrency_limit"
        case lastPolled = "last_polled"
    }
}

/// `WorkerResponse`. The server recomputes `status` on read from the heartbeat age.
package struct Worker: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var name: String
    package var workPoolID: String?
    package var lastHeartbeatTime: Date?
    package var heartbeatIntervalSeconds: Int?
    /// `ONLINE` or `OFFLINE`.
    package var status: String?

    enum CodingKeys: String, CodingKey {
        case id, name, status
        case workPoolID = "work_pool_id"
        case lastHeartbeatTime = "last_heartbeat_time"
        case heartbeatIntervalSeconds = "heartbeat_interval_seconds"
    }

    package var isOnline: Bool { status == "ONLINE" }
}
