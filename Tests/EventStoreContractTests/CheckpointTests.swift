import EventLog
import EventLogTestSupport
import Testing

@Suite struct CheckpointTests {
    @Test(arguments: StoreKind.available) func checkpointReturnedByAnAppendIsWrittenInTheSameTransaction(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("a")])
            var seenHead: UInt64?
            let result = try store.append(
                [newEvent("a"), newEvent("b")], expecting: [:],
                hooks: Hooks(onCheckpoints: { view, appended in
                    seenHead = try view.head().seq
                    let last = appended.last?.seq ?? 0
                    return [
                        Checkpoint(name: "count", position: last, state: [UInt8(last)]),
                        Checkpoint(name: "streams", position: last, state: Array("a,b".utf8)),
                    ]
                }))
            #expect(seenHead == 3, "the closure sees the batch already written")
            #expect(result.appended.map(\.seq) == [2, 3])
            let stored = try store.read { view in
                (try view.checkpoint(named: "count"), try view.checkpoint(named: "streams"))
            }
            #expect(stored.0 == Checkpoint(name: "count", position: 3, state: [3]))
            #expect(stored.1 == Checkpoint(name: "streams", position: 3, state: Array("a,b".utf8)))
        }
    }

    /// A hook that writes its checkpoint's state in place (``AppendHooks/storeCheckpoints(for:in:put:)``),
    /// as the present view's merge does from its temporary file, has it stored with the batch; a `write`
    /// that throws rolls the whole append back.
    @Test(arguments: StoreKind.available) func checkpointWrittenInPlaceByAnAppendIsStoredWithItOrNotAtAll(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let state = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            try store.append([newEvent("a")], expecting: [:], hooks: InPlaceCheckpoint(state: state))
            #expect(
                try store.read { try $0.checkpoint(named: "in-place") }
                    == Checkpoint(name: "in-place", position: 1, state: state))
            #expect(throws: DeliberateFailure()) {
                try store.append([newEvent("b")], expecting: [:], hooks: InPlaceCheckpoint(state: [9], fails: true))
            }
            #expect(try store.head().seq == 1)
            #expect(try store.read { try $0.checkpoint(named: "in-place") }?.state == state)
        }
    }

    @Test(arguments: StoreKind.available) func checkpointClosureThatThrowsRollsBackTheWholeAppend(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append(
                [newEvent("a")], expecting: [:],
                hooks: Hooks(onCheckpoints: { _, _ in [Checkpoint(name: "count", position: 1, state: [1])] }))
            #expect(throws: DeliberateFailure()) {
                try store.append(
                    [newEvent("a")], expecting: [:], hooks: Hooks(onCheckpoints: { _, _ in throw DeliberateFailure() }))
            }
            #expect(try store.head().seq == 1)
            #expect(
                try store.read { try $0.checkpoint(named: "count") }
                    == Checkpoint(name: "count", position: 1, state: [1]))
        }
    }

    @Test(arguments: StoreKind.available) func checkpointOfAnAppendThatFailsIsNotWritten(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("a")])
            var called = false
            #expect(throws: EventLogError.wrongExpectedVersion(stream: "a", expected: .noStream, actual: 1)) {
                try store.append(
                    [newEvent("a")], expecting: ["a": .noStream],
                    hooks: Hooks(onCheckpoints: { _, _ in
                        called = true
                        return [Checkpoint(name: "count", position: 2, state: [])]
                    }))
            }
            #expect(throws: DeliberateFailure()) {
                try store.append(
                    [newEvent("a")], expecting: [:],
                    hooks: Hooks(
                        onValidate: { _, _ in throw DeliberateFailure() },
                        onCheckpoints: { _, _ in
                            called = true
                            return [Checkpoint(name: "count", position: 2, state: [])]
                        }))
            }
            #expect(!called)
            #expect(try store.read { try $0.checkpoint(named: "count") } == nil)
        }
    }

    @Test(arguments: StoreKind.available) func checkpointIsNotCalledForABatchOfRetriesOnly(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let event = newEvent("a")
            try store.append([event])
            var called = false
            let result = try store.append(
                [event], expecting: [:],
                hooks: Hooks(onCheckpoints: { _, _ in
                    called = true
                    return []
                }))
            #expect(result.appended.isEmpty)
            #expect(!called)
        }
    }

    @Test(arguments: StoreKind.available) func saveCheckpointStoresOnItsOwnAndReplacesTheOldOne(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            #expect(try store.read { try $0.checkpoint(named: "p") } == nil)
            try store.saveCheckpoint(Checkpoint(name: "p", position: 0, state: [1, 2, 3]))
            try store.saveCheckpoint(Checkpoint(name: "p", position: 5, state: []))
            try store.saveCheckpoint(Checkpoint(name: "q", position: 1, state: [9]))
            let stored = try store.read { view in (try view.checkpoint(named: "p"), try view.checkpoint(named: "q")) }
            #expect(stored.0 == Checkpoint(name: "p", position: 5, state: []))
            #expect(stored.1 == Checkpoint(name: "q", position: 1, state: [9]))
            #expect(try store.head() == .empty, "checkpoints are not events")
            #expect(try store.verify().isSound)
        }
    }

    /// A state filled in place (from a file, say) is stored as given; when the filling fails, nothing is.
    @Test(arguments: StoreKind.available) func aCheckpointFilledInPlaceIsStoredWholeOrNotAtAll(_ kind: StoreKind) throws
    {
        struct Unreadable: Error {}
        try kind.withStores { stores in
            let store = try stores.open()
            let state = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try store.saveCheckpoint(name: "p", position: 7, stateSize: state.count) { $0.copyBytes(from: state) }
            #expect(
                try store.read { try $0.checkpoint(named: "p") } == Checkpoint(name: "p", position: 7, state: state))
            #expect(throws: Unreadable.self) {
                try store.saveCheckpoint(name: "p", position: 8, stateSize: 10) { buffer in
                    buffer.copyBytes(from: [1, 2, 3])
                    throw Unreadable()
                }
            }
            #expect(throws: Unreadable.self) {
                try store.saveCheckpoint(name: "q", position: 1, stateSize: 1) { _ in throw Unreadable() }
            }
            let stored = try store.read { view in (try view.checkpoint(named: "p"), try view.checkpoint(named: "q")) }
            #expect(stored.0 == Checkpoint(name: "p", position: 7, state: state) && stored.1 == nil)
        }
    }
}

/// Stores a checkpoint named "in-place" at the batch's last seq, its state written by `put`'s `write` a
/// byte range at a time (throwing halfway with `fails`).
private struct InPlaceCheckpoint: AppendHooks {
    let state: [UInt8]
    var fails = false

    func storeCheckpoints(for appended: [RecordedEvent], in log: any LogView, put: CheckpointPut) throws {
        try put("in-place", appended.last?.seq ?? 0, state.count) { buffer in
            let half = state.count / 2
            UnsafeMutableRawBufferPointer(rebasing: buffer[..<half]).copyBytes(from: state[..<half])
            if fails { throw DeliberateFailure() }
            UnsafeMutableRawBufferPointer(rebasing: buffer[half...]).copyBytes(from: state[half...])
        }
    }
}
