extension RandomAccessCollection {
    /// The index of the first element for which `isAfter` holds, in a collection ordered so that every
    /// element for which it does not hold comes first: a binary search, O(log n) calls of `isAfter`.
    /// `endIndex` when it holds for none.
    ///
    /// For "the last element on or before `x`", search with `isAfter: { $0.key > x }` and step back one.
    func partitioningIndex(where isAfter: (Element) throws -> Bool) rethrows -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if try isAfter(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}
