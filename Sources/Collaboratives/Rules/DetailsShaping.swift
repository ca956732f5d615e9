/// Each member's joins and details changes that replayed, in timeline order, as ``RuleAudit`` keeps them so
/// that a late details change can be placed among them: where each lies on the timeline and which details
/// fields it gives, 16 bytes a step.
///
/// The values a step gives are not kept: they are those of the member's details snapshot the step made (the
/// model's snapshots and these steps correspond one to one, which ``RuleAudit`` checks by their counts), since
/// a join or a change sets the fields it gives and keeps the others. Until session 15 each step held its whole
/// event, with its strings.
struct DetailsShaping {
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

    /// One join or details change: its place on the timeline and the fields it gives.
    struct Step {
        let instant: Int64
        let day: Int32
        let fields: Fields

        init(key: RuleAudit.Key, fields: Fields) {
            instant = key.instant
            day = key.day
            self.fields = fields
        }

        var key: RuleAudit.Key { RuleAudit.Key(day: day, instant: instant) }
    }

    private var steps: [Slug: [Step]] = [:]

    /// A member's steps, in timeline order.
    subscript(member: Slug) -> [Step] {
        get { steps[member] ?? [] }
        set { steps[member] = newValue }
    }

    /// Adds a step that replayed after every other step of its member (its event's member: `nil` and nothing
    /// added for an event that shapes no member's details).
    mutating func append(_ event: DomainEvent, at key: RuleAudit.Key) {
        guard let member = Self.member(shapedBy: event), let fields = Fields(of: event) else { return }
        steps[member, default: []].append(Step(key: key, fields: fields))
    }

    /// The member whose details a join or details change shapes.
    static func member(shapedBy event: DomainEvent) -> Slug? {
        switch event {
        case .memberJoined(let joined): joined.member
        case .memberDetailsChanged(let change): change.member
        default: nil
        }
    }
}
