package import FoundationEssentials

/// `Flow`.
package struct Flow: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var name: String
    package var tags: [String]?
    package var created: Date?
    package var updated: Date?
}
