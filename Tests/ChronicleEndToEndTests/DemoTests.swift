import Foundation
import Testing

/// Issue 3, item 4: `chronicle demo` builds a store from the built-in history, through the same
/// import path as any file.
@Suite struct DemoTests {
    @Test func demoBuildsASoundStoreWhoseExportMatchesTheSchema() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.succeed(["demo"])
        let report = try await sandbox.verify()
        #expect(report.sound && report.events > 0, "\(result)")
        #expect(result.stdout.contains("\(report.events) events"), "\(result)")
        let export = try await sandbox.export()
        #expect(export.split(separator: "\n").count == report.events)
        let log = try await sandbox.log(["--type", "EventRetracted"])
        #expect(!log.events.isEmpty, "the demo history holds a correction")
    }

    @Test func demoRefusesAStoreThatIsNotEmpty() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let head = try await sandbox.head()
        let result = try await sandbox.run(["demo"])
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains(sandbox.storeLocation), "\(result)")
        #expect(try await sandbox.head() == head)
    }
}
