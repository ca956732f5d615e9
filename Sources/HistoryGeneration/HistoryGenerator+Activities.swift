internal import Collaboratives

extension HistoryGenerator {
    /// What one step of the simulation may do in a collaborative.
    enum Action: CaseIterable {
        case join, leave, changeDetails, erase, workshop, coaching, survey
        case formSubgroup, joinSubgroup, leaveSubgroup, changeStatus, redefine, milestone
        case assignRole, endRole, retract
    }

    /// The most events one action writes (a member leaving five sub-groups and two roles).
    static let largestAction = 12

    /// Takes one step in a random collaborative on `day`: an action chosen by how likely it is in the state
    /// the collaborative is in; a workshop when the chosen action is not possible today.
    mutating func act(on day: Day) {
        let index = random.below(collaboratives.count)
        let action = random.weighted(Action.allCases.map { ($0, weight(of: $0, in: index, on: day)) }) ?? .workshop
        if !perform(action, in: index, on: day) { holdWorkshop(in: index, on: day) }
    }

    private func weight(of action: Action, in index: Int, on day: Day) -> Double {
        let collaborative = collaboratives[index]
        let size = collaborative.members.count
        let roomy = remaining >= Self.largestAction
        let hasSubgroups = !collaborative.subgroups.isEmpty
        switch action {
        case .join: return size < 5 ? 12 : (size < collaborative.targetSize ? 5 : 1.5)
        case .leave: return roomy && size > 5 ? (size > collaborative.targetSize ? 5 : 1.5) : 0
        case .changeDetails: return size > 0 ? 1.2 : 0
        case .erase: return collaborative.former.isEmpty ? 0 : 0.12
        case .workshop: return 6
        case .coaching:
            return collaborative.members.contains(where: \.isStaff) || !collaborative.holdings.isEmpty ? 10 : 0
        case .survey:
            let (year, month, _) = day.components
            return (month == 6 || month == 7) && collaborative.lastSurveyYear < year && size > 0 ? 4 : 0
        case .formSubgroup:
            guard size >= 3 else { return 0 }
            return collaborative.subgroups.count < 2 ? 1.5 : (collaborative.subgroups.count < 5 ? 0.5 : 0)
        case .joinSubgroup: return hasSubgroups && size > 0 ? 3 : 0
        case .leaveSubgroup: return collaborative.subgroups.contains { !$0.members.isEmpty } ? 1.2 : 0
        case .changeStatus: return hasSubgroups ? 1.5 : 0
        case .redefine: return hasSubgroups ? 0.3 : 0
        case .milestone: return hasSubgroups ? 1.5 : 0
        case .assignRole: return size > 0 ? (collaborative.holderCount(.anchor) == 0 ? 3 : 1) : 0
        case .endRole: return collaborative.holdings.isEmpty ? 0 : 0.6
        case .retract: return retractable.isEmpty ? 0 : 0.3
        }
    }

    private mutating func perform(_ action: Action, in index: Int, on day: Day) -> Bool {
        switch action {
        case .join: return join(in: index, on: day)
        case .leave: return leave(in: index, on: day)
        case .changeDetails: return changeDetails(in: index, on: day)
        case .erase: return erase(in: index, on: day)
        case .workshop:
            holdWorkshop(in: index, on: day)
            return true
        case .coaching: return holdCoachingSession(in: index, on: day)
        case .survey: return closeSurveyWave(in: index, on: day)
        case .formSubgroup: return formSubgroup(in: index, on: day)
        case .joinSubgroup: return joinSubgroup(in: index, on: day)
        case .leaveSubgroup: return leaveSubgroup(in: index, on: day)
        case .changeStatus: return changeStatus(in: index, on: day)
        case .redefine: return redefineSubgroup(in: index, on: day)
        case .milestone: return reachMilestone(in: index, on: day)
        case .assignRole: return assignRole(in: index, on: day)
        case .endRole: return endRole(in: index, on: day)
        case .retract: return retract(in: index, on: day)
        }
    }

