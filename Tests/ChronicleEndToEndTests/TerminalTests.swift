import Foundation
import Testing

/// Issue 7, "a CLI that helps": colour only on a terminal and never with `NO_COLOR` or `--no-color`;
/// progress bars only on a terminal. Terminal behaviour is driven through `script` (see `PseudoTerminal`).
@Suite(.sameOnEveryBackend("colour is how a table is written, not what it holds"))
struct ColourTests {
    static let report = ["report", "attendance", "--collaborative", "oldham"]

    @Test func tableHeadersAreBoldOnATerminal() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.runOnTerminal(Self.report)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("\u{1B}[1mPERIOD\u{1B}[0m"), "\(result)")
    }

    @Test func theErrorPrefixIsRedOnATerminal() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.runOnTerminal(["log", "--collaborative", "oldam"])
        #expect(result.status == 65, "\(result)")
        #expect(result.stdout.contains("chronicle: \u{1B}[31merror:\u{1B}[0m --collaborative"), "\(result)")
    }

    @Test(arguments: ["1", "yes"])
    func noColorTurnsColourOffOnATerminal(_ value: String) async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.runOnTerminal(Self.report, environment: ["NO_COLOR": value])
        let error = try await sandbox.runOnTerminal(["log", "--member", "ol-177"], environment: ["NO_COLOR": value])
        #expect(report.status == 0 && report.stdout.contains("PERIOD"), "\(report)")
        #expect(error.status == 65 && error.stdout.contains("did you mean ol-17?"), "\(error)")
        for result in [report, error] {
            #expect(!result.stdout.contains(Sandbox.escape), "colour despite NO_COLOR=\(value): \(result)")
        }
    }

    @Test func anEmptyNoColorLeavesColourOn() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.runOnTerminal(Self.report, environment: ["NO_COLOR": ""])
        #expect(result.stdout.contains(Sandbox.escape), "\(result)")
    }

    /// `--no-color` after the subcommand, before it, and on a command with an error.
    @Test(arguments: [
        Self.report + ["--no-color"], ["--no-color"] + Self.report, ["log", "--no-color", "--member", "ol-177"],
        ["audit", "succession", "--no-color"], ["log", "--no-color"],
    ])
    func noColorFlagTurnsColourOffOnATerminal(_ arguments: [String]) async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.runOnTerminal(arguments)
        #expect(result.status == 0 || result.status == 65, "\(result)")
        #expect(!result.stdout.contains(Sandbox.escape), "colour despite --no-color: \(result)")
    }

    @Test func pipedOutputHasNoColour() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        for arguments in [Self.report, ["log"], ["log", "--collaborative", "oldam"], ["audit", "succession"]] {
            let result = try await sandbox.runPiped(arguments)
            #expect(!result.stdout.contains(Sandbox.escape), "colour on a pipe: \(result)")
            #expect(!result.stderr.contains(Sandbox.escape), "colour on a pipe: \(result)")
        }
    }

    @Test func everyCommandDocumentsNoColor() async throws {
        let sandbox = try Sandbox()
        for command in [[], ["log"], ["report", "attendance"], ["record", "workshop"], ["backup"], ["diff"]] {
            let result = try await sandbox.succeed(command + ["--help"])
            #expect(result.stdout.contains("--no-color"), "\(command) --help lacks --no-color")
        }
    }
}

@Suite struct ProgressBarTests {
    /// The line is drawn with a carriage return and erased with "erase to end of line".
    static let erase = "\u{1B}[K"

