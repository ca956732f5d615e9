import EventLog
import Foundation
import PostgresEventLog
import Testing

extension Sandbox {
    /// The sandbox's store opened through the library, as a recorder's own code would open it (on PostgreSQL,
    /// connected as the sandbox's user), its clock stopped at `now`: for a test that looks at what the
    /// command line cannot show, or writes what it would refuse.
    func openStore(now: String = Sandbox.defaultNow) throws -> any EventStore {
        let clock = FixedClock(try #require(Timestamp(rfc3339: now)))
        return Backend.current == .postgres
            ? try PostgresEventStore(
                location: PostgresLocation(uri: storeLocation, environment: storeEnvironment), clock: clock)
            : try LMDBEventStore(directory: store.path, options: .init(create: false), clock: clock)
    }
}