    /// A workshop, sometimes across two localities, with each active member attending by chance.
    mutating func holdWorkshop(in index: Int, on day: Day) {
        var listed = [index]
        if collaboratives.count > 1, random.chance(0.08) {
            let other = (index + 1 + random.below(collaboratives.count - 1)) % collaboratives.count
            listed.append(other)
        }
        var attendees: [Slug] = []
        for place in listed {
            let rate = collaboratives[place].attendanceRate
            for memberIndex in collaboratives[place].members.indices where random.chance(rate) {
                let slug = collaboratives[place].members[memberIndex].slug
                guard attendees.count < 40, !attendees.contains(slug) else { continue }
                attendees.append(slug)
                collaboratives[place].markActive(memberIndex, on: day)
            }
        }
        collaboratives[index].workshopCounter += 1
        let collaborative = collaboratives[index]
        let kind: WorkshopKind =
            listed.count > 1
            ? .crossLocality
            : (collaborative.workshopCounter == 1 ? .launch : (random.chance(0.25) ? .convening : .collaborative))
        let workshop = WorkshopHeld(
            workshop: Slug(trusted: "\(collaborative.slug.rawValue)-ws-\(collaborative.workshopCounter)"),
            collaboratives: listed.map { collaboratives[$0].slug }, kind: kind,
            mode: random.chance(0.6) ? .inPerson : .online,
            title: random.chance(0.7) ? random.element(of: GeneratorVocabulary.workshopTitles) : nil,
            attendees: attendees.sorted(), guests: random.chance(0.3) ? random.int(in: 1...8) : nil)
        emit(.workshopHeld(workshop), on: day, by: collaborative.recorder, timing: .mayBeLate)
    }

    /// A coaching session given by programme staff or an advisor, sometimes for a sub-group, sometimes with
    /// nobody attending.
    mutating func holdCoachingSession(in index: Int, on day: Day) -> Bool {
        let collaborative = collaboratives[index]
        guard let advisorIndex = random.element(of: collaborative.advisorIndices) else { return false }
        let kind =
            random.weighted([
                (CoachingKind.oneToOne, 25.0), (.group, 20), (.dropIn, 10), (.catchUp, 15), (.leadership, 10),
                (.adminSupport, 8), (.consultation, 12),
            ]) ?? .group
        var attendees: [Slug] = []
        if !random.chance(0.12) {
            let wanted = kind == .oneToOne ? 1 : random.int(in: 1...6)
            for position in random.sample(wanted, of: collaborative.members.count - 1) {
                let memberIndex = position >= advisorIndex ? position + 1 : position
                attendees.append(collaborative.members[memberIndex].slug)
                collaboratives[index].markActive(memberIndex, on: day)
            }
        }
        collaboratives[index].markActive(advisorIndex, on: day)
        let subgroup =
            !collaborative.subgroups.isEmpty && random.chance(0.35)
            ? random.element(of: collaborative.subgroups)?.slug : nil
        let session = CoachingSessionHeld(
            collaborative: collaborative.slug, subgroup: subgroup, kind: kind,
            advisor: collaborative.members[advisorIndex].slug, attendees: attendees.sorted(),
            minutes: random.chance(0.7) ? random.element(of: [30, 45, 60, 90, 120]) : nil)
        emit(.coachingSessionHeld(session), on: day, by: collaborative.recorder, timing: .mayBeLate)
        return true
    }

    /// This year's survey wave closes.
    mutating func closeSurveyWave(in index: Int, on day: Day) -> Bool {
        let year = day.components.year
        let invited = collaboratives[index].members.count
        let responded = Swift.min(invited, Int((Double(invited) * (0.2 + 0.6 * random.unit())).rounded()))
        emit(
            .surveyWaveClosed(
                SurveyWaveClosed(
                    collaborative: collaboratives[index].slug, wave: String(year), invited: invited,
                    responded: responded)),
            on: day, by: collaboratives[index].recorder, timing: .mayBeLate)
        collaboratives[index].lastSurveyYear = year
        return true
    }

    /// A workshop, coaching session or milestone written earlier is retracted (nothing depends on those,
    /// so the log stays valid without it).
    mutating func retract(in index: Int, on day: Day) -> Bool {
        guard !retractable.isEmpty else { return false }
        let position = random.below(retractable.count)
        let target = retractable[position]
        retractable.swapAt(position, retractable.count - 1)
        retractable.removeLast()
        emit(
            .eventRetracted(
                EventRetracted(
                    event: target, reason: random.element(of: GeneratorVocabulary.retractionReasons) ?? "error")),
            on: day, by: collaboratives[index].recorder)
        return true
    }
}
