import EventLog
import Testing

@Suite struct ExpectedVersionTests {
    @Test(arguments: StoreKind.available) func noStreamSucceedsForANewStreamAndConflictsOnceItExists(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("s"), newEvent("s")], expecting: ["s": .noStream])
            #expect(throws: EventLogError.wrongExpectedVersion(stream: "s", expected: .noStream, actual: 2)) {
                try store.append([newEvent("s")], expecting: ["s": .noStream])
            }
            #expect(try store.head().seq == 2)
        }
    }

    @Test(arguments: StoreKind.available) func exactVersionSucceedsOnlyAtThatVersion(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("s")])
            try store.append([newEvent("s")], expecting: ["s": .exact(1)])
            #expect(throws: EventLogError.wrongExpectedVersion(stream: "s", expected: .exact(1), actual: 2)) {
                try store.append([newEvent("s")], expecting: ["s": .exact(1)])
            }
            #expect(throws: EventLogError.wrongExpectedVersion(stream: "s", expected: .exact(3), actual: 2)) {
                try store.append([newEvent("s")], expecting: ["s": .exact(3)])
            }
            try store.append([newEvent("s")], expecting: ["s": .exact(2)])
            #expect(try store.read { try $0.streamVersion("s") } == 3)
        }
    }

    @Test(arguments: StoreKind.available) func exactVersionOfAMissingStreamConflictsWithNoActualVersion(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let error = try #require(throws: EventLogError.self) {
                try store.append([newEvent("s")], expecting: ["s": .exact(1)])
            }
            #expect(error == .wrongExpectedVersion(stream: "s", expected: .exact(1), actual: nil))
            #expect(error.description == "stream s was expected at version 1 but is at no version (it does not exist)")
            #expect(try store.head() == .empty)
        }
    }

    @Test(arguments: StoreKind.available) func anyNeverConflicts(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("s")], expecting: ["s": .any])
            try store.append([newEvent("s")], expecting: ["s": .any])
            #expect(try store.head().seq == 2)
        }
    }

    @Test(arguments: StoreKind.available) func conflictOnOneStreamOfABatchWritesNothingOnAnyStream(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("a"), newEvent("b")])
            let before = try store.head()
            #expect(throws: EventLogError.wrongExpectedVersion(stream: "b", expected: .exact(7), actual: 1)) {
                try store.append(
                    [newEvent("a"), newEvent("b"), newEvent("c")],
                    expecting: ["a": .exact(1), "b": .exact(7), "c": .noStream])
            }
            #expect(try store.head() == before)
            let versions = try store.read { view in try ["a", "b", "c"].map { try view.streamVersion($0) } }
            #expect(versions == [1, 1, nil])
        }
    }

    @Test(arguments: StoreKind.available) func expectationMayNameAStreamTheBatchDoesNotTouch(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("guard")])
            #expect(throws: EventLogError.wrongExpectedVersion(stream: "guard", expected: .noStream, actual: 1)) {
                try store.append([newEvent("other")], expecting: ["guard": .noStream])
            }
            try store.append([newEvent("other")], expecting: ["guard": .exact(1)])
            #expect(try store.head().seq == 2)
        }
    }
}
