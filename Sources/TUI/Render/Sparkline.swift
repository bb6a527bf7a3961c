/// Values as a row of eighth blocks, `▁▂▃▄▅▆▇█`, lowest to highest between the smallest and the largest value.
enum Sparkline {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static func text(_ values: [Double]) -> String {
        guard let low = values.min(), let high = values.max() else { return "" }
        let span = high - low
        return String(
            values.map { value in
                span == 0 ? levels[3] : levels[min(levels.count - 1, Int(((value - low) / span * Double(levels.count - 1)).rounded()))]
            })
    }
}
