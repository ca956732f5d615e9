import Foundation
import LMDB
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

    /// A session is given the room its caller expects (at least the smallest), not all one transaction may
    /// take: the map, address space, grows only by what the session may need. One that outgrows it is run
    /// again with four times the room when its body may be run again (when not, it is refused saying so:
    /// ``aSessionLargerThanTheLargestTransactionIsRolledBackSayingSo()``).
    @Test func aSessionIsGivenTheRoomItExpectsAndARerunnableOneMoreWhenItOutgrowsIt() throws {
        try withTemporaryDirectory { path in
            let largest = 16 << 20
            let store = try LMDBEventStore(
                directory: path,
                options: .init(create: true, initialMapSize: 1 << 16, durable: false, largestTransaction: largest))
            try store.append([newEvent("a")])
            try store.withAppendSession(dryRun: false, room: .init(expectedBytes: 1 << 20, rerunnable: false)) {
                try $0.append([newEvent("a")], expecting: [:], hooks: NoAppendHooks())
            }
            let smallest = LMDBEventStore.smallestSessionRoom(largest: largest)
            #expect(store.environment.mapSize <= 2 * smallest, "\(store.environment.mapSize) bytes mapped")
            // More than the smallest room of events.
            let payload = [UInt8](repeating: 7, count: 4_000)
            let count = 2 * smallest / 4_000
            var runs = 0
            try store.withAppendSession(dryRun: false, room: .init(expectedBytes: nil, rerunnable: true)) { session in
                runs += 1
                for _ in stride(from: 0, to: count, by: 500) {
                    try session.append(
                        (0..<500).map { _ in newEvent("b", payload: payload) }, expecting: [:], hooks: NoAppendHooks())
                }
            }
            #expect(runs >= 2, "run again, with more room")
            #expect(try store.head().seq == 2 + UInt64((count + 499) / 500 * 500))
            #expect(try store.verify().isSound)
        }
    }
}