    @Test func importDrawsAProgressBarOnATerminalAndClearsIt() async throws {
        let sandbox = try await Sandbox.initialised()
        let path = try sandbox.file("history.ndjson", BaseHistory.ndjson)
        let result = try await sandbox.runOnTerminal(["import", path])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("\rimport ["), "no progress bar: \(result)")
        let size = String(format: "%.1f KiB", Double(BaseHistory.ndjson.utf8.count) / 1024)
        #expect(result.stdout.contains("/\(size)"), "the bar does not count the bytes of the file: \(result)")
        #expect(result.stdout.contains("\r\(Self.erase)imported \(BaseHistory.count) events"), "\(result)")
    }

    @Test func importDrawsNoProgressBarWhenNotOnATerminal() async throws {
        let sandbox = try await Sandbox.initialised()
        let path = try sandbox.file("history.ndjson", BaseHistory.ndjson)
        let result = try await sandbox.runPiped(["import", path])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        #expect(!result.stdout.contains("\r") && !result.stdout.contains(Sandbox.escape), "\(result)")
    }

    @Test(.lmdbOnly("the bar follows the size of the LMDB file being copied"))
    func backupDrawsAProgressBarOnlyOnATerminal() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let onTerminal = try await sandbox.runOnTerminal(["backup", sandbox.root.appendingPathComponent("b1").path])
        #expect(onTerminal.status == 0, "\(onTerminal)")
        #expect(onTerminal.stdout.contains("\rbackup: copying"), "\(onTerminal)")
        #expect(onTerminal.stdout.contains("\rbackup: verifying the copy"), "\(onTerminal)")
        #expect(onTerminal.stdout.contains("\r\(Self.erase)backed up \(BaseHistory.count) events"), "\(onTerminal)")
        let piped = try await sandbox.runPiped(["backup", sandbox.root.appendingPathComponent("b2").path])
        #expect(piped.status == 0 && piped.stderr.isEmpty, "\(piped)")
    }

    @Test func aRefusedImportClearsTheBarBeforeTheError() async throws {
        let sandbox = try await Sandbox.initialised()
        let path = try sandbox.file("bad.ndjson", BaseHistory.lines[2] + "\n")
        let result = try await sandbox.runOnTerminal(["import", path])
        #expect(result.status == 65, "\(result)")
        #expect(result.stdout.contains("\r\(Self.erase)chronicle: "), "the error is not on a clean line: \(result)")
    }
}

