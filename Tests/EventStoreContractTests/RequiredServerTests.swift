import Foundation
import Testing

/// The contract tests run on PostgreSQL only when a server is named, so that `swift test` runs anywhere; the
/// test script (and so CI) starts a cluster and sets `CHRONICLE_REQUIRE_POSTGRES=1`, and then every contract
/// test must run on PostgreSQL too, never be left out.
@Suite struct RequiredServerTests {
    @Test func postgresIsAmongTheBackendsWheneverTheTestScriptRequiresIt() {
        guard ProcessInfo.processInfo.environment["CHRONICLE_REQUIRE_POSTGRES"] == "1" else { return }
        #expect(
            StoreKind.available.contains(.postgres),
            "CHRONICLE_REQUIRE_POSTGRES=1 but CHRONICLE_TEST_POSTGRES names no server")
    }
}
