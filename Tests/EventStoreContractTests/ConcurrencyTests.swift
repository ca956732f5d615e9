import Dispatch
import EventLog
import Foundation
import Synchronization
import Testing

/// What the reader thread saw, handed back to the test.
private final class ReaderObservation: Sendable {
    let value = Mutex<(headBefore: UInt64, headAfter: UInt64, timedOut: Bool)?>(nil)
    let failure = Mutex<String?>(nil)
}

@Suite struct ConcurrencyTests {
    @Test(arguments: StoreKind.available) func staleReaderOnAnotherThreadDoesNotBlockAppendsAndKeepsItsSnapshot(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("s")])
            let readerStarted = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let readerDone = DispatchSemaphore(value: 0)
            let observation = ReaderObservation()
            let reader = Thread {
                do {
                    try store.read { view in
                        let before = try view.head().seq
                        readerStarted.signal()
                        // Hold the snapshot open until the test has appended, but never forever.
                        let timedOut = release.wait(timeout: .now() + 10) == .timedOut
                        let after = try view.head().seq
                        observation.value.withLock { $0 = (before, after, timedOut) }
                    }
                } catch {
                    observation.failure.withLock { $0 = "\(error)" }
                    readerStarted.signal()
                }
                readerDone.signal()
            }
            reader.start()
            #expect(readerStarted.wait(timeout: .now() + 10) == .success)

            let clock = ContinuousClock()
            let started = clock.now
            for _ in 0..<20 { try store.append([newEvent("s")]) }
            let elapsed = clock.now - started
            release.signal()
            #expect(readerDone.wait(timeout: .now() + 20) == .success)

            #expect(elapsed < .seconds(5), "appends waited for the reader")
            #expect(observation.failure.withLock { $0 } == nil)
            let seen = observation.value.withLock { $0 }
            #expect(seen?.headBefore == 1)
            #expect(seen?.headAfter == 1, "the reader's snapshot does not move")
            #expect(seen?.timedOut == false)
            #expect(try store.head().seq == 21)
            #expect(try store.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.available) func appendsFromSeveralThreadsStayGaplessAndChained(_ kind: StoreKind) throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 4) { worker in
                for _ in 0..<15 {
                    do {
                        try store.append([newEvent("worker-\(worker)"), newEvent("shared")])
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
            #expect(failures.withLock { $0 }.isEmpty)
            let events = try allEvents(store, pageSize: 7)
            #expect(events.map(\.seq) == Array(1...120))
            #expect(try store.read { try $0.streamVersion("shared") } == 60)
            for worker in 0..<4 {
                #expect(
                    try collect(store.events(inStream: "worker-\(worker)"), pageSize: 4).map(\.streamVersion)
                        == Array(1...15))
            }
            #expect(try store.verify().isSound)
        }
    }
}
