import Collaboratives

extension CLIError {
    /// The refusal of a slug that names nothing in the store (exit 65), with a "did you mean" for a known
    /// slug at most two edits away: `--collaborative: no collaborative oldam; did you mean oldham?`.
    /// Without a near slug, a short list of the known ones is given instead (at most
    /// ``listedSlugsLimit``, else how many there are).
    static func unknownSlug(_ slug: Slug, flag: String, kind: String, known: some Collection<Slug>) -> CLIError {
        var message = "\(flag): no \(kind) \(slug)"
        if let suggestion = slug.nearest(among: known) {
            message += "; did you mean \(suggestion)?"
        } else if known.isEmpty {
            message += " (the store has none)"
        } else if known.count <= listedSlugsLimit {
            message += " (known: \(known.sorted().map(\.rawValue).joined(separator: ", ")))"
        } else {
            message += " (\(known.count) are known)"
        }
        return .invalidData(message)
    }

    /// The most known slugs an ``unknownSlug(_:flag:kind:known:)`` message lists.
    static let listedSlugsLimit = 12
}
