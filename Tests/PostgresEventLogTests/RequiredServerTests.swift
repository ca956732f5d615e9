import Foundation
import Testing

/// The server tests skip themselves when no server is named, so that `swift test` runs anywhere; the test
/// script (and so CI) starts a cluster and sets `CHRONICLE_REQUIRE_POSTGRES=1`, and then they must run, never
/// pass by being skipped.
@Suite struct RequiredServerTests {
    @Test func theServerTestsRunWheneverTheTestScriptRequiresThem() {
        guard ProcessInfo.processInfo.environment["CHRONICLE_REQUIRE_POSTGRES"] == "1" else { return }
        #expect(TestServer.isAvailable, "CHRONICLE_REQUIRE_POSTGRES=1 but CHRONICLE_TEST_POSTGRES names no server")
    }
}
