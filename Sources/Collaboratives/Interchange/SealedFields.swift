public import EventLog
internal import Foundation

/// How an export line carries the personal fields of its event, so that restoring it reproduces the stored
/// (sealed) payload that the line's hash covers. Written as the envelope field `sealed`:
///
/// - `{"key":"<base64>"}`: the member's key still exists; `data` holds the fields in clear and the restore
///   seals them again with this key (sealing is deterministic, see ``PersonalDataSeal``) and stores the key.
/// - `{"erased":{"name":"<base64>"}}`: the member was erased; `data` leaves the fields out and the line
///   carries their sealed bytes, which nobody can open any more.
public enum SealedFields: Sendable, Equatable {
    /// The member's key, for fields given in clear.
    case key(SubjectKey)
    /// The sealed bytes of each field, by name, for an erased member.
    case erased([String: [UInt8]])

    /// The line's JSON value.
    var jsonValue: JSONValue {
        switch self {
        case .key(let key): .object(["key": .string(Data(key.bytes).base64EncodedString())])
        case .erased(let fields):
            .object(["erased": .object(fields.mapValues { .string(Data($0).base64EncodedString()) })])
        }
    }

    /// Reads the `sealed` field of a line.
    static func parse(_ value: JSONValue) throws(DomainError) -> SealedFields {
        let field = "sealed"
        guard case .object(let members) = value, members.count == 1 else {
            throw DomainError(
                .wrongType, field: field, message: "expected an object with either \"key\" or \"erased\"")
        }
        if case .string(let text)? = members["key"] {
            guard let bytes = Data(base64Encoded: text), let key = SubjectKey(bytes: Array(bytes)) else {
                throw DomainError(.wrongType, field: "sealed.key", message: "expected 32 bytes in base64")
            }
            return .key(key)
        }
        guard case .object(let erased)? = members["erased"], !erased.isEmpty else {
            throw DomainError(
                .wrongType, field: field, message: "expected an object with either \"key\" or \"erased\"")
        }
        var fields: [String: [UInt8]] = [:]
        for (name, value) in erased {
            guard case .string(let text) = value, let bytes = Data(base64Encoded: text),
                bytes.count >= PersonalDataSeal.overhead
            else {
                throw DomainError(
                    .wrongType, field: "sealed.erased.\(name)", message: "expected sealed bytes in base64")
            }
            fields[name] = Array(bytes)
        }
        return .erased(fields)
    }

    /// `event` with its personal fields as stored: sealed again with the key, or set to the erased bytes.
    func storedEvent(_ event: DomainEvent, id: UUID) throws(DomainError) -> DomainEvent {
        guard let personal = event.personalData else {
            throw DomainError(.unknownField, field: "sealed", message: "this event type has no personal fields")
        }
        switch self {
        case .key(let key):
            do {
                return try PersonalDataSeal.seal(event, key: key, eventID: id)
            } catch {
                throw DomainError(.wrongType, field: "sealed", message: "cannot seal the personal fields: \(error)")
            }
        case .erased(let fields):
            var values = personal.values
            for (name, bytes) in fields.sorted(by: { $0.key < $1.key }) {
                guard let index = personal.fields.firstIndex(of: name) else {
                    throw DomainError(
                        .unknownField, field: "sealed.erased.\(name)", message: "not a personal field of this event")
                }
                guard values[index] == nil else {
                    throw DomainError(
                        .wrongType, field: "data.\(name)", message: "given both in clear and sealed as erased")
                }
                values[index] = .sealed(bytes)
            }
            return event.replacingPersonalValues(values)
        }
    }

    /// The JSON payload as stores before the binary layout kept it, from a line's `data` (with personal
    /// fields in clear or left out); fields in `keepingInClear` stay in clear (as stores before sealing them
    /// kept them, see ``PersonalFields/onceInClear``).
    func storedData(
        of data: JSONValue, event: DomainEvent, id: UUID, keepingInClear: Set<String> = []
    ) throws(DomainError) -> JSONValue {
        guard let personal = event.personalData else {
            throw DomainError(.unknownField, field: "sealed", message: "this event type has no personal fields")
        }
        switch self {
        case .key(let key):
            do {
                return try PersonalDataSeal.seal(
                    data, of: event, key: key, eventID: id, keepingInClear: keepingInClear)
            } catch {
                throw DomainError(.wrongType, field: "sealed", message: "cannot seal the personal fields: \(error)")
            }
        case .erased(let fields):
            guard case .object(var members) = data else { return data }
            for (name, bytes) in fields {
                guard personal.fields.contains(name) else {
                    throw DomainError(
                        .unknownField, field: "sealed.erased.\(name)", message: "not a personal field of this event")
                }
                guard members[name] == nil else {
                    throw DomainError(
                        .wrongType, field: "data.\(name)", message: "given both in clear and sealed as erased")
                }
                members[name] = PersonalText.sealed(bytes).jsonValue
            }
            return .object(members)
        }
    }
}
