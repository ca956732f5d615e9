/// A sparkline: one block per value, from ▁ (the lowest of the series) to █ (the highest), so that a
/// trend shows at a glance in table output.
///
/// ```swift
/// Sparkline.render([0.4, 0.55, nil, 0.7])   // "▁▄·█"
/// ```
enum Sparkline {
    /// The eight blocks, lowest first.
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    /// Shown for a period with no value (no rate).
    static let missing: Character = "·"

    /// The values scaled between their minimum and maximum (a flat series is all ▄); `nil` is ``missing``.
    static func render(_ values: [Double?]) -> String {
        let present = values.compactMap { $0 }
        guard let low = present.min(), let high = present.max() else {
            return String(repeating: missing, count: values.count)
        }
        let span = high - low
        return String(
            values.map { value -> Character in
                guard let value else { return missing }
                guard span > 0 else { return blocks[3] }
                let index = Int(((value - low) / span * Double(blocks.count - 1)).rounded())
                return blocks[min(blocks.count - 1, max(0, index))]
            })
    }

    /// `trend ▁▄·█ (<what>; lowest <low>, highest <high>)`, the sparkline cyan on a terminal; with no
    /// value in any period, `trend ···· (<what>; none)`.
    static func trendLine(_ values: [Double?], what: String, format: (Double) -> String) -> String {
        let present = values.compactMap { $0 }
        var range = "none"
        if let low = present.min(), let high = present.max() {
            range = "lowest \(format(low)), highest \(format(high))"
        }
        return "trend " + Terminal.style(render(values), .cyan) + " (\(what); \(range))"
    }
}
