internal import Crypto
public import EventLog
public import Foundation

/// Seals and opens the personal fields of a payload with a member's key.
///
/// AES-256-GCM under the member's ``SubjectKey``; the 12-byte nonce is the first 12 bytes of
/// `HMAC-SHA256(key, event id (16 bytes) ‖ field name UTF-8)`. Sealing is therefore deterministic per
/// (key, event, field): the same draft appended twice seals to the same bytes and is recognised as an
/// idempotent retry, and an export restored with its keys seals to the bytes its hashes cover. A nonce is
/// never reused for two different texts under one key, since an event's id is unique and its content fixed.
/// The hash chain covers the sealed bytes, so `verify` needs no key and still passes after an erasure.
public enum PersonalDataSeal {
    /// Bytes a sealed value adds to its text: nonce (12) and tag (16).
    public static let overhead = 28

    /// The key-database subject of a member's key: `member-<slug>`.
    public static func subject(of member: Slug) -> String { "member-\(member.rawValue)" }

    /// The subject prefix of members' keys.
    static let subjectPrefix = "member-"

    /// `text` sealed under `key` for field `field` of event `id`.
    public static func seal(_ text: String, key: SubjectKey, eventID id: UUID, field: String) throws -> [UInt8] {
        let symmetric = SymmetricKey(data: key.bytes)
        var message = id.byteArray
        message.append(contentsOf: field.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: symmetric)
        let nonce = try AES.GCM.Nonce(data: Array(mac.prefix(12)))
        let box = try AES.GCM.seal(Array(text.utf8), using: symmetric, nonce: nonce)
        return Array(nonce) + Array(box.ciphertext) + Array(box.tag)
    }

    /// The text of `sealed` under `key`, or `nil` when it does not open (wrong key or damaged bytes).
    public static func open(_ sealed: [UInt8], key: SubjectKey) -> String? {
        guard sealed.count >= overhead,
            let box = try? AES.GCM.SealedBox(combined: sealed),
            let plain = try? AES.GCM.open(box, using: SymmetricKey(data: key.bytes))
        else { return nil }
        return String(validating: Array(plain), as: UTF8.self)
    }

    /// `data` with each personal field of `event` that is a plain string replaced by its sealed value, but
    /// those in `keepingInClear` (to reproduce a payload that a store before sealing them kept).
    static func seal(
        _ data: JSONValue, of event: DomainEvent, key: SubjectKey, eventID: UUID, keepingInClear: Set<String> = []
    ) throws -> JSONValue {
        guard case .object(var members) = data, let personal = event.personalData else { return data }
        for field in personal.fields where !keepingInClear.contains(field) {
            guard case .string(let text)? = members[field] else { continue }
            members[field] = PersonalText.sealed(try seal(text, key: key, eventID: eventID, field: field)).jsonValue
        }
        return .object(members)
    }

    /// `event` with each plain personal field sealed under `key` (the same bytes as ``seal(_:of:key:eventID:)``
    /// gives the JSON value of that field).
    static func seal(_ event: DomainEvent, key: SubjectKey, eventID: UUID) throws -> DomainEvent {
        guard let personal = event.personalData else { return event }
        var values = personal.values
        for (index, field) in personal.fields.enumerated() {
            guard case .plain(let text)? = values[index] else { continue }
            values[index] = .sealed(try seal(text, key: key, eventID: eventID, field: field))
        }
        return event.replacingPersonalValues(values)
    }
}

extension UUID {
    /// The 16 bytes of the UUID, in order.
    var byteArray: [UInt8] { withUnsafeBytes(of: uuid) { Array($0) } }
}

/// Which member an event's personal fields belong to, and which fields those are.
struct PersonalFields: Sendable {
    /// The member the fields are about.
    let member: Slug
    /// The payload fields that are personal data.
    let fields: [String]
    /// Their values in the event.
    let values: [PersonalText?]

    /// The personal fields that stores written before binary layout 2 kept in clear (see ``BinaryPayload``):
    /// such payloads stay as they are, since their hashes cover them.
    static let onceInClear: Set<String> = ["organisation"]
}

extension DomainEvent {
    /// The event's personal fields (EVENTS.md: a member's `name` and `organisation`, and free-text `note` and `reason` about
    /// them), or `nil` for a type that has none. Free text of events that name no member (status and
    /// milestone notes, redefinition and retraction reasons, an erasure's reason) is not personal data and
    /// stays in clear.
    var personalData: PersonalFields? {
        switch self {
        case .memberJoined(let event):
            PersonalFields(
                member: event.member, fields: ["name", "organisation"], values: [event.name, event.organisation])
        case .memberDetailsChanged(let event):
            PersonalFields(
                member: event.member, fields: ["name", "organisation"], values: [event.name, event.organisation])
        case .memberLeft(let event): PersonalFields(member: event.member, fields: ["note"], values: [event.note])
        case .roleEnded(let event): PersonalFields(member: event.member, fields: ["reason"], values: [event.reason])
        case .subGroupMemberLeft(let event):
            PersonalFields(member: event.member, fields: ["reason"], values: [event.reason])
        default: nil
        }
    }

    /// The event with its personal fields (``personalData``, in its order) set to `values`; an event
    /// without personal fields is returned unchanged.
    func replacingPersonalValues(_ values: [PersonalText?]) -> DomainEvent {
        // Values come from ``personalData`` of an event of the same type: one per field, in that order.
        precondition(values.count == (personalData?.fields.count ?? 0), "one value per personal field")
        guard let value = values.first else { return self }
        switch self {
        case .memberJoined(var event):
            event.name = value
            event.organisation = values[1]
            return .memberJoined(event)
        case .memberDetailsChanged(var event):
            event.name = value
            event.organisation = values[1]
            return .memberDetailsChanged(event)
        case .memberLeft(var event):
            event.note = value
            return .memberLeft(event)
        case .roleEnded(var event):
            event.reason = value
            return .roleEnded(event)
        case .subGroupMemberLeft(var event):
            event.reason = value
            return .subGroupMemberLeft(event)
        default: return self
        }
    }

    /// The event with its fields in `fields` (personal fields once kept in clear) taken from `clear`, an
    /// event of the same type; used to reproduce the payloads of stores before they were sealed.
    func withPersonalValues(_ fields: Set<String>, from clear: DomainEvent) -> DomainEvent {
        guard let personal = personalData, let given = clear.personalData, given.fields == personal.fields else {
            return self
        }
        var values = personal.values
        for (index, field) in personal.fields.enumerated() where fields.contains(field) {
            values[index] = given.values[index]
        }
        return replacingPersonalValues(values)
    }
}
