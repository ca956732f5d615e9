internal import Dispatch
internal import Synchronization

/// Work started on another thread now, whose result (or error) ``value()`` waits for: an append validates a
/// large batch with it while writing the batch; its users above this layer decode ahead and draft lines.
package final class Background<Value: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<Value, any Error>?>(nil)

    package init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            // Moved into the mutex, not copied: a copy left here until the closure ends would still reference
            // the value when ``takeValue()`` hands it over as the only reference.
            var outcome: Result<Value, any Error>? = Result { try work() }
            result.withLock { $0 = outcome.take() }
            done.signal()
        }
    }

    /// Whether the work is over and threw (without waiting).
    package var hasFailed: Bool {
        result.withLock { outcome in
            if case .failure? = outcome { true } else { false }
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

    /// ``value()``, moved out rather than copied: the caller then holds the only reference to it (an array it
    /// changes in place is not copied whole first). Once only: a later call throws `CancellationError`.
    package func takeValue() throws -> Value {
        done.wait()
        done.signal()
        guard let outcome = result.withLock({ $0.take() }) else { throw CancellationError() }
        return try outcome.get()
    }
}

/// Lets go of `value` on another thread: tearing down a batch of a million decoded events takes seconds
/// (every string, array and payload released one by one) that its last user need not wait for.
package func releaseInBackground<Value: Sendable>(_ value: consuming Value) {
    let box = ReleaseBox(value)
    DispatchQueue.global(qos: .utility).async { box.empty() }
}

/// Holds a value until the thread it was handed to empties it, so that the release happens there.
private final class ReleaseBox<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is set by `init` and then touched only by the one closure that calls `empty()`.
    private var value: Value?

    init(_ value: consuming Value) { self.value = value }

    func empty() { value = nil }
}
