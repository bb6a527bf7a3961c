package import FoundationEssentials
import JSONValue

extension Sequence<HistoryBucket> {
    /// Runs by state (type and name) over every bucket.
    package var stateCounts: [StateKey: Int] {
        var counts: [StateKey: Int] = [:]
        for bucket in self {
            for state in bucket.states { counts[state.key, default: 0] += state.countRuns }
        }
        return counts
    }
}

/// Flow-run counts by state name per time bucket, and over the whole window (Prefect's history endpoint).
package struct FlowRunHistory: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    package struct Bucket: Codable, Sendable, Equatable {
        package var start: Date
        package var end: Date
        /// Runs by state name in this bucket.
        package var counts: [String: Int]
    }

    package var buckets: [Bucket]
    /// Runs by state name over the window.
    package var totals: [String: Int]
    /// The window as asked for (`24h`).
    package var window: String
    package var intervalSeconds: Int

    enum CodingKeys: String, CodingKey {
        case buckets, totals, window
        case intervalSeconds = "interval_seconds"
    }

    package init(_ buckets: [HistoryBucket], window: TimeWindow, interval: TimeWindow) {
        self.buckets = buckets.map { bucket in
            Bucket(start: bucket.intervalStart, end: bucket.intervalEnd, counts: CollectionOfOne(bucket).stateCounts.byName)
        }
        totals = buckets.stateCounts.byName
        self.window = window.description
        intervalSeconds = interval.seconds
    }
}

extension Dictionary<StateKey, Int> {
    /// The counts by state name, types together (a custom name may be used with several types).
    package var byName: [String: Int] { reduce(into: [:]) { $0[$1.key.name, default: 0] += $1.value } }
    /// The counts by state type, names together.
    package var byType: [String: Int] { reduce(into: [:]) { $0[$1.key.type.rawValue, default: 0] += $1.value } }
}
