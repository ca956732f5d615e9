import Foundation
import Testing

@testable import EventLog

/// The LMDB store's bound on one append session: the map is grown to leave room for it before the session
/// and cannot grow inside it, so a session that outgrows it is refused whole, saying so.
@Suite struct AppendSessionLimitTests {
    @Test func aSessionLargerThanTheLargestTransactionIsRolledBackSayingSo() throws {
        try withTemporaryDirectory { path in
            let store = try LMDBEventStore(
                directory: path,
                options: .init(create: true, initialMapSize: 1 << 16, durable: false, largestTransaction: 1 << 16))
            try store.append([newEvent("a")])
            let before = try store.head()
            let stretch = (0..<1_000).map { _ in newEvent("a", payload: [UInt8](repeating: 7, count: 200)) }
            var stretches = 0
            #expect(throws: EventLogError.transactionTooLarge(limit: "64 KiB")) {
                try store.withAppendSession(dryRun: false) { session in
                    for _ in 0..<20 {
                        try session.append(
                            stretch.map { newEvent($0.stream, payload: $0.payload) }, expecting: [:],
                            hooks: NoAppendHooks())
                        stretches += 1
                    }
                }
            }
            #expect(stretches > 0 && stretches < 20, "the bound was reached inside the session: \(stretches)")
            #expect(try store.head() == before)
            #expect(try store.verify().isSound)
            // The store goes on taking appends, and a smaller session.
            try store.withAppendSession(dryRun: false) { session in
                try session.append([newEvent("b")], expecting: [:], hooks: NoAppendHooks())
            }
            #expect(try store.head().seq == 2)
        }
    }
}