/// Shell completions: scripts for bash, zsh and fish, and slugs completed from the store.
@Suite struct CompletionTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptGenerates(_ shell: String) async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.succeed(["--generate-completion-script", shell])
        #expect(result.stdout.contains("---completion report attendance -- --collaborative"), "\(shell)")
        #expect(result.stdout.contains("---completion log -- --member"), "\(shell)")
        #expect(result.stdout.contains("---completion record milestone-reached -- --subgroup"), "\(shell)")
        #expect(result.stdout.contains("WorkshopHeld"), "\(shell): event types are not completed")
    }

    /// argument-parser's protocol: `chronicle ---completion <subcommands> -- <option> <word> <cursor> <words…>`.
    @Test func customCompletionReturnsTheStoresSlugs() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        func complete(_ path: [String], _ option: String, _ words: [String]) async throws -> [Substring] {
            let typed = words.last ?? ""
            let arguments =
                ["---completion"] + path + ["--", option, String(words.count - 1), String(typed.count)] + words
            return try await sandbox.succeed(arguments).stdout.split(separator: "\n")
        }
        let report = ["chronicle", "report", "attendance"]
        #expect(
            try await complete(["report", "attendance"], "--collaborative", report + ["--collaborative", ""]) == [
                "oldham", "rochdale",
            ])
        #expect(
            try await complete(["log"], "--collaborative", ["chronicle", "log", "--collaborative", "ro"]) == [
                "rochdale"
            ])
        #expect(
            try await complete(["log"], "--member", ["chronicle", "log", "--member", "ol-"]) == [
                "ol-02", "ol-03", "ol-17",
            ])
        let workshop = ["chronicle", "record", "workshop", "--attendee", "st"]
        #expect(try await complete(["record", "workshop"], "--attendee", workshop) == ["staff-01"])
        let milestone = ["chronicle", "record", "milestone-reached", "--subgroup", ""]
        #expect(try await complete(["record", "milestone-reached"], "--subgroup", milestone) == ["ol-transitions"])
    }

    @Test func customCompletionReadsTheStoreNamedOnTheLine() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let words = ["chronicle", "log", "--store", sandbox.storeLocation, "--collaborative", ""]
        let arguments = ["---completion", "log", "--", "--collaborative", "5", "0"] + words
        let elsewhere = sandbox.root.appendingPathComponent("no-store").path
        let result = try await sandbox.runPiped(arguments, environment: ["CHRONICLE_STORE": elsewhere])
        #expect(result.status == 0 && result.stdout.split(separator: "\n") == ["oldham", "rochdale"], "\(result)")
        let withoutStore = try await sandbox.runPiped(
            ["---completion", "log", "--", "--collaborative", "3", "0", "chronicle", "log", "--collaborative", ""],
            environment: ["CHRONICLE_STORE": elsewhere])
        #expect(
            withoutStore.status == 0 && withoutStore.stdout.isEmpty && withoutStore.stderr.isEmpty, "\(withoutStore)")
    }

    /// The generated bash script, sourced in bash, completes `--collaborative` from the store and
    /// `--type` from the catalog, through the real binary.
    @Test func bashCompletesSlugsAndTypes() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let script = try await sandbox.succeed(["--generate-completion-script", "bash"]).stdout
        let scriptPath = try sandbox.file("chronicle.bash", script)
        func complete(_ words: [String]) async throws -> [Substring] {
            let binary = try Locations.chronicleBinary().path
            let driver = """
                source \(Sandbox.shellQuoted(scriptPath))
                COMP_WORDS=(\(([binary] + words).map(Sandbox.shellQuoted).joined(separator: " ")))
                COMP_CWORD=\(words.count)
                COMP_LINE="${COMP_WORDS[*]}"
                COMP_POINT=${#COMP_LINE}
                _chronicle "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            let result = try await CommandRunner.run(
                URL(fileURLWithPath: "/usr/bin/env"), ["bash", try sandbox.file("driver.sh", driver)],
                environment: sandbox.personEnvironment(), workDirectory: sandbox.root)
            #expect(result.status == 0, "\(result)")
            return result.stdout.split(separator: "\n")
        }
        #expect(try await complete(["report", "attendance", "--collaborative", "o"]) == ["oldham"])
        #expect(try await complete(["log", "--member", "ol-1"]) == ["ol-17"])
        #expect(try await complete(["log", "--type", "Wor"]) == ["WorkshopHeld"])
    }
}

/// "Did you mean" for a mistyped slug: in the reports, the log, and the rules.
@Suite struct DidYouMeanTests {
    @Test(arguments: [
        ["report", "attendance"], ["report", "attrition"], ["report", "progress"], ["report", "coaching"],
        ["replay"], ["audit", "succession"], ["log"], ["diff", "--known-at", "2024-01-01"],
    ])
    func aMistypedCollaborativeIsRefusedWithASuggestion(_ command: [String]) async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.run(command + ["--collaborative", "oldam"])
        #expect(result.status == 65, "\(result)")
        #expect(result.stderr.contains("--collaborative: no collaborative oldam; did you mean oldham?"), "\(result)")
    }

    @Test func theLogSuggestsMembersAndSubgroupsAndEventTypes() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let member = try await sandbox.run(["log", "--member", "ol-177"])
        #expect(member.status == 65 && member.stderr.contains("no member ol-177; did you mean ol-17?"), "\(member)")
        let subgroup = try await sandbox.run(["log", "--subgroup", "ol-transition"])
        #expect(subgroup.stderr.contains("no sub-group ol-transition; did you mean ol-transitions?"), "\(subgroup)")
        let type = try await sandbox.run(["log", "--type", "WorkshopHelt"])
        #expect(type.status == 64 && type.stderr.contains("did you mean WorkshopHeld?"), "\(type)")
    }

    @Test func aSlugFarFromEveryKnownOneListsTheKnownOnes() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.run(["report", "attendance", "--collaborative", "wigan"])
        #expect(result.status == 65, "\(result)")
        #expect(result.stderr.contains("no collaborative wigan (known: oldham, rochdale)"), "\(result)")
        #expect(!result.stderr.contains("did you mean"), "\(result)")
    }

    @Test func ruleErrorsSuggestTheNearestCollaborativeMemberOrSubgroup() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "workshop", "--workshop", "ol-ws-09", "--collaborative", "oldam", "--kind",
                "collaborative", "--mode", "online", "--on", "2023-01-10",
            ],
            mentioning: ["collaborative-exists", "collaborative oldam does not exist; did you mean oldham?"])
        try await sandbox.expectRefusal(
            [
                "record", "member-left", "--collaborative", "oldham", "--member", "ol-177", "--reason", "capacity",
                "--on", "2023-01-10",
            ],
            mentioning: ["member ol-177 is not active in oldham", "did you mean ol-17?"])
        try await sandbox.expectRefusal(
            [
                "record", "workshop", "--workshop", "ol-ws-09", "--collaborative", "oldham", "--kind",
                "collaborative", "--mode", "online", "--on", "2023-01-10", "--attendee", "ol-177",
            ],
            mentioning: ["attendee ol-177 is not an active member of oldham", "did you mean ol-17?"])
        try await sandbox.expectRefusal(
            [
                "record", "milestone-reached", "--subgroup", "ol-transition", "--kind", "other", "--title", "x", "--on",
                "2023-01-10",
            ],
            mentioning: ["sub-group ol-transition does not exist; did you mean ol-transitions?"])
        let far = try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "wigan", "--member", "wi-01", "--sector", "health",
                "--on", "2022-01-01",
            ],
            mentioning: ["collaborative wigan does not exist"])
        #expect(!far.stderr.contains("did you mean"), "\(far)")
    }
}

/// Issue 7, item 4: a sparkline per collaborative in the table output of attendance and attrition.
@Suite(.sameOnEveryBackend("a sparkline is how figures are drawn; the reports run on both elsewhere"))
struct SparklineTests {
    static let blocks = Set("▁▂▃▄▅▆▇█")

    /// The `trend …` line of each collaborative's section.
    private func trendLines(_ output: String) -> [Substring] {
        output.split(separator: "\n").filter { $0.hasPrefix("trend ") }
    }

    @Test func attendanceTablesShowTheTrendOfTheMeanRate() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.succeed(["report", "attendance", "--by", "academic-year"])
        let trends = trendLines(result.stdout)
        #expect(trends.count == 2, "one sparkline per collaborative: \(result)")
        // oldham: one workshop (50.0%) in 2021-22, none after: one block, then no rate (·).
        #expect(trends.first == "trend ▄··· (mean rate per period; lowest 50.0%, highest 50.0%)", "\(result)")
    }

    @Test func attritionTablesShowTheTrendOfMembersAtTheEnd() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.succeed(["report", "attrition", "--collaborative", "oldham"])
        let trends = trendLines(result.stdout)
        #expect(trends.count == 1, "\(result)")
        // Members at the end of each programme year: 4, then 3 (ol-03 left in July 2023), 3, and 3 on D.
        #expect(trends.first == "trend █▁▁▁ (members at the end of each period; lowest 3, highest 4)", "\(result)")
    }

    @Test(arguments: [["report", "attendance"], ["report", "attrition"]])
    func jsonAndCSVHaveNoSparkline(_ report: [String]) async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        for format in ["--json", "--csv"] {
            let result = try await sandbox.succeed(report + [format])
            #expect(!result.stdout.contains { Self.blocks.contains($0) }, "\(report) \(format): \(result)")
            #expect(!result.stdout.contains("trend"), "\(report) \(format)")
        }
    }

    @Test func theSparklineIsColouredOnlyOnATerminal() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.runOnTerminal(["report", "attrition", "--collaborative", "oldham"])
        #expect(result.stdout.contains("trend \u{1B}[36m█▁▁▁\u{1B}[0m"), "\(result)")
    }
}

/// The manual page is generated from the same help (`scripts/man`) and kept in the repository.
@Suite(.sameOnEveryBackend("the manual page is written from the help texts"))
struct ManualPageTests {
    @Test func theManualPageDocumentsEveryListedCommand() async throws {
        let page = try String(
            contentsOf: Locations.packageRoot.appendingPathComponent("man/chronicle.1"), encoding: .utf8)
        #expect(page.contains(".Nm chronicle"))
        let help = try await Sandbox().succeed(["--help"]).stdout
        // The SUBCOMMANDS section's first column (lines that start with exactly two spaces).
        let names = help.split(separator: "\n").drop { !$0.hasPrefix("SUBCOMMANDS:") }.dropFirst()
            .prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .filter { $0.hasPrefix("  ") && $0.dropFirst(2).first?.isWhitespace == false }
            .compactMap { $0.split(separator: " ").first }
            .filter { $0 != "help" && $0.allSatisfy { $0.isLowercase || $0 == "-" } }
        #expect(!names.isEmpty)
        for name in names {
            #expect(page.contains(".It Em \(name)\n"), "man/chronicle.1 lacks \(name): run scripts/man")
        }
    }
}
