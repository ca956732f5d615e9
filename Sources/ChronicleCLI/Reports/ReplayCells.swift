import Collaboratives

/// How replay, progress, succession and diff write their shared values in tables and JSON.
enum ReplayCells {
    /// Slugs separated by commas, or `–` for none.
    static func list(_ slugs: [Slug]) -> String {
        slugs.isEmpty ? "–" : slugs.map(\.rawValue).joined(separator: ", ")
    }

    /// `formal`, or in capitals when it is worth a look: `SELF-APPOINTED`, `INTERIM`.
    static func appointment(_ appointment: Appointment) -> String {
        appointment == .formal ? appointment.rawValue : appointment.rawValue.uppercased()
    }

    /// `in-progress 2, closed 1`.
    static func statusCounts(_ counts: [SubGroupStatusCount]) -> String {
        counts.map { "\($0.status.rawValue) \($0.count)" }.joined(separator: ", ")
    }

    /// `{"collaborative", "role", "subgroup"}`.
    static func slotJSON(_ slot: RoleSlot) -> [String: JSONValue] {
        [
            "collaborative": .string(slot.collaborative.rawValue), "role": .string(slot.role.rawValue),
            "subgroup": slot.subgroup.map { .string($0.rawValue) } ?? .null,
        ]
    }

    static func memberJSON(_ member: ActiveMember) -> JSONValue {
        .object([
            "member": .string(member.member.rawValue), "name": member.name.map { .string($0) } ?? .null,
            "erased": .bool(member.erased),
            "sector": .string(member.sector.rawValue),
            "organisation": member.organisation.map { .string($0) } ?? .null,
            "since": .string(member.since.description),
        ])
    }

    static func holderJSON(_ holder: RoleHolder) -> JSONValue {
        .object([
            "member": .string(holder.member.rawValue), "appointment": .string(holder.appointment.rawValue),
            "since": .string(holder.since.description),
        ])
    }

    static func milestoneJSON(_ milestone: MilestoneRecord) -> JSONValue {
        .object([
            "day": .string(milestone.day.description), "kind": .string(milestone.kind.rawValue),
            "title": .string(milestone.title),
        ])
    }

    /// Sub-groups by status as an object: `{"in-progress": 2}`.
    static func statusCountsJSON(_ counts: [SubGroupStatusCount]) -> JSONValue {
        .object(
            Dictionary(uniqueKeysWithValues: counts.map { ($0.status.rawValue, JSONValue.integer(Int64($0.count))) }))
    }

    static func countsJSON(_ counts: ReplayCounts) -> JSONValue {
        .object([
            "members": .integer(Int64(counts.members)), "sectors": .integer(Int64(counts.sectors)),
            "roleSlots": .integer(Int64(counts.roleSlots)), "vacantRoleSlots": .integer(Int64(counts.vacantRoleSlots)),
            "roleHolders": .integer(Int64(counts.roleHolders)), "subgroups": .integer(Int64(counts.subgroups)),
            "subgroupsByStatus": statusCountsJSON(counts.subgroupsByStatus),
        ])
    }

    /// A day, or JSON null.
    static func day(_ day: Day?) -> JSONValue {
        day.map { .string($0.description) } ?? .null
    }
}

extension ActiveMember {
    /// The name as tables show it: `erased` after an erasure, else the name if recorded.
    var displayName: String? { erased ? "erased" : name }
}
