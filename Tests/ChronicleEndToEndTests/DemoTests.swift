import EventLog
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

    /// A clock after the demo's last entry (2024-09-16), so that reports see it all and an erasure comes after it.
    static let afterTheDemo = "2025-01-01T00:00:00Z"

    /// Issue 18, item 10: the demo is made through today's append path, so its store is one this build would
    /// write: every payload in the binary layout (none of an earlier build's JSON), every member with personal
    /// data holding the key their fields are sealed with, the key the export carries.
    @Test func demoStoreHoldsBinaryPayloadsAndTheKeyOfEveryMemberWithPersonalData() async throws {
        let sandbox = try Sandbox()
        try await sandbox.succeed(["demo"])
        var exportedKeys: [String: String] = [:]
        var named: Set<String> = []
        for line in try await sandbox.export().split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let data = try #require(object["data"] as? [String: Any])
            if data["name"] is String, let member = data["member"] as? String { named.insert("member-\(member)") }
            guard let sealed = object["sealed"] as? [String: Any] else { continue }
            let member = try #require(data["member"] as? String, "\(line)")
            exportedKeys["member-\(member)"] = try #require(sealed["key"] as? String, "\(line)")
        }
        #expect(!named.isEmpty && named.isSubset(of: exportedKeys.keys), "every named member's key is exported")

        let log = try sandbox.openStore(now: Self.afterTheDemo)
        var layouts: [UInt8: Int] = [:]
        try log.events().forEach { layouts[$0.payload.first ?? 0, default: 0] += 1 }
        #expect(Set(layouts.keys).isSubset(of: [0x01, 0x02]), "payload layout bytes: \(layouts)")
        let stored = try log.read { try $0.subjectKeys(prefix: "member-") }
        #expect(stored.mapValues { Data($0.bytes).base64EncodedString() } == exportedKeys)
    }

    /// Issue 18, item 10: `erase` works on a demo member as on any store: their name is shredded (nowhere in
    /// the export, the log or the store's file) and every figure the demo shows stays as it was.
    @Test func erasingADemoMemberShredsTheirNameAndKeepsTheDemosFigures() async throws {
        let sandbox = try Sandbox()
        try await sandbox.succeed(["demo"])
        let (member, name) = ("ol-05", "Olivia Taylor")
        let reports = [
            ["report", "attendance"], ["report", "attrition"], ["report", "surveys"], ["report", "coaching"],
            ["audit", "succession"],
        ]
        var before: [NSDictionary] = []
        for report in reports { before.append(try await PrivacyTests.figures(sandbox, report, now: Self.afterTheDemo)) }
        #expect(try await sandbox.export().contains(name))

        try await sandbox.succeed(["erase", "member", member, "--reason", "demo request"], now: Self.afterTheDemo)
        for (index, report) in reports.enumerated() {
            #expect(
                try await PrivacyTests.figures(sandbox, report, now: Self.afterTheDemo) == before[index], "\(report)")
        }
        let exported = try await sandbox.export()
        #expect(!exported.contains(name))
        #expect(exported.contains(#""sealed":{"erased":{"name":"#))
        let log = try await sandbox.succeed(["log", "--member", member], now: Self.afterTheDemo).stdout
        #expect(log.contains("personal data of \(member) erased") && !log.contains(name), "\(log)")
        if Backend.current == .lmdb {
            #expect(try PrivacyTests.dataFile(sandbox).range(of: Data(name.utf8)) == nil)
        }
        #expect(try await sandbox.verify().sound)
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
