internal import Collaboratives

extension HistoryGenerator {
    /// A small, fast pseudo-random source (xoshiro256**, seeded through SplitMix64) whose output depends only
    /// on the seed: the same seed gives the same history on every run and every platform.
    ///
    /// The system generator cannot be seeded, and Swift's hashing is seeded per process, so the generator
    /// never iterates a `Set` or `Dictionary` either.
    struct Random {
        private var state: (UInt64, UInt64, UInt64, UInt64)

        /// A source seeded with `seed`.
        init(seed: UInt64) {
            var splitMix = seed
            func nextSplitMix() -> UInt64 {
                splitMix &+= 0x9E37_79B9_7F4A_7C15
                var value = splitMix
                value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
                value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
                return value ^ (value >> 31)
            }
            state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
        }

        /// The next 64 random bits.
        mutating func next() -> UInt64 {
            let result = rotate(state.1 &* 5, 7) &* 9
            let shifted = state.1 << 17
            state.2 ^= state.0
            state.3 ^= state.1
            state.1 ^= state.2
            state.0 ^= state.3
            state.2 ^= shifted
            state.3 = rotate(state.3, 45)
            return result
        }

        /// A number in `0..<bound` (`0` when `bound` is not positive).
        mutating func below(_ bound: Int) -> Int {
            guard bound > 1 else { return 0 }
            return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
        }

        /// A number in `range`.
        mutating func int(in range: ClosedRange<Int>) -> Int {
            range.lowerBound + below(range.upperBound - range.lowerBound + 1)
        }

        /// A number in `[0, 1)`.
        mutating func unit() -> Double {
            Double(next() >> 11) * 0x1p-53
        }

        /// `true` with probability `probability`.
        mutating func chance(_ probability: Double) -> Bool {
            unit() < probability
        }

        /// A random element of `elements`, or `nil` when it is empty.
        mutating func element<Element>(of elements: [Element]) -> Element? {
            elements.isEmpty ? nil : elements[below(elements.count)]
        }

        /// The index of a weight chosen in proportion to its value, or `nil` when no weight is positive.
        mutating func weightedIndex(_ weights: [Double]) -> Int? {
            let total = weights.reduce(0) { $0 + Swift.max($1, 0) }
            guard total > 0 else { return nil }
            var point = unit() * total
            for (index, weight) in weights.enumerated() where weight > 0 {
                if point < weight { return index }
                point -= weight
            }
            return weights.lastIndex { $0 > 0 }
        }

        /// A value chosen in proportion to its weight.
        mutating func weighted<Value>(_ choices: [(Value, Double)]) -> Value? {
            weightedIndex(choices.map(\.1)).map { choices[$0].0 }
        }

        /// `count` distinct indices of `0..<size`, in random order.
        mutating func sample(_ count: Int, of size: Int) -> [Int] {
            var indices = Array(0..<size)
            let wanted = Swift.min(Swift.max(count, 0), size)
            for position in 0..<wanted {
                indices.swapAt(position, position + below(size - position))
            }
            return Array(indices.prefix(wanted))
        }

        private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
            (value << count) | (value >> (64 - count))
        }
    }
}
