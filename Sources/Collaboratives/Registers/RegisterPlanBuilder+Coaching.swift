/// What tells a coaching row's session apart besides its date and session column: the collaborative, the
/// advisor and, for a one-to-one row, the member.
struct CoachingPartition: Equatable, Sendable {
    /// The collaborative as read, or empty when no row gives it.
    let collaborative: String
    /// The advisor as read, or empty when no row gives it.
    let advisor: String
    /// For a one-to-one row: the member as written (the slug cell, else the name cell), which makes the row
    /// its own session; `nil` for a session of any other kind.
    let oneToOne: String?
    /// For a one-to-one row written by name, the member the name stands for when only one member active in
    /// the collaborative that day has it: the same person written by slug on another row is the same session
    /// (the session's id is derived from the slug, ``RegisterEventID``).
    var resolved: Slug? = nil

    /// The partition as one string, to group rows by.
    var text: String {
        let member = oneToOne.map { "1:" + (resolved?.rawValue ?? RegisterNames.normalized($0)) }
        return [collaborative, advisor, member ?? ""].joined(separator: "|")
    }
}

extension RegisterPlanBuilder {
    /// The fields whose value tells coaching sessions apart, besides the date and the session column.
    static let coachingPartitionFields: [RegisterField] = [.collaborative, .advisor, .kind]

    /// The partition of a coaching row. A partition field the row leaves empty takes the value of the
    /// previous row of the same date and session that gave one (as merged cells export), else the
    /// mapping's fixed value; the value carried is put in `values` so that the group agrees on it.
    ///
    /// A row whose kind is one-to-one is its own session, told apart by its member: three people coached
    /// one after the other on one day are three sessions, not one of three attendees.
    mutating func coachingPartition(
        of row: RegisterRow, values: inout [RegisterField: RegisterValue], day: Day, session: String
    ) -> CoachingPartition {
        let place = "\(day)|\(session)"
        var found: [RegisterField: RegisterValue] = [:]
        for field in Self.coachingPartitionFields {
            switch mapping.fields[field] {
            case .fixed(let value):
                found[field] = value
            case .column:
                if let value = values[field] {
                    carriedValues[place, default: [:]][field] = value
                    found[field] = value
                } else if let carried = carriedValues[place]?[field] {
                    values[field] = carried
                    found[field] = carried
                }
            case nil:
                continue
            }
        }
        var oneToOne: String?
        var resolved: Slug?
        if found[.kind] == .coachingKind(.oneToOne) {
            let slug = columns.member.map { $0.cell(row) } ?? ""
            let name = columns.memberName.map { $0.cell(row) } ?? ""
            oneToOne = slug.isEmpty ? name : slug.lowercased()
            if slug.isEmpty, !name.isEmpty, let collaborative = found[.collaborative]?.slug,
                let active = names(activeIn: [collaborative], on: day)[RegisterNames.normalized(name)]?.active,
                active.count == 1
            {
                resolved = active[0]
            }
        }
        return CoachingPartition(
            collaborative: found[.collaborative]?.description ?? "", advisor: found[.advisor]?.description ?? "",
            oneToOne: oneToOne, resolved: resolved)
    }
}
