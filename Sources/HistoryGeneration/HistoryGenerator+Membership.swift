internal import Collaboratives

extension HistoryGenerator {
    /// Forms the next collaborative on `day`, with a first member of programme staff.
    mutating func formCollaborative(on day: Day) {
        let index = collaboratives.count
        let places = GeneratorVocabulary.places
        let round = index / places.count
        let place = places[index % places.count] + (round > 0 ? " \(round + 1)" : "")
        let slug = Slug(trusted: place.lowercased().replacingSpaces())
        emit(
            .collaborativeFormed(
                CollaborativeFormed(
                    collaborative: slug, name: "\(place) Collaborative", anchorOrganisation: "\(place) Council",
                    programmeStart: day)),
            on: day, by: "programme-office")
        collaboratives.append(
            GeneratedCollaborative(
                slug: slug, place: place, targetSize: random.int(in: 15...60),
                attendanceRate: 0.3 + 0.4 * random.unit()))
        if remaining > 0 { joinStaff(in: index, on: day) }
    }

    /// A member joins: programme staff when the collaborative has too few, a former member coming back, or
    /// someone new.
    mutating func join(in index: Int, on day: Day) -> Bool {
        let staff = collaboratives[index].staffCount
        if staff < 2, random.chance(staff == 0 ? 0.9 : 0.1) {
            joinStaff(in: index, on: day)
            return true
        }
        let collaborative = collaboratives[index]
        let returning = collaborative.former.indices.filter { collaborative.former[$0].left < day }
        if random.chance(0.15), let formerIndex = random.element(of: returning) {
            let member = collaboratives[index].former.remove(at: formerIndex)
            emit(
                .memberJoined(
                    MemberJoined(collaborative: collaborative.slug, member: member.slug, sector: member.sector)),
                on: day, by: collaborative.recorder)
            collaboratives[index].members.append(
                GeneratedCollaborative.Member(slug: member.slug, sector: member.sector, joined: day, lastActive: day))
            return true
        }
        collaboratives[index].memberCounter += 1
        let slug = Slug(trusted: "\(collaborative.slug.rawValue)-m\(collaboratives[index].memberCounter)")
        let sector = random.weighted(GeneratorVocabulary.memberSectors) ?? .other
        let name = random.chance(0.85) ? GeneratorVocabulary.personName(random: &random) : nil
        let organisation =
            random.chance(0.9)
            ? GeneratorVocabulary.organisation(sector: sector, place: collaborative.place, random: &random) : nil
        emit(
            .memberJoined(
                MemberJoined(
                    collaborative: collaborative.slug, member: slug, name: name.map(PersonalText.plain), sector: sector,
                    organisation: organisation.map(PersonalText.plain))),
            on: day, by: collaborative.recorder)
        collaboratives[index].members.append(
            GeneratedCollaborative.Member(slug: slug, sector: sector, joined: day, lastActive: day))
        return true
    }

    /// A member of programme staff joins: one already serving other collaboratives, or a new one.
    mutating func joinStaff(in index: Int, on day: Day) {
        let collaborative = collaboratives[index]
        var chosen: Int?
        if !staffRoster.isEmpty, random.chance(0.35) {
            for _ in 0..<8 {
                let candidate = random.below(staffRoster.count)
                if staffRoster[candidate].collaboratives < 4,
                    collaborative.memberIndex(staffRoster[candidate].slug) == nil
                {
                    chosen = candidate
                    break
                }
            }
        }
        let slug: Slug
        if let chosen {
            slug = staffRoster[chosen].slug
            staffRoster[chosen].collaboratives += 1
            emit(
                .memberJoined(MemberJoined(collaborative: collaborative.slug, member: slug, sector: .programmeStaff)),
                on: day, by: collaborative.recorder)
        } else {
            staffCounter += 1
            slug = Slug(trusted: "staff-\(staffCounter)")
            staffRoster.append(StaffRecord(slug: slug, collaboratives: 1))
            emit(
                .memberJoined(
                    MemberJoined(
                        collaborative: collaborative.slug, member: slug,
                        name: .plain(GeneratorVocabulary.personName(random: &random)), sector: .programmeStaff,
                        organisation: "National Programme Team")),
                on: day, by: collaborative.recorder)
        }
        collaboratives[index].members.append(
            GeneratedCollaborative.Member(slug: slug, sector: .programmeStaff, joined: day, lastActive: day))
    }

    /// An active member leaves, if one may today: joined before today, named by nothing today, and not the
    /// last member of programme staff.
    mutating func leave(in index: Int, on day: Day) -> Bool {
        let collaborative = collaboratives[index]
        guard !collaborative.members.isEmpty else { return false }
        let staff = collaborative.staffCount
        for _ in 0..<6 {
            let memberIndex = random.below(collaborative.members.count)
            let member = collaborative.members[memberIndex]
            guard member.joined < day, member.lastActive < day, !member.isStaff || staff >= 2 else { continue }
            performLeave(in: index, memberIndex: memberIndex, on: day)
            return true
        }
        return false
    }

