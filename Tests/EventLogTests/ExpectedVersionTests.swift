import EventLog
import Testing

@Suite struct ExpectedVersionTests {
    @Test func conflictDescriptionSaysExpectedAndActualVersions() {
        let error = EventLogError.wrongExpectedVersion(stream: "orders-1", expected: .noStream, actual: 4)
        #expect(error.description == "stream orders-1 was expected not to exist but is at version 4")
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
