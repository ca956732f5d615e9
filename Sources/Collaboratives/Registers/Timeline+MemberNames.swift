extension Timeline {
    /// The members by name on `day` (their name as their details read that day, compared by
    /// ``RegisterNames/normalized(_:)``), split into those active that day in at least one of
    /// `collaboratives` and those who are not. Members whose name is unrecorded or erased are left out;
    /// sealed names are opened with `keys`.
    ///
    /// - Complexity: O(m log n) for m members; callers cache it per day and collaboratives.
    func membersByName(activeIn collaboratives: [Slug], on day: Day, keys: PersonalDataKeys) -> [String: RegisterNames
        .Matches]
    {
        var index: [String: RegisterNames.Matches] = [:]
        for member in firstJoins.keys.sorted() {
            guard let name = keys.open(details(of: member, on: day)?.name, of: member) else { continue }
            let key = RegisterNames.normalized(name)
            if collaboratives.contains(where: { isActive(member, in: $0, on: day) }) {
                index[key, default: RegisterNames.Matches()].active.append(member)
            } else {
                index[key, default: RegisterNames.Matches()].inactive.append(member)
            }
        }
        return index
    }
}

/// How register names are compared with members' recorded names.
enum RegisterNames {
    /// The members who bear one name on a day.
    struct Matches: Equatable, Sendable {
        /// Active where the event was held.
        var active: [Slug] = []
        /// Not active there that day.
        var inactive: [Slug] = []
    }

    /// Lower-cased, with runs of white space made one space and none at either end: `"  Sam  SMITH "` and
    /// `"sam smith"` are the same name; accents and punctuation still count.
    static func normalized(_ name: String) -> String {
        name.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }
}
