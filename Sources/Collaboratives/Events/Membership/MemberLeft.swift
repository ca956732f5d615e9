/// A member leaves a collaborative; their roles there end the same day.
///
/// Catalog type `MemberLeft`, schema version 1; fields are named as in the catalog's `data`.
public struct MemberLeft: Equatable, Sendable {
    /// The collaborative left.
    public let collaborative: Slug
    /// The person leaving.
    public let member: Slug
    /// Why they left.
    public let reason: LeaveReason
    /// Free-text detail.
    public internal(set) var note: PersonalText?

    /// Creates the event; optional fields default to absent.
    public init(collaborative: Slug, member: Slug, reason: LeaveReason, note: PersonalText? = nil) {
        self.collaborative = collaborative
        self.member = member
        self.reason = reason
        self.note = note
    }
}

extension MemberLeft: CatalogEvent {
    static let typeName = "MemberLeft"
    static let fieldNames = ["collaborative", "member", "reason", "note"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            collaborative: try fields.slug("collaborative"),
            member: try fields.slug("member"),
            reason: try fields.value("reason", as: LeaveReason.self),
            note: try fields.optionalPersonalText("note", maximum: FieldReader.longTextLimit)
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("collaborative", collaborative)
        fields.set("member", member)
        fields.set("reason", reason)
        fields.set("note", note)
    }
}
