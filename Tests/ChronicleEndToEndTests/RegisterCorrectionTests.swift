import Foundation
import Testing

/// `chronicle import register` on a register fixed after it was imported: what matches the (corrected)
/// history is skipped, new events are added, changed ones are listed with the `chronicle correct` command
/// for each, or corrected in the import's batch with `--apply-corrections`.
@Suite struct RegisterCorrectionTests {
    typealias Registers = RegisterImportTests

    /// The register of `RegisterImportTests` with ol-17 marked as having come to ol-ws-21 (line 6).
    static let markedRegister = Registers.register.map {
        $0.replacingOccurrences(of: "ol-ws-21,ol-17,,", with: "ol-ws-21,ol-17,,yes")
    }

    /// A new workshop, ol-ws-22 (lines 7-8).
    static let newWorkshop = ["26/10/2023,ol-ws-22,ol-17,,yes", "26/10/2023,ol-ws-22,,Pat Anchor,no"]

    /// A sandbox with `RegisterImportTests.register` imported; returns it and the events' ids.
    static func imported() async throws -> (Sandbox, [String]) {
        let sandbox = try await Registers.sandbox()
        let report = try await Registers.importRegister(
            [try Registers.write(Registers.register, in: sandbox)], in: sandbox)
        return (sandbox, report.events.map(\.id))
    }

