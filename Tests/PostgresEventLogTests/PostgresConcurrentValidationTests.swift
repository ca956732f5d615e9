import EventLog
import EventLogTestSupport
import Foundation
import Synchronization
import Testing

@testable import PostgresEventLog

/// A batch of ``PostgresEventStore/concurrentValidationThreshold`` events or more (an import's) is validated
/// on another thread, in a transaction of another connection, while this one seals and writes it; it judges
/// the log before the batch all the same, and its refusal writes nothing.
@Suite(.enabled(if: TestServer.isAvailable, "CHRONICLE_TEST_POSTGRES names no server"))
struct PostgresConcurrentValidationTests {
    /// What a validation saw: whether it ran on the appending thread, and the head of its view.
    struct Seen: Equatable {
        var onCallersThread: Bool
        var head: UInt64
    }

    @Test(arguments: [
        PostgresEventStore.concurrentValidationThreshold - 1, PostgresEventStore.concurrentValidationThreshold,
    ])
    func aLargeBatchIsValidatedElsewhereAgainstTheLogBeforeIt(size: Int) throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            try store.append([event("a")])
            let caller = ObjectIdentifier(Thread.current)
            let seen = Mutex<[Seen]>([])
            let result = try store.append(
                (0..<size).map { event("s\($0 % 7)", tags: ["t"]) }, expecting: [:],
                hooks: Hooks(onValidate: { view, _ in
                    let head = try view.head().seq
                    seen.withLock {
                        $0.append(Seen(onCallersThread: ObjectIdentifier(Thread.current) == caller, head: head))
                    }
                }), dryRun: false)
            #expect(
                seen.withLock { $0 } == [
                    Seen(onCallersThread: size < PostgresEventStore.concurrentValidationThreshold, head: 1)
                ])
            #expect(result.head.seq == UInt64(size) + 1)
            #expect(try store.read { try $0.taggedSeqs("t", through: .max).count } == size)
        }
    }

    @Test func aLargeBatchIsValidatedInItsOwnTransactionWhenNoSecondConnectionMayBeOpened() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            try admin.append([event("a")])
            let role = try database.loginRole("ann")
            try admin.grant(.recorder, to: role, scopes: nil)
            try database.session().execute("ALTER ROLE \"\(role)\" CONNECTION LIMIT 1")
            let store = try database.store(as: "ann")
            let caller = ObjectIdentifier(Thread.current)
            let seen = Mutex<[Seen]>([])
            let size = PostgresEventStore.concurrentValidationThreshold
            let result = try store.append(
                (0..<size).map { event("s\($0 % 7)") }, expecting: [:],
                hooks: Hooks(onValidate: { view, _ in
                    let head = try view.head().seq
                    seen.withLock {
                        $0.append(Seen(onCallersThread: ObjectIdentifier(Thread.current) == caller, head: head))
                    }
                }), dryRun: false)
            #expect(seen.withLock { $0 } == [Seen(onCallersThread: true, head: 1)])
            #expect(result.head.seq == UInt64(size) + 1)
        }
    }

    @Test func aLargeBatchTheValidationRefusesWritesNothingNotEvenItsKeys() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            try store.append([event("a")])
            struct Refused: Error {}
            let size = PostgresEventStore.concurrentValidationThreshold
            #expect(throws: Refused.self) {
                try store.append(
                    (0..<size).map { event("s\($0)") }, expecting: [:],
                    hooks: Hooks(
                        onPrepare: { keys, batch in
                            _ = try keys.createSubjectKeyIfAbsent("member-1")
                            return batch
                        },
                        onValidate: { _, _ in throw Refused() }), dryRun: false)
            }
            #expect(try store.read { try $0.head().seq } == 1)
            #expect(try store.read { try $0.subjectKey("member-1") } == nil)
        }
    }
}
