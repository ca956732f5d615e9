internal import Foundation

/// The people of the Collaboratives on day D, as known at K: for each member their slug, name, sector and
/// organisation on D, every membership with its dates, and the roles they hold on D.
///
/// A member is listed from their first `MemberJoined` on, also after they left (their memberships say
/// when). The name and organisation of a member whose personal data is erased are never given.
///
/// ```swift
/// let roster = MemberRoster.compute(view: view, filter: .init(collaborative: oldham, name: "jose"))
/// roster.members.map(\.member)
/// ```
public struct MemberRoster: Sendable {
    /// One membership of a collaborative: `[joined, left)`.
    public struct Membership: Equatable, Sendable {
        /// The collaborative.
        public let collaborative: Slug
        /// The day they joined.
        public let joined: Day
        /// The day they left, if they had by D.
        public let left: Day?
    }

    /// A role held on D.
    public struct HeldRole: Equatable, Sendable {
        /// The collaborative the role is in.
        public let collaborative: Slug
        /// The role.
        public let role: Role
        /// The sub-group, for `subgroup-lead`.
        public let subgroup: Slug?
        /// How they were appointed.
        public let appointment: Appointment
        /// The day they took it.
        public let since: Day
    }

    /// One person.
    public struct Member: Equatable, Sendable {
        /// Their slug.
        public let member: Slug
        /// Their name on D, opened; nil when unrecorded or erased.
        public let name: String?
        /// Their organisation on D, opened; nil when unrecorded or erased.
        public let organisation: String?
        /// Their sector on D.
        public let sector: Sector
        /// Whether their personal data has been erased.
        public let erased: Bool
        /// Their memberships, by collaborative then joining day.
        public let memberships: [Membership]
        /// The roles they hold on D.
        public let roles: [HeldRole]
    }

    /// Which people to list; every field left nil lets everyone through.
    public struct Filter: Sendable {
        /// Only members of this collaborative (at any time by D).
        public var collaborative: Slug?
        /// Only members whose name contains this text, ignoring case and accents (see ``folded(_:)``).
        public var name: String?
        /// Only members of this sector on D.
        public var sector: Sector?

        /// A filter.
        public init(collaborative: Slug? = nil, name: String? = nil, sector: Sector? = nil) {
            self.collaborative = collaborative
            self.name = name
            self.sector = sector
        }
    }

    /// The people listed, by slug.
    public let members: [Member]

    /// Computes the roster of `view` (at its D and K) through `filter`.
    ///
    /// - Complexity: O(m · (c + t) + n) for m members, c collaboratives, t role tenures, n entries.
    public static func compute(view: HistoryView, filter: Filter = Filter()) -> MemberRoster {
        let timeline = view.timeline
        // A view of one collaborative holds its members' joins of others without those others' formations:
        // the collaboratives joined count as well as those formed (in a whole view, the same ones).
        var joined = Set(timeline.collaborativeSlugs)
        for entry in timeline.entries {
            if case .memberJoined(let join) = entry.event { joined.insert(join.collaborative) }
        }
        let collaboratives = joined.sorted()
        var rolesByMember: [Slug: [HeldRole]] = [:]
        for tenure in timeline.roleTenures where tenure.isHeld(on: view.asOf) {
            rolesByMember[tenure.member, default: []].append(
                HeldRole(
                    collaborative: tenure.collaborative, role: tenure.role, subgroup: tenure.subgroup,
                    appointment: tenure.appointment, since: tenure.interval.start))
        }
        let wanted = filter.name.map(folded)
        var members: [Member] = []
        for slug in timeline.firstJoins.keys.sorted() {
            guard let details = timeline.details(of: slug, on: view.asOf) else { continue }
            if let sector = filter.sector, details.sector != sector { continue }
            let memberships = collaboratives.flatMap { collaborative in
                timeline.membershipIntervals(of: slug, in: collaborative).map {
                    Membership(collaborative: collaborative, joined: $0.start, left: $0.end)
                }
            }
            if let collaborative = filter.collaborative,
                !memberships.contains(where: { $0.collaborative == collaborative })
            {
                continue
            }
            let erased = timeline.isErased(slug) || view.keys.isErased(slug)
            let name = erased ? nil : view.keys.open(details.name, of: slug)
            if let wanted {
                guard let name, folded(name).contains(wanted) else { continue }
            }
            members.append(
                Member(
                    member: slug, name: name,
                    organisation: erased ? nil : view.keys.open(details.organisation, of: slug),
                    sector: details.sector, erased: erased, memberships: memberships,
                    roles: rolesByMember[slug] ?? []))
        }
        return MemberRoster(members: members)
    }

    /// `text` as names are compared: without case or accents, with runs of white space made one space
    /// (`"  José  ÁLVAREZ "` → `"jose alvarez"`).
    public static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_GB"))
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