    /// Runs a printed `chronicle …` command line as a user pasting it would: through `/bin/sh -c`, with
    /// `chronicle` the built binary and the sandbox's environment.
    static func runPrinted(_ line: some StringProtocol, in sandbox: Sandbox) async throws -> CommandResult {
        var environment = sandbox.environment()
        environment["CHRONICLE_BINARY"] = try Locations.chronicleBinary().path
        return try await CommandRunner.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", #"chronicle() { "$CHRONICLE_BINARY" "$@"; }"# + "\n" + String(line)],
            environment: environment, workDirectory: sandbox.root)
    }

    // MARK: - Matching the corrected history

    @Test func aRegisterFixedTheWayTheStoreWasCorrectedImportsAsANoOp() async throws {
        let (sandbox, ids) = try await Self.imported()
        let correction = try await sandbox.correct(ids[1], ["--reason", "register misread", "--add", "attendee=ol-17"])
        let replacement = try #require(correction.appended.last)
        let head = try await sandbox.head()
        let fixed = try Registers.write(Self.markedRegister, named: "fixed", in: sandbox)
        let report = try await Registers.importRegister([fixed], in: sandbox)
        #expect(report.appended == 0 && report.duplicates == 2 && report.corrected == 0)
        #expect(report.events.map(\.status) == ["stored", "stored"])
        #expect(report.events.map(\.id) == [ids[0], replacement.id])
        #expect(try await sandbox.head() == head)
    }

    @Test func newWorkshopsInAFixedRegisterAreAddedAndTheRestSkipped() async throws {
        let (sandbox, ids) = try await Self.imported()
        try await sandbox.correct(ids[1], ["--reason", "register misread", "--add", "attendee=ol-17"])
        let head = try await sandbox.head()
        let fixed = try Registers.write(Self.markedRegister + Self.newWorkshop, named: "fixed", in: sandbox)
        let report = try await Registers.importRegister([fixed], in: sandbox)
        #expect(report.events.map(\.status) == ["stored", "stored", "new"])
        #expect(report.appended == 1 && report.duplicates == 2 && report.head.seq == head.seq + 1)
        let text = try await sandbox.succeed(["import", "register", fixed])
        #expect(text.stdout.contains("imported 0 events from 7 rows, 3 already stored (skipped)"), "\(text)")
    }

    // MARK: - Changed rows: listed with the command that corrects each, nothing written

    @Test func everyChangedRowIsListedWithTheCorrectCommandThatFixesItAndNothingIsWritten() async throws {
        let (sandbox, ids) = try await Self.imported()
        // ol-ws-20: Pat Anchor (line 3) now absent and the title changed by the mapping; ol-ws-21: ol-17 came.
        let changed = Self.markedRegister.map {
            $0.replacingOccurrences(of: "ol-ws-20,,Pat Anchor,Y", with: "ol-ws-20,,Pat Anchor,n")
        }
        let path = try Registers.write(changed + Self.newWorkshop, named: "changed", in: sandbox)
        let before = try await sandbox.head()
        let result = try await sandbox.run(["import", "register", path])
        #expect(result.status == 65 && result.stdout.isEmpty, "\(result)")
        let lines = result.stderrLines
        try #require(lines.count == 5, "\(result)")
        #expect(
            lines[0]
                == "chronicle: error: lines 2-4: workshop ol-ws-20 on 2023-10-12 differs from the stored event "
                + "(seq \(before.seq - 1), id \(ids[0])): attendees: ol-02 not marked attended")
        #expect(
            lines[1] == "    chronicle correct \(ids[0]) --reason 'corrected in changed.csv' --remove attendee=ol-02")
        #expect(
            lines[2]
                == "chronicle: error: lines 5-6: workshop ol-ws-21 on 2023-10-19 differs from the stored event "
                + "(seq \(before.seq), id \(ids[1])): attendees: ol-17 added (line 6)")
        #expect(lines[3] == "    chronicle correct \(ids[1]) --reason 'corrected in changed.csv' --add attendee=ol-17")
        #expect(lines[4].contains("changes 2 stored events, so nothing was written"), "\(result)")
        #expect(lines[4].contains("--apply-corrections --reason TEXT"), "\(result)")
        #expect(try await sandbox.head() == before)

        // The commands, run as printed, make the register match: importing it again adds only the new workshop.
        for line in [lines[1], lines[3]] {
            #expect(line.hasPrefix("    chronicle correct "))
            let run = try await Self.runPrinted(line, in: sandbox)
            #expect(run.status == 0, "\(run)")
        }
        let report = try await Registers.importRegister([path], in: sandbox)
        #expect(report.events.map(\.status) == ["stored", "stored", "new"])
    }

    @Test func aChangedTitleOrDateIsCorrectedWithSetAndOnQuotedForTheShell() async throws {
        let (sandbox, ids) = try await Self.imported()
        let mapping = Registers.mapping.replacingOccurrences(of: #""title": "Autumn""#, with: #""title": "Pat's day""#)
        let path = try Registers.write(
            Registers.register.map { $0.replacingOccurrences(of: "19/10/2023", with: "20/10/2023") }, named: "moved",
            mapping: mapping, in: sandbox)
        let result = try await sandbox.run(["import", "register", path])
        #expect(result.status == 65, "\(result)")
        let lines = result.stderrLines
        try #require(lines.count == 5, "\(result)")
        #expect(lines[0].hasSuffix(#"title: stored "Autumn", register "Pat's day""#), "\(result)")
        #expect(lines[1].hasSuffix(#"--set 'title=Pat'\''s day'"#), "\(result)")
        #expect(lines[2].contains(#"workshop ol-ws-21 on 2023-10-20 differs"#), "\(result)")
        #expect(lines[2].contains(#"date: stored "2023-10-19", register "2023-10-20"; title"#), "\(result)")
        #expect(lines[3].contains("--on 2023-10-20 --set 'title=Pat'\\''s day'"), "\(result)")
        for line in [lines[1], lines[3]] {
            let run = try await Self.runPrinted(line, in: sandbox)
            #expect(run.status == 0, "\(run)")
        }
        let report = try await Registers.importRegister([path], in: sandbox)
        #expect(report.appended == 0 && report.duplicates == 2)
        #expect(!report.events.map(\.id).contains(ids[0]))
    }

    // MARK: - --apply-corrections

    @Test func applyCorrectionsRecordsEveryCorrectionWithTheNewRowsInOneBatch() async throws {
        let (sandbox, ids) = try await Self.imported()
        let changed = Self.markedRegister.map {
            $0.replacingOccurrences(of: "ol-ws-20,,Pat Anchor,Y", with: "ol-ws-20,,Pat Anchor,n")
        }
        let path = try Registers.write(changed + Self.newWorkshop, named: "changed", in: sandbox)
        let before = try await sandbox.head()
        let report = try await Registers.importRegister(
            [path, "--apply-corrections", "--reason", "register checked again"], in: sandbox)
        #expect(report.events.map(\.status) == ["corrected", "corrected", "new"])
        #expect(report.appended == 3 && report.corrected == 2 && report.duplicates == 0)
        #expect(report.events.map(\.corrects?.id) == [ids[0], ids[1], nil])
        #expect(report.events[0].differences?.first?.removed == ["ol-02"])
        #expect(report.events[1].differences?.first?.added == ["ol-17"])
        #expect(report.events[1].differences?.first?.lines == [6])
        // Two retractions, two replacements and the new workshop, in one batch.
        #expect(report.head.seq == before.seq + 5)
        let log = try await sandbox.log(["--type", "WorkshopHeld", "--from", "2023-10-01"])
        #expect(
            log.events.map(\.event.data.attendees) == [
                ["ol-17", "ol-02"], ["ol-02"], ["ol-17"], ["ol-02", "ol-17"], ["ol-17"],
            ])
        #expect(log.events.map { $0.retractedBy != nil } == [true, true, false, false, false])
        let retractions = try await sandbox.log(["--type", "EventRetracted"])
        #expect(retractions.events.map(\.event.data.event) == [ids[0], ids[1]])

        let again = try await Registers.importRegister([path], in: sandbox)
        #expect(again.appended == 0 && again.duplicates == 3)
        #expect(again.events.map(\.id) == report.events.map(\.id))
    }

    @Test func applyCorrectionsInADryRunShowsTheCorrectionsAndWritesNothing() async throws {
        let (sandbox, _) = try await Self.imported()
        let path = try Registers.write(Self.markedRegister + Self.newWorkshop, named: "marked", in: sandbox)
        let head = try await sandbox.head()
        let result = try await sandbox.succeed(
            ["import", "register", path, "--apply-corrections", "--reason", "checked", "--dry-run"])
        #expect(result.stdout.contains("would correct seq \(head.seq)"), "\(result)")
        #expect(result.stdout.contains("would import 2 events from 7 rows (correcting 1 stored event)"), "\(result)")
        #expect(result.stdout.contains("1 already stored (skipped)"), "\(result)")
        #expect(try await sandbox.head() == head)
    }

    @Test func applyCorrectionsWithoutAReasonIsAUsageError() async throws {
        let (sandbox, _) = try await Self.imported()
        let path = try Registers.write(Self.markedRegister, named: "marked", in: sandbox)
        let head = try await sandbox.head()
        for arguments in [["--apply-corrections"], ["--apply-corrections", "--reason", " "], ["--reason", "checked"]] {
            let result = try await sandbox.run(["import", "register", path] + arguments)
            #expect(result.status == 64 && result.stderr.contains("--reason"), "\(result)")
        }
        #expect(try await sandbox.head() == head)
    }

    @Test func aBadRowAmongCorrectionsWritesNothing() async throws {
        let (sandbox, _) = try await Self.imported()
        let path = try Registers.write(
            Self.markedRegister + Self.newWorkshop + ["26/10/2023,ol-ws-22,ol-99,,yes"], named: "bad", in: sandbox)
        try await Registers.expectRefusal(
            [path, "--apply-corrections", "--reason", "checked"], in: sandbox,
            lines: [[#"line 9: column "Member ID" (C): unknown member ol-99"#]])
    }

    @Test func aCorrectionThatBreaksARuleWritesNothingAndNamesItsRow() async throws {
        let (sandbox, _) = try await Self.imported()
        // ol-03 left oldham on 2023-07-20: the corrected ol-ws-21 would have an attendee who is not a member.
        let path = try Registers.write(
            Registers.register + ["19/10/2023,ol-ws-21,ol-03,,yes"] + Self.newWorkshop, named: "left",
            in: sandbox)
        try await Registers.expectRefusal(
            [path, "--apply-corrections", "--reason", "checked"], in: sandbox,
            lines: [[#"line 7: column "Member ID" (C): rule member-active: attendee ol-03"#]])
    }

    // MARK: - Retracted events

    @Test func aRetractedRegisterEventImportedAgainSaysItWasRetracted() async throws {
        let (sandbox, ids) = try await Self.imported()
        let retraction = try #require(try await sandbox.retract(ids[1], reason: "cancelled").appended.first)
        let head = try await sandbox.head()
        let path = try Registers.write(Registers.register, in: sandbox)
        let report = try await Registers.importRegister([path], in: sandbox)
        #expect(report.events.map(\.status) == ["stored", "retracted"])
        #expect(report.events[1].retraction?.id == retraction.id)
        #expect(report.events[1].retraction?.reason == "cancelled")
        #expect(report.appended == 0 && report.duplicates == 1 && report.retracted == 1)
        let text = try await sandbox.succeed(["import", "register", path])
        #expect(text.stdout.contains("was retracted on 2024-09-01 (seq \(retraction.seq))"), "\(text)")
        #expect(text.stdout.contains("1 already stored (skipped), 1 retracted since (skipped)"), "\(text)")
        #expect(try await sandbox.head() == head)
    }

    @Test func aWorkshopImportedRightAfterARetractionIsNotTakenForItsReplacement() async throws {
        let (sandbox, ids) = try await Self.imported()
        // One NDJSON batch: ol-ws-21 retracted, then an unrelated workshop, at one recordedAt.
        let unrelated = "00000000-0000-4000-8000-000000000300"
        try await sandbox.importNDJSON(
            #"{"type":"EventRetracted","occurredAt":"2024-09-01","data":{"event":"\#(ids[1])","reason":"cancelled"}}"#
                + "\n"
                + #"{"id":"\#(unrelated)","type":"WorkshopHeld","occurredAt":"2023-11-02","data":{"workshop":"ol-ws-30","collaboratives":["oldham"],"kind":"collaborative","mode":"online","attendees":["ol-17"]}}"#
                + "\n")
        let head = try await sandbox.head()
        let path = try Registers.write(Registers.register, in: sandbox)
        let report = try await Registers.importRegister([path], in: sandbox)
        #expect(report.events.map(\.status) == ["stored", "retracted"])
        let applied = try await Registers.importRegister(
            [path, "--apply-corrections", "--reason", "checked"], in: sandbox)
        #expect(applied.corrected == 0 && applied.appended == 0)
        #expect(try await sandbox.head() == head)
        let log = try await sandbox.log(["--type", "WorkshopHeld", "--from", "2023-11-01"])
        #expect(log.events.map(\.event.id) == [unrelated])
        #expect(log.events.allSatisfy { $0.retractedBy == nil })
    }

    /// The `guests` of each `WorkshopHeld` from `from` on that is not retracted, from `log --json`.
    static func visibleGuests(in sandbox: Sandbox, from: String) async throws -> [Int?] {
        let result = try await sandbox.succeed(["log", "--json", "--type", "WorkshopHeld", "--from", from])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let entries = try #require(object?["events"] as? [[String: Any]])
        return entries.filter { $0["retractedBy"] == nil }.map {
            (($0["event"] as? [String: Any])?["data"] as? [String: Any])?["guests"] as? Int
        }
    }

    @Test func aStoredFieldTheRegisterCannotHoldIsNoDifferenceAndACorrectionKeepsIt() async throws {
        let (sandbox, ids) = try await Self.imported()
        // The mapping has no guests: a count added by hand is not the register's to change.
        let correction = try await sandbox.correct(ids[1], ["--reason", "guests counted", "--set", "guests=3"])
        let replacement = try #require(correction.appended.last)
        let head = try await sandbox.head()
        let same = try await Registers.importRegister(
            [try Registers.write(Registers.register, in: sandbox)], in: sandbox)
        #expect(same.events.map(\.status) == ["stored", "stored"])
        #expect(same.events.map(\.id) == [ids[0], replacement.id])
        #expect(try await sandbox.head() == head)

        let marked = try Registers.write(Self.markedRegister, named: "marked", in: sandbox)
        let result = try await sandbox.run(["import", "register", marked])
        #expect(result.status == 65 && !result.stderr.contains("guests"), "\(result)")
        let report = try await Registers.importRegister(
            [marked, "--apply-corrections", "--reason", "checked"], in: sandbox)
        #expect(report.events.map(\.status) == ["stored", "corrected"])
        #expect(report.events[1].differences?.map(\.field) == ["attendees"])
        #expect(try await Self.visibleGuests(in: sandbox, from: "2023-10-19") == [3])
    }

    @Test(.lmdbOnly("a store directory whose name holds a line break"))
    func aPrintedCommandKeepsALineBreakInTheStorePathInsideItsQuotes() async throws {
        let (sandbox, _) = try await Self.imported()
        // The same store, reached through a link whose name holds a line break.
        let link = sandbox.root.appendingPathComponent("two\nlines").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: sandbox.storeLocation)
        let path = try Registers.write(Self.markedRegister, named: "marked", in: sandbox)
        let result = try await sandbox.run(["import", "register", path, "--store", link])
        #expect(result.status == 65, "\(result)")
        let text = result.stderr
        let start = try #require(text.range(of: "    chronicle correct "), "\(result)")
        let end = try #require(text.range(of: "\nchronicle: error:", range: start.upperBound..<text.endIndex))
        let command = String(text[start.lowerBound..<end.lowerBound])
        #expect(command.hasSuffix("--store '\(link)'"), "\(command)")
        let run = try await Self.runPrinted(command, in: sandbox)
        #expect(run.status == 0, "\(run)")
        let report = try await Registers.importRegister([path], in: sandbox)
        #expect(report.events.map(\.status) == ["stored", "stored"])
    }
}
