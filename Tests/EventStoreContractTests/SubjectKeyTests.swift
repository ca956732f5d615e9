import EventLog
import EventLogTestSupport
import Foundation
import Testing

/// Appends one event whose `prepare` step runs `body` on the key writer.
@discardableResult
private func appendPreparing(
    _ store: some EventStore, _ event: NewEvent = newEvent("s"),
    _ body: @escaping (any SubjectKeyWriter) throws -> Void
) throws -> AppendResult {
    try store.append(
        [event], expecting: [:],
        hooks: Hooks(onPrepare: { writer, batch in
            try body(writer)
            return batch
        }))
}

@Suite struct SubjectKeyTests {
    @Test(arguments: StoreKind.available) func keyCreatedInThePrepareStepIsStoredWithTheEventsAndReadableFromAView(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            var created: SubjectKey?
            try appendPreparing(store) { created = try $0.createSubjectKeyIfAbsent("member-a") }
            let stored = try store.read { try $0.subjectKey("member-a") }
            #expect(stored != nil)
            #expect(stored == created)
            #expect(stored?.bytes.count == SubjectKey.length)
            #expect(try store.read { try $0.subjectKeys(prefix: "member-") } == ["member-a": try #require(created)])
        }
    }

    @Test(arguments: StoreKind.available) func createIfAbsentReturnsTheExistingKey(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            var first: SubjectKey?
            var second: SubjectKey?
            try appendPreparing(store) { first = try $0.createSubjectKeyIfAbsent("member-a") }
            try appendPreparing(store) { second = try $0.createSubjectKeyIfAbsent("member-a") }
            #expect(first != nil && first == second)
        }
    }

    @Test(arguments: StoreKind.available) func keyOfAnAppendThatFailsIsNotWritten(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            struct Refused: Error {}
            #expect(throws: Refused.self) {
                try store.append(
                    [newEvent("s")], expecting: [:],
                    hooks: Hooks(
                        onPrepare: { writer, batch in
                            _ = try writer.createSubjectKeyIfAbsent("member-a")
                            return batch
                        }, onValidate: { _, _ in throw Refused() }))
            }
            #expect(try store.read { try $0.subjectKey("member-a") } == nil)
            #expect(try store.head().seq == 0)
        }
    }

    @Test(arguments: StoreKind.available) func prepareStepMayRewriteThePayloadBeforeTheDuplicateCheck(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            let event = newEvent("s", payload: [1])
            let rewrite: (any SubjectKeyWriter, [NewEvent]) throws -> [NewEvent] = { _, batch in
                batch.map { event in
                    var sealed = event
                    sealed.payload = [9]
                    return sealed
                }
            }
            let first = try store.append([event], expecting: [:], hooks: Hooks(onPrepare: rewrite))
            let again = try store.append([event], expecting: [:], hooks: Hooks(onPrepare: rewrite))
            #expect(first.appended.first?.payload == [9])
            #expect(again.appended.isEmpty)
            #expect(again.duplicates.map(\.id) == [event.id])
        }
    }

    @Test(arguments: StoreKind.available) func prepareStepThatChangesAnIDIsRefused(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            #expect(throws: EventLogError.self) {
                try store.append(
                    [newEvent("s")], expecting: [:],
                    hooks: Hooks(onPrepare: { _, batch in
                        batch.map {
                            NewEvent(
                                stream: $0.stream, type: $0.type, occurredAt: $0.occurredAt, recordedBy: "", payload: []
                            )
                        }
                    }))
            }
            #expect(try store.head().seq == 0)
        }
    }

    @Test(arguments: StoreKind.available) func restoreStoresTheKeysThatTravelWithTheExport(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            try kind.withStores { stores in
                let original = try stores.open()
                try appendPreparing(original) { _ = try $0.createSubjectKeyIfAbsent("member-a") }
                let key = try #require(try original.read { try $0.subjectKey("member-a") })
                let copy = try stores.open()
                try copy.restore(try allEvents(original), tags: nil, keys: ["member-a": key], dryRun: false)
                #expect(try copy.read { try $0.subjectKey("member-a") } == key)
                #expect(try copy.verify().isSound)
            }
        }
    }
}
