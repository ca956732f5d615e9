import EventLog
import Testing

@Suite struct ExpectedVersionTests {
    @Test func noStreamSucceedsForANewStreamAndConflictsOnceItExists() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            try store.append([newEvent("s"), newEvent("s")], expecting: ["s": .noStream])
            #expect(throws: EventLogError.wrongExpectedVersion(stream: "s", expected: .noStream, actual: 2)) {
                try store.append([newEvent("s")], expecting: ["s": .noStream])
            }
            #expect(try store.head().seq == 2)
        }
    }

    @Test func exactVersionSucceedsOnlyAtThatVersion() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
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

    @Test func exactVersionOfAMissingStreamConflictsWithNoActualVersion() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            let error = try #require(throws: EventLogError.self) {
                try store.append([newEvent("s")], expecting: ["s": .exact(1)])
            }
            #expect(error == .wrongExpectedVersion(stream: "s", expected: .exact(1), actual: nil))
            #expect(error.description == "stream s was expected at version 1 but is at no version (it does not exist)")
            #expect(try store.head() == .empty)
        }
    }

    @Test func conflictDescriptionSaysExpectedAndActualVersions() {
        let error = EventLogError.wrongExpectedVersion(stream: "orders-1", expected: .noStream, actual: 4)
        #expect(error.description == "stream orders-1 was expected not to exist but is at version 4")
    }

    @Test func anyNeverConflicts() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            try store.append([newEvent("s")], expecting: ["s": .any])
            try store.append([newEvent("s")], expecting: ["s": .any])
            #expect(try store.head().seq == 2)
        }
    }

    @Test func conflictOnOneStreamOfABatchWritesNothingOnAnyStream() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
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

    @Test func expectationMayNameAStreamTheBatchDoesNotTouch() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            try store.append([newEvent("guard")])
            #expect(throws: EventLogError.wrongExpectedVersion(stream: "guard", expected: .noStream, actual: 1)) {
                try store.append([newEvent("other")], expecting: ["guard": .noStream])
            }
            try store.append([newEvent("other")], expecting: ["guard": .exact(1)])
            #expect(try store.head().seq == 2)
        }
    }

    @Test func isSatisfiedByFollowsEachCase() {
        #expect(ExpectedVersion.any.isSatisfied(by: nil))
        #expect(ExpectedVersion.any.isSatisfied(by: 5))
        #expect(ExpectedVersion.noStream.isSatisfied(by: nil))
        #expect(!ExpectedVersion.noStream.isSatisfied(by: 1))
        #expect(ExpectedVersion.exact(2).isSatisfied(by: 2))
        #expect(!ExpectedVersion.exact(2).isSatisfied(by: 3))
        #expect(!ExpectedVersion.exact(2).isSatisfied(by: nil))
    }
}
