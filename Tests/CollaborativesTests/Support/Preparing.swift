import EventLog

/// Append hooks that only prepare the batch, with `body`: how the tests write payloads as earlier builds
/// stored them, with the subject keys of the same transaction.
///
/// `@unchecked Sendable`: the store calls `prepare` on the appending thread only, and no other step.
struct Preparing: AppendHooks, @unchecked Sendable {
    let body: (any SubjectKeyWriter, [NewEvent]) throws -> [NewEvent]

    init(_ body: @escaping (any SubjectKeyWriter, [NewEvent]) throws -> [NewEvent]) { self.body = body }

    func prepare(_ batch: [NewEvent], keys: any SubjectKeyWriter) throws -> [NewEvent] { try body(keys, batch) }
}
