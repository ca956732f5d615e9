import Foundation
import Testing

/// `chronicle verify`: one summary line and exit 0 when sound; exit 1 naming the first fault otherwise.
@Suite struct VerifyTests {
    @Test func soundStorePrintsOneOkLineAndExitsZero() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.succeed(["verify"])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1, "\(result)")
        let line = try #require(lines.first)
        let head = try await sandbox.head()
        #expect(line.hasPrefix("ok: \(BaseHistory.count) events"), "\(result)")
        #expect(line.contains(head.hash), "\(result)")
        let report = try await sandbox.verify()
        #expect(report.sound && report.events == BaseHistory.count && report.fault == nil)
        #expect(report.head.seq == BaseHistory.count && report.head.recordedAt == Sandbox.defaultNow)
    }

    @Test func emptyStoreIsSound() async throws {
        let sandbox = try await Sandbox.initialised()
        let report = try await sandbox.verify()
        #expect(report.sound && report.events == 0)
        #expect(report.head == Head(seq: 0, hash: String(repeating: "0", count: 64), recordedAt: nil))
    }

    @Test(.lmdbOnly("patches an event in data.mdb"))
    func alteredEventIsReportedAsTheFirstFault() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let dataFile = sandbox.store.appendingPathComponent("data.mdb")
        var bytes = try Data(contentsOf: dataFile)
        // A sub-group's aim is not personal data, so it is stored in clear (an organisation is sealed).
        let original = Data("Smooth Year 6 to 7 transitions".utf8)
        let range = try #require(bytes.range(of: original), "the payload of seq 9 is not stored as plain text")
        bytes.replaceSubrange(range, with: Data("Smooth Year 6 to 8 transitions".utf8))
        try bytes.write(to: dataFile)

        let plain = try await sandbox.run(["verify"])
        #expect(plain.status == 1, "\(plain)")
        #expect(plain.stderr.contains("seq 9"), "\(plain)")
        #expect(!plain.stdout.hasPrefix("ok"), "\(plain)")

        let report = try await sandbox.verify()
        #expect(!report.sound)
        let fault = try #require(report.fault)
        #expect(fault.seq == 9, "\(fault.problem)")
    }
}
