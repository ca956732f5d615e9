import Collaboratives
import Foundation

extension DomainEvent {
    /// A short, human sentence for tables; personal text is opened with `keys` (`erased` when it cannot be).
    func summary(keys: PersonalDataKeys = .none) -> String {
        switch self {
        case .collaborativeFormed(let event):
            "\(event.collaborative) formed (\(event.name); anchor \(event.anchorOrganisation); start \(event.programmeStart))"
        case .memberJoined(let event):
            "\(event.member) joined \(event.collaborative) (\(event.sector.rawValue)"
                + (Self.organisation(event.organisation, of: event.member, keys: keys).map { ", \($0)" } ?? "") + ")"
        case .memberDetailsChanged(let event):
            "\(event.member) details changed: "
                + [
                    Self.personal("name", event.name, of: event.member, keys: keys),
                    event.sector.map { "sector \($0.rawValue)" },
                    Self.organisation(event.organisation, of: event.member, keys: keys).map { "organisation \($0)" },
                ].compactMap { $0 }.joined(separator: ", ")
        case .memberLeft(let event):
            "\(event.member) left \(event.collaborative) (\(event.reason.rawValue))"
        case .roleAssigned(let event):
            "\(event.member) \(event.appointment.rawValue) \(event.role.rawValue)"
                + (event.subgroup.map { " of \($0)" } ?? "") + " in \(event.collaborative)"
                + (event.succeeds.map { ", succeeding \($0)" } ?? "")
        case .roleEnded(let event):
            "\(event.member) ended \(event.role.rawValue)" + (event.subgroup.map { " of \($0)" } ?? "")
                + " in \(event.collaborative)"
        case .subGroupFormed(let event):
            "\(event.subgroup) formed in \(event.collaborative): \(event.title)"
        case .subGroupMemberJoined(let event):
            "\(event.member) joined sub-group \(event.subgroup)"
        case .subGroupMemberLeft(let event):
            "\(event.member) left sub-group \(event.subgroup)"
        case .subGroupRedefined(let event):
            "\(event.subgroup) redefined: \(event.aim)"
        case .subGroupStatusChanged(let event):
            "\(event.subgroup) is \(event.status.rawValue)"
        case .milestoneReached(let event):
            "\(event.subgroup) reached \(event.kind.rawValue): \(event.title)"
        case .workshopHeld(let event):
            "\(event.workshop) (\(event.kind.rawValue), \(event.mode.rawValue)) for "
                + event.collaboratives.map(\.description).joined(separator: ", ")
                + ": \(event.attendees.count) attendees" + (event.guests.map { " + \($0) guests" } ?? "")
        case .coachingSessionHeld(let event):
            "\(event.kind.rawValue) coaching in \(event.collaborative)" + (event.subgroup.map { " (\($0))" } ?? "")
                + " by \(event.advisor): "
                + (event.attendees.isEmpty ? "offered, nobody came" : "\(event.attendees.count) attended")
        case .surveyWaveClosed(let event):
            "survey \(event.wave) in \(event.collaborative): \(event.responded) of \(event.invited) responded"
        case .eventRetracted(let event):
            "retracts \(event.event.uuidString.lowercased().prefix(8)): \(event.reason)"
        case .personalDataErased(let event):
            "personal data of \(event.member) erased"
        }
    }

    /// The event's `data` to show in a report: as stored, but without the organisation of a member whose
    /// personal data is erased (it is stored in clear, and a small organisation names a person).
    func shownData(keys: PersonalDataKeys) -> JSONValue {
        let data = EventCodec.dataValue(of: self)
        let member: Slug
        switch self {
        case .memberJoined(let event) where event.organisation != nil: member = event.member
        case .memberDetailsChanged(let event) where event.organisation != nil: member = event.member
        default: return data
        }
        guard keys.isErased(member), case .object(var members) = data else { return data }
        members["organisation"] = nil
        return .object(members)
    }

    /// A member's organisation as shown: `erased` once their personal data is (it is stored in clear).
    /// An organisation stored in clear before binary layout 2 is hidden too once the member is erased.
    private static func organisation(_ text: PersonalText?, of member: Slug, keys: PersonalDataKeys) -> String? {
        guard text != nil else { return nil }
        guard !keys.isErased(member), case .text(let plain) = keys.reading(text, of: member) else { return "erased" }
        return plain
    }

    private static func personal(_ label: String, _ text: PersonalText?, of member: Slug, keys: PersonalDataKeys)
        -> String?
    {
        switch keys.reading(text, of: member) {
        case .absent: nil
        case .text(let plain): "\(label) \(plain)"
        case .erased: "\(label) erased"
        }
    }
}
