import ChronicleSupport
import Dispatch
import Foundation
import Synchronization
import Testing

/// Calls `onDeinit` with the thread it is released on.
private final class ReleaseTracker: Sendable {
    let onDeinit: @Sendable (pthread_t) -> Void

    init(_ onDeinit: @escaping @Sendable (pthread_t) -> Void) { self.onDeinit = onDeinit }

    deinit { onDeinit(pthread_self()) }
}

/// The failure a test's background work throws.
private struct DeliberateFailure: Error, Equatable {}

@Suite struct BackgroundTests {
    @Test func aValueHandedOverIsReleasedOnAnotherThread() throws {
        let released = DispatchSemaphore(value: 0)
        let releasingThread = Mutex<pthread_t?>(nil)
        let tracker = ReleaseTracker { thread in
            releasingThread.withLock { $0 = thread }
            released.signal()
        }
        let batch = [tracker, tracker]
        releaseInBackground(consume tracker)  // still held by `batch`
        releaseInBackground(consume batch)
        #expect(released.wait(timeout: .now() + 30) == .success)
        let thread = try #require(releasingThread.withLock { $0 })
        #expect(pthread_equal(thread, pthread_self()) == 0)
    }

    @Test func workInTheBackgroundGivesItsValueOrItsError() throws {
        #expect(try Background { 6 * 7 }.value() == 42)
        let failing = Background<Int> { throw DeliberateFailure() }
        #expect(throws: DeliberateFailure()) { try failing.value() }
        #expect(throws: DeliberateFailure()) { try failing.value() }  // again, at once
    }

    /// What lets a rebuild move each decoded entry out of its stretch instead of copying it: a value copied
    /// out (`value()`) stays held by the work too, so changing it in place would copy it whole first.
    @Test func aTakenValueIsHeldByTheCallerAloneAndCanBeTakenOnce() throws {
        let work = Background { [Box()] }
        var taken = try work.takeValue()
        #expect(isKnownUniquelyReferenced(&taken[0]))
        #expect(throws: CancellationError.self) { try work.takeValue() }
        let copied = Background { [Box()] }
        var copy = try copied.value()
        #expect(!isKnownUniquelyReferenced(&copy[0]))
    }
}

/// A reference whose holders a test counts.
private final class Box: Sendable {}
