/// Which details fields each of a member's joins and details changes gives, so that ``RuleAudit`` can place a
/// late details change among them: a member's details snapshots (``Timeline/DetailsSnapshot``) carry these
/// with their place on the timeline.
///
/// The values a join or change gives are not kept apart: they are those of the details snapshot it made,
/// since a join or a change sets the fields it gives and keeps the others. Until session 15 the audit held
/// each step's whole event, with its strings; in session 15, 16 bytes a step in a list a member of its own
/// (one dictionary entry and array a member, about 70 MB at 10M events); since session 16 one byte in the
/// snapshot.
enum DetailsShaping {
    /// Which of a member's details fields a join or details change gives.
    struct Fields: OptionSet {
        let rawValue: UInt8

        static let name = Fields(rawValue: 1)
        static let sector = Fields(rawValue: 2)
        static let organisation = Fields(rawValue: 4)

        /// The fields `event` gives; `nil` for an event that shapes no member's details.
        init?(of event: DomainEvent) {
            switch event {
            case .memberJoined(let joined):
                self = .sector  // a join always gives the sector
                if joined.name != nil { insert(.name) }
                if joined.organisation != nil { insert(.organisation) }
            case .memberDetailsChanged(let change):
                self = []
                if change.name != nil { insert(.name) }
                if change.sector != nil { insert(.sector) }
                if change.organisation != nil { insert(.organisation) }
            default:
                return nil
            }
        }

        init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The details after a step giving these fields with the values of `given` (the snapshot it made),
        /// over `previous`: as ``Timeline/details(after:applying:)`` applies the step's event.
        func apply(_ given: MemberDetails, over previous: MemberDetails) -> MemberDetails {
            MemberDetails(
                name: contains(.name) ? given.name : previous.name,
                sector: contains(.sector) ? given.sector : previous.sector,
                organisation: contains(.organisation) ? given.organisation : previous.organisation)
        }
    }
}
