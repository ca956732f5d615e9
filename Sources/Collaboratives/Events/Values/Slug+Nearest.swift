extension Slug {
    /// The candidate closest to this slug by edit distance, when it is at most `maximumDistance` edits
    /// away and is not this slug itself: the "did you mean" of an error naming a slug that does not exist.
    ///
    /// Ties go to the candidate that sorts first, so the answer does not depend on the order given.
    ///
    /// ```swift
    /// Slug("oldam")?.nearest(among: [oldham, rochdale])   // oldham
    /// ```
    ///
    /// - Complexity: O(c · n · m) for c candidates of length m and this slug's length n (slugs are short).
    public func nearest(among candidates: some Sequence<Slug>, maximumDistance: Int = 2) -> Slug? {
        var best: (distance: Int, slug: Slug)?
        for candidate in candidates where candidate != self {
            let distance = Self.editDistance(rawValue, candidate.rawValue, limit: maximumDistance)
            guard distance <= maximumDistance else { continue }
            if let current = best, (current.distance, current.slug) <= (distance, candidate) { continue }
            best = (distance, candidate)
        }
        return best?.slug
    }

    /// The Levenshtein distance between two texts (insertions, deletions and substitutions of one
    /// character each), or a number above `limit` as soon as it is sure to exceed it.
    static func editDistance(_ left: String, _ right: String, limit: Int) -> Int {
        let left = Array(left.unicodeScalars)
        let right = Array(right.unicodeScalars)
        guard abs(left.count - right.count) <= limit else { return limit + 1 }
        var previous = Array(0...right.count)
        var current = previous
        for (row, leftScalar) in left.enumerated() {
            current[0] = row + 1
            for (column, rightScalar) in right.enumerated() {
                let substitution = previous[column] + (leftScalar == rightScalar ? 0 : 1)
                current[column + 1] = Swift.min(substitution, previous[column + 1] + 1, current[column] + 1)
            }
            // Every later row is at least this row's minimum: stop once it is past the limit.
            guard current.contains(where: { $0 <= limit }) else { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[right.count]
    }
}
