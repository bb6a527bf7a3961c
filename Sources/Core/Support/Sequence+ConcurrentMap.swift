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

extension Collection where Element: Sendable {
    /// ``Sequence/concurrentMap(_:)`` with at most `width` transforms running at once, for work that sends several
    /// requests per element: results in the collection's order, the first error cancels the rest and is rethrown.
    package func concurrentMap<T: Sendable>(width: Int, _ transform: @escaping @Sendable (Element) async throws -> T) async throws -> [T] {
        let items = Array(self)
        return try await withThrowingTaskGroup(of: (Int, T).self) { group in
            var results = [T?](repeating: nil, count: items.count)
            var next = 0
            func start() {
                guard next < items.count else { return }
                let index = next
                let item = items[index]
                group.addTask { (index, try await transform(item)) }
                next += 1
            }
            for _ in 0..<Swift.max(width, 1) { start() }
            while let (index, value) = try await group.next() {
                results[index] = value
                start()
            }
            return results.compactMap { $0 }
        }
    }
}
