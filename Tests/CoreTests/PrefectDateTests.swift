import Foundation
import Testing

@testable import Core

@Suite("Prefect timestamps")
struct PrefectDateTests {
    @Test(
        "Parses the forms Prefect sends",
        arguments: [
            ("2026-11-25T12:00:00Z", 1_795_608_000.0),
            ("2026-11-25T12:00:00.123456Z", 1_795_608_000.123456),
            ("2026-11-25T12:00:00.5+00:00", 1_795_608_000.5),
            ("2026-11-25T14:00:00+02:00", 1_795_608_000.0),
            ("2026-11-25 12:00:00", 1_795_608_000.0),
            ("1969-12-31T23:59:59Z", -1.0),
        ])
    func parse(text: String, seconds: Double) throws {
        let date = try #require(PrefectDate.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test(
        "Rejects what is not a date-time",
        arguments: ["", "2026-11-25", "2026-13-01T00:00:00Z", "2026-11-25T12:00:00Q", "yesterday", "2026-11-25T12:00:00.Z"])
    func reject(text: String) {
        #expect(PrefectDate.parse(text) == nil)
    }

    @Test("Formats UTC with microseconds and round-trips")
    func format() throws {
        let date = Date(timeIntervalSince1970: 1_795_608_000.25)
        #expect(PrefectDate.format(date) == "2026-11-25T12:00:00.250000Z")
        #expect(PrefectDate.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
        for seconds in stride(from: -90_000_000.0, to: 4_000_000_000.0, by: 123_456_789.123) {
            let value = Date(timeIntervalSince1970: seconds)
            let back = try #require(PrefectDate.parse(PrefectDate.format(value)))
            #expect(abs(back.timeIntervalSince1970 - seconds) < 0.000_001)
        }
    }
}
