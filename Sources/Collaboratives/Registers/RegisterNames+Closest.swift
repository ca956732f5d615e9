extension RegisterNames {
    /// The most names a register's "no member named …" error suggests.
    static let suggestionLimit = 3

    /// What a register's "no member named …" error adds when some active member's name is close to
    /// `name`: `; closest names: Sam Smith (ol-17), Sam Smithson (ol-21)`, else an empty text.
    ///
    /// Names are compared without case, accents or extra spaces (``MemberRoster/folded(_:)``): a name
    /// at most a quarter of its letters (and at least two) away, or containing the typed text, or
    /// contained in it, is close. Only members active where and when the row's event was held are
    /// suggested, since only they can be its attendees; nearest first, then by name.
    ///
    /// - Parameters:
    ///   - name: the register's cell.
    ///   - index: the members by normalized name that day (``Timeline/membersByName(activeIn:on:keys:)``).
    ///   - displayName: a member's name as recorded, for the message.
    static func closestNamesNote(
        to name: String, among index: [String: Matches], displayName: (Slug) -> String?
    ) -> String {
        let typed = MemberRoster.folded(name)
        guard !typed.isEmpty else { return "" }
        let limit = max(2, typed.count / 4)
        var candidates: [(distance: Int, name: String, member: Slug)] = []
        for (key, matches) in index {
            let folded = MemberRoster.folded(key)
            var distance = Slug.editDistance(typed, folded, limit: limit)
            if distance > limit, typed.count >= 3, folded.contains(typed) || typed.contains(folded) {
                distance = limit + 1
            } else if distance > limit {
                continue
            }
            for member in matches.active {
                candidates.append((distance, displayName(member) ?? key, member))
            }
        }
        let closest = candidates.sorted { ($0.distance, $0.name, $0.member) < ($1.distance, $1.name, $1.member) }
            .prefix(suggestionLimit)
        guard !closest.isEmpty else { return "" }
        return "; closest names: " + closest.map { "\($0.name) (\($0.member))" }.joined(separator: ", ")
    }
}
