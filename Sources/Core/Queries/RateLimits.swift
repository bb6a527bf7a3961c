package import FoundationEssentials
import JSONValue

/// `GET /accounts/{id}/rate-limits/usage` (Prefect Cloud): for each minute, how many requests of each operation
/// group were made and how many were granted.
package struct RateLimitUsage: Decodable, Sendable {
    package struct KeyUsage: Decodable, Sendable {
        package var requested: [Int]
        package var granted: [Int]

        package init(requested: [Int], granted: [Int]) {
            self.requested = requested
            self.granted = granted
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            requested = try container.decodeIfPresent([Int].self, forKey: .requested) ?? []
            granted = try container.decodeIfPresent([Int].self, forKey: .granted) ?? []
        }

        enum CodingKeys: String, CodingKey { case requested, granted }
    }

    /// The minute each array index stands for.
    package var minutes: [Date]
    package var keys: [String: KeyUsage]

    package init(minutes: [Date], keys: [String: KeyUsage]) {
        self.minutes = minutes
        self.keys = keys
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        minutes = try container.decodeIfPresent([Date].self, forKey: .minutes) ?? []
        keys = try container.decodeIfPresent([String: KeyUsage].self, forKey: .keys) ?? [:]
    }

    enum CodingKeys: String, CodingKey { case minutes, keys }
}

/// When Prefect Cloud throttled the account, grouped into periods of consecutive minutes.
package struct RateLimitReport: Codable, Sendable, Equatable {
    package struct KeyDenial: Codable, Sendable, Equatable {
        package var key: String
        package var totalDenied: Int
        package var peakDeniedPerMinute: Int

        enum CodingKeys: String, CodingKey {
            case key
            case totalDenied = "total_denied"
            case peakDeniedPerMinute = "peak_denied_per_minute"
        }
    }

    package struct Period: Codable, Sendable, Equatable {
        package var start: Date
        package var end: Date
        package var durationMinutes: Int
        package var keysAffected: [KeyDenial]

        enum CodingKeys: String, CodingKey {
            case start, end
            case durationMinutes = "duration_minutes"
            case keysAffected = "keys_affected"
        }
    }

    package struct Summary: Codable, Sendable, Equatable, EncodesAbsentAsNull {
        package var totalThrottlingPeriods: Int
        package var affectedKeys: [String]
        package var firstThrottledAt: Date?
        package var lastThrottledAt: Date?
        package var totalMinutesThrottled: Int

        enum CodingKeys: String, CodingKey {
            case totalThrottlingPeriods = "total_throttling_periods"
            case affectedKeys = "affected_keys"
            case firstThrottledAt = "first_throttled_at"
            case lastThrottledAt = "last_throttled_at"
            case totalMinutesThrottled = "total_minutes_throttled"
        }
    }

    package var accountID: String
    package var since: Date
    package var until: Date
    package var summary: Summary
    package var throttlingPeriods: [Period]

    enum CodingKeys: String, CodingKey {
        case since, until, summary
        case accountID = "account_id"
        case throttlingPeriods = "throttling_periods"
    }

    /// The operation groups Prefect Cloud rate-limits separately (the `keys` of the usage route).
    package static let operationGroups = [
        "artifacts", "block_documents", "block_schemas", "block_types", "concurrency_limits", "deployments", "flows",
        "runs", "variables", "work_pools", "work_queues", "reading-events", "writing-events", "reading-logs",
        "writing-logs",
    ]

    /// A minute is throttled for a key when it requested more than it was granted; throttled minutes at most 61 s
    /// apart form one period. Arrays shorter than `minutes` (or than each other) count only where all three have a
    /// value.
    package init(accountID: String, since: Date, until: Date, usage: RateLimitUsage) {
        var deniedByMinute: [Date: [String: Int]] = [:]
        for (key, counts) in usage.keys {
            for index in 0..<min(counts.requested.count, counts.granted.count, usage.minutes.count)
            where counts.requested[index] > counts.granted[index] {
                deniedByMinute[usage.minutes[index], default: [:]][key] = counts.requested[index] - counts.granted[index]
            }
        }
        var groups: [[Date]] = []
        for minute in deniedByMinute.keys.sorted() {
            if let previous = groups.last?.last, minute.timeIntervalSince(previous) <= 61 {
                groups[groups.count - 1].append(minute)
            } else {
                groups.append([minute])
            }
        }
        let periods = groups.map { minutes in
            var totals: [String: (total: Int, peak: Int)] = [:]
            for minute in minutes {
                for (key, denied) in deniedByMinute[minute] ?? [:] {
                    let current = totals[key] ?? (0, 0)
                    totals[key] = (current.total + denied, max(current.peak, denied))
                }
            }
            return Period(
                start: minutes[0], end: minutes[minutes.count - 1], durationMinutes: minutes.count,
                keysAffected: totals.keys.sorted().map { KeyDenial(key: $0, totalDenied: totals[$0]!.total, peakDeniedPerMinute: totals[$0]!.peak) }
            )
        }
        self.accountID = accountID
        self.since = since
        self.until = until
        self.throttlingPeriods = periods
        self.summary = Summary(
            totalThrottlingPeriods: periods.count,
            affectedKeys: Set(deniedByMinute.values.flatMap(\.keys)).sorted(),
            firstThrottledAt: periods.first?.start,
            lastThrottledAt: periods.last?.end,
            totalMinutesThrottled: deniedByMinute.count
        )
    }
}

/// Why rate limits cannot be read on this server.
package struct RateLimitsUnavailable: Error, CustomStringConvertible, Sendable {
    package var description: String
}

extension PrefectClient {
    /// Prefect Cloud's throttling of the configured account between `since` and `until` (one request for all
    /// operation groups).
    ///
    /// - Throws: ``RateLimitsUnavailable`` on a self-hosted server or a Cloud URL without an account, else
    ///   ``PrefectError``.
    package func rateLimits(since: Date, until: Date) async throws -> RateLimitReport {
        let url = configuration.apiURL
        guard case .cloud(let account, _) = configuration.server else {
            throw RateLimitsUnavailable(
                description: """
                    Rate limits exist only on Prefect Cloud; this server (\(url.displayString)) is self-hosted and does not \
                    rate-limit its API. For slow or failing requests, check the server's own logs and its database.
                    """)
        }
        guard let account else {
            throw RateLimitsUnavailable(
                description: """
                    The API URL \(url.displayString) names no account: set PREFECT_API_URL to \
                    https://api.prefect.cloud/api/accounts/ACCOUNT_ID/workspaces/WORKSPACE_ID (prefect cloud login does this).
                    """)
        }
        let usage = try await send(PrefectAPI.rateLimitUsage(account: account, since: since, until: until, keys: RateLimitReport.operationGroups))
        return RateLimitReport(accountID: account, since: since, until: until, usage: usage)
    }
}
