internal import Dispatch
internal import Synchronization

/// Work started on another thread now, whose result (or error) ``value()`` waits for: an append validates a
/// large batch with it while writing the batch, a rebuild decodes ahead
/// (`Chronicle.forEachDecodedEntry(through:stretch:_:)`), an import drafts half its lines.
package final class Background<Value: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<Value, any Error>?>(nil)

    package init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let outcome = Result { try work() }
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    /// Waits for the work and returns its result, or throws its error.
    package func value() throws -> Value {
        done.wait()
        done.signal()  // so that a second call returns at once too
        // The semaphore is signalled only after the result is set.
        guard let outcome = result.withLock({ $0 }) else { throw CancellationError() }
        return try outcome.get()
    }
}
