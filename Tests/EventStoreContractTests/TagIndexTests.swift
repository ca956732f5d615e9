import EventLog
import Foundation
import Testing

/// An event carrying `tags`.
private func tagged(_ stream: String, _ tags: [String], id: UUID = UUID()) -> NewEvent {
    var event = newEvent(stream, id: id)
    event.tags = tags
    return event
}

/// The `seq`s under `tag`, through the head.
private func seqs(_ store: some EventStore, _ tag: String) throws -> [UInt64] {
    try store.read { view in try view.taggedSeqs(tag, through: view.head().seq) }
}

@Suite struct TagIndexTests {
    @Test(arguments: StoreKind.available) func appendedEventsAreFoundUnderEachOfTheirTagsInLogOrder(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([tagged("a", ["m/ann", "in/x"]), tagged("b", ["m/bob"])])
            try store.append([tagged("a", ["m/ann", "m/ann", "in/y"])])
            #expect(try seqs(store, "m/ann") == [1, 3])
            #expect(try seqs(store, "m/bob") == [2])
            #expect(try seqs(store, "in/x") == [1])
            #expect(try seqs(store, "m/an").isEmpty)  // a prefix of a tag is another tag
            #expect(try store.read { try $0.taggedSeqs("m/ann", through: 2) } == [1])
            #expect(try store.read { try $0.tagIndexPosition() } == 3)
            #expect(try store.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.available) func aLargeBatchIndexesEachTagUnderItsExactBytesInLogOrder(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            // Two canonically equivalent spellings (equal as `String`s, not as bytes), a name that begins
            // another, and repeats within an event and across events.
            let names = ["m/caf\u{E9}", "m/cafe\u{301}", "m/ca", "m/cab", "in/x", "g/z", "m/\u{1F600}"]
            var expected: [[UInt8]: [UInt64]] = [:]
            var batch: [NewEvent] = []
            for index in 0..<3_000 {
                // And a name of its own per event, so that the batch numbers thousands of names.
                let tags = (0...(index % 5)).map { names[(index + $0 * 3) % names.count] } + ["w/\(index % 1_500)"]
                batch.append(tagged("s\(index % 40)", tags))
                var seen: Set<[UInt8]> = []
                for tag in tags where seen.insert(Array(tag.utf8)).inserted {
                    expected[Array(tag.utf8), default: []].append(UInt64(index) + 1)
                }
            }
            try store.append(batch)
            for name in names + ["w/0", "w/1", "w/777", "w/1499"] {
                #expect(
                    try seqs(store, name) == expected[Array(name.utf8), default: [0]], "\(Array(name.unicodeScalars))")
            }
            #expect(try store.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.available) func aTagWithANulOrEmptyIsRefusedBeforeAnythingIsWritten(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            for bad in ["", "m/\u{0}x", String(repeating: "t", count: 256)] {
                let error = try #require(throws: EventLogError.self) { try store.append([tagged("a", [bad])]) }
                guard case .invalidEnvelope(_, let field, _) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(field == "tags")
            }
            #expect(try store.head().seq == 0)
        }
    }

    @Test(arguments: StoreKind.available) func tagsAreNotContentSoARetryWithOtherTagsIsStillIdempotent(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let id = UUID()
            try store.append([tagged("a", ["m/ann"], id: id)])
            let retry = try store.append([tagged("a", ["m/other"], id: id)])
            #expect(retry.appended.isEmpty && retry.duplicates.count == 1)
            #expect(try seqs(store, "m/other").isEmpty)
        }
    }

    @Test(arguments: StoreKind.available) func aRestoreWithoutTagsLeavesTheIndexBehindUntilCaughtUp(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            try kind.withStores { stores in
                let source = try stores.open()
                try source.append([tagged("a", ["t/1"]), tagged("b", ["t/2"])])
                let events = try allEvents(source)
                let target = try stores.open()
                try target.restore(events)
                #expect(try target.read { try $0.tagIndexPosition() } == 0)
                // Appends do not write into a lagging index, so it never has holes.
                try target.append([tagged("c", ["t/1"])])
                #expect(try seqs(target, "t/1").isEmpty)
                #expect(try target.verify().isSound)
                let count = try target.catchUpTags(scheme: "by-stream") { event in ["t/" + event.stream] }
                #expect(count == 3)
                #expect(try seqs(target, "t/a") == [1])
                #expect(try seqs(target, "t/c") == [3])
                #expect(try target.read { try $0.tagIndexPosition() } == 3)
                #expect(try target.catchUpTags(scheme: "by-stream") { _ in ["never"] } == 0)
                // Another scheme empties the index and tags every event again.
                #expect(try target.catchUpTags(scheme: "by-type") { event in ["y/" + event.type] } == 3)
                #expect(try seqs(target, "t/a").isEmpty)
                #expect(try seqs(target, "y/Happened") == [1, 2, 3])
                #expect(try target.read { try $0.tagScheme() } == "by-type")
                #expect(try target.verify().isSound)
            }
        }
    }

    @Test(arguments: StoreKind.available) func aRestoreWithTagsIndexesThemInTheSameTransaction(_ kind: StoreKind) throws
    {
        try kind.withStores { stores in
            try kind.withStores { stores in
                let source = try stores.open()
                try source.append([newEvent("a"), newEvent("b")])
                let events = try allEvents(source)
                let target = try stores.open()
                try target.restore(events, tags: [["x/1"], ["x/1", "x/2"]], dryRun: false)
                #expect(try seqs(target, "x/1") == [1, 2])
                #expect(try target.read { try $0.tagIndexPosition() } == 2)
                #expect(throws: EventLogError.self) {
                    try stores.open().restore(events, tags: [["x"]], dryRun: false)
                }
            }
        }
    }
}

private func path(_ directory: String, _ name: String) -> String {
    (directory as NSString).appendingPathComponent(name)
}
