package import Core

/// One check of `prefect-mcp doctor`: what it found and, when it failed, what to do.
package struct DoctorCheck: Sendable, Equatable, Codable {
    package enum Status: String, Sendable, Codable {
        /// Works.
        case pass
        /// Works, with something worth knowing (the websocket refused: the dashboard polls).
        case warn
        /// Does not work; ``DoctorCheck/fix`` says what to do.
        case fail
        /// Not applicable (TLS on an http URL), or not reached because an earlier check failed.
        case skip
    }

    package var name: String
    package var status: Status
    package var detail: String
    package var fix: String?

    package init(_ name: String, _ status: Status, _ detail: String, fix: String? = nil) {
        self.name = name
        self.status = status
        self.detail = detail
        self.fix = fix
    }

    package static func pass(_ name: String, _ detail: String) -> DoctorCheck { DoctorCheck(name, .pass, detail) }
    package static func warn(_ name: String, _ detail: String, fix: String? = nil) -> DoctorCheck { DoctorCheck(name, .warn, detail, fix: fix) }
    package static func fail(_ name: String, _ detail: String, fix: String) -> DoctorCheck { DoctorCheck(name, .fail, detail, fix: fix) }
    package static func skip(_ name: String, _ detail: String) -> DoctorCheck { DoctorCheck(name, .skip, detail) }
}

/// The Prefect server releases prefect-mcp works with: Prefect 3 (the REST API it reads is 3's), tested on the
/// release the project's scripts pin.
package enum SupportedPrefect {
    package static let tested = "3.9.1"
    /// The lowest release and the first one not supported.
    package static let lowest = [3, 1, 0]
    package static let beyond = [4, 0, 0]

    /// Whether a release (`3.9.1`, `3.10.0rc1`) is in range; nil when it cannot be read as one.
    package static func supports(_ version: String) -> Bool? {
        let numbers = version.split(separator: ".").prefix(3).map { part in Int(part.prefix { $0.isNumber }) }
        guard numbers.count >= 2, numbers.allSatisfy({ $0 != nil }) else { return nil }
        var release = numbers.map { $0! }
        while release.count < 3 { release.append(0) }
        return !release.lexicographicallyPrecedes(lowest) && release.lexicographicallyPrecedes(beyond)
    }

    package static var rangeDescription: String { "\(lowest.map(String.init).joined(separator: ".")) up to (not including) \(beyond[0]).0" }
}