    /// Writes a member's leaving: out of their sub-groups first, their roles ended (explicitly, or by the
    /// leaving itself), then `MemberLeft`. At most 1 + 5 + 2 events.
    private mutating func performLeave(in index: Int, memberIndex: Int, on day: Day) {
        let collaborative = collaboratives[index]
        let member = collaborative.members[memberIndex]
        for subgroupIndex in collaborative.subgroups.indices
        where collaborative.subgroups[subgroupIndex].members.contains(member.slug) {
            emit(
                .subGroupMemberLeft(
                    SubGroupMemberLeft(
                        subgroup: collaborative.subgroups[subgroupIndex].slug, member: member.slug,
                        reason: "left the collaborative")),
                on: day, by: collaborative.recorder)
            collaboratives[index].subgroups[subgroupIndex].members.removeAll { $0 == member.slug }
        }
        for holding in collaborative.holdings where holding.member == member.slug {
            if random.chance(0.6) {
                emit(
                    .roleEnded(
                        RoleEnded(
                            collaborative: collaborative.slug, role: holding.role, subgroup: holding.subgroup,
                            member: member.slug, reason: "left the collaborative")),
                    on: day, by: collaborative.recorder)
            }
            collaboratives[index].remember(previous: holding)
        }
        collaboratives[index].holdings.removeAll { $0.member == member.slug }
        let reason = random.weighted(GeneratorVocabulary.leaveReasons) ?? .unknown
        let note = random.chance(0.3) ? random.element(of: GeneratorVocabulary.leaveNotes) : nil
        emit(
            .memberLeft(
                MemberLeft(
                    collaborative: collaborative.slug, member: member.slug, reason: reason,
                    note: note.map(PersonalText.plain))),
            on: day, by: collaborative.recorder)
        collaboratives[index].members.remove(at: memberIndex)
        if member.isStaff {
            if let rosterIndex = staffRoster.firstIndex(where: { $0.slug == member.slug }) {
                staffRoster[rosterIndex].collaboratives -= 1
                if staffRoster[rosterIndex].collaboratives <= 0 { staffRoster.remove(at: rosterIndex) }
            }
        } else {
            collaboratives[index].rememberFormer(
                GeneratedCollaborative.FormerMember(slug: member.slug, sector: member.sector, left: day))
        }
    }

    /// A member who is not programme staff changes organisation, name or sector.
    mutating func changeDetails(in index: Int, on day: Day) -> Bool {
        let collaborative = collaboratives[index]
        guard !collaborative.members.isEmpty else { return false }
        for _ in 0..<4 {
            let memberIndex = random.below(collaborative.members.count)
            let member = collaborative.members[memberIndex]
            guard !member.isStaff else { continue }
            var change = MemberDetailsChanged(member: member.slug)
            switch random.below(10) {
            case 0..<6:
                change = MemberDetailsChanged(
                    member: member.slug,
                    organisation: .plain(
                        GeneratorVocabulary.organisation(
                            sector: member.sector, place: collaborative.place, random: &random)))
            case 6..<8:
                change = MemberDetailsChanged(
                    member: member.slug, name: .plain(GeneratorVocabulary.personName(random: &random)))
            default:
                let sector = random.weighted(GeneratorVocabulary.memberSectors) ?? .other
                change = MemberDetailsChanged(
                    member: member.slug, sector: sector,
                    organisation: .plain(
                        GeneratorVocabulary.organisation(sector: sector, place: collaborative.place, random: &random)))
                collaboratives[index].members[memberIndex].sector = sector
            }
            emit(.memberDetailsChanged(change), on: day, by: collaborative.recorder, timing: .mayBeLate)
            return true
        }
        return false
    }

    /// A former member's personal data is erased at their request; they do not come back.
    mutating func erase(in index: Int, on day: Day) -> Bool {
        guard !collaboratives[index].former.isEmpty else { return false }
        let member = collaboratives[index].former.remove(at: random.below(collaboratives[index].former.count))
        writePendingPersonalData(of: member.slug)
        emit(
            .personalDataErased(
                PersonalDataErased(
                    member: member.slug, reason: random.element(of: GeneratorVocabulary.erasureReasons) ?? "request")),
            on: day, by: collaboratives[index].recorder)
        return true
    }
}

extension String {
    /// The text with spaces as hyphens (place names to slugs).
    fileprivate func replacingSpaces() -> String {
        String(map { $0 == " " ? "-" : $0 })
    }
}
