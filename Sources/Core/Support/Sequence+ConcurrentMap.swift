extension Sequence where Element: Sendable {
    /// Runs `transform` on every element concurrently and returns the results in the sequence's order.
    /// The first error thrown cancels the rest and is rethrown.
    package func concurrentMap<T: Sendable>(_ transform: @escaping @Sendable (Element) async throws -> T) async throws -> [T] {
        let items = Array(self)
        return try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for (index, item) in items.enumerated() {
                group.addTask { (index, try await transform(item)) }
            }
            var results = [T?](repeating: nil, count: items.count)
            for try await (index, value) in group { results[index] = value }
            return results.compactMap { $0 }
        }
    }
}
