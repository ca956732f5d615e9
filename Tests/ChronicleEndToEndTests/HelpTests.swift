import Foundation
import Testing

/// Issue 3: "every command with `--help` that leads with an example".
@Suite(.sameOnEveryBackend("help texts are written before any store is opened"))
struct HelpTests {
    /// The commands of issue 3 (and `demo`), with every `record` kind.
    static let issueCommands: [[String]] =
        [[], ["init"], ["demo"], ["record"], ["import"], ["export"], ["log"], ["retract"], ["correct"], ["verify"]]
        + [
            "collaborative-formed", "member-joined", "member-details-changed", "member-left", "role-assigned",
            "role-ended", "subgroup-formed", "subgroup-member-joined", "subgroup-member-left", "subgroup-redefined",
            "subgroup-status-changed", "milestone-reached", "workshop", "coaching-session", "survey-wave-closed",
        ].map { ["record", $0] }

    @Test(arguments: issueCommands)
    func helpLeadsWithAnExample(_ command: [String]) async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.succeed(command + ["--help"])
        expectHelpLeadsWithAnExample(result.stdout, command: command)
        let invocation = (["chronicle"] + command).joined(separator: " ")
        #expect(result.stdout.contains(invocation), "the example does not show \(invocation): \(result)")
    }

    // MARK: - Issue 17, item 9: laid out for the terminal

    /// An example that does not fit is continued with ` \\` between shell words, so it pastes as one command.
    @Test func anExampleLongerThanTheTerminalIsContinuedSoThatItStillPastes() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(["--help"], environment: ["COLUMNS": "60"])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.allSatisfy { $0.count <= 60 }, "\(result)")
        let start = try #require(lines.firstIndex { $0.hasPrefix("  chronicle record member-joined") })
        var command = ""
        for line in lines[start...] {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasSuffix(" \\") else {
                command += text
                break
            }
            command += text.dropLast(1)
        }
        #expect(
            command
                == "chronicle record member-joined --collaborative oldham --member ol-17 --sector secondary-school "
                + "--on 2021-11-15", "\(result)")
        #expect(lines.contains { $0.hasSuffix("--on 2021-11-15") }, "an option is kept with its value: \(result)")
    }

    @Test func paragraphsAreFilledToTheTerminalWidthNotCutWhereTheSourceWas() async throws {
        let sandbox = try Sandbox()
        let wide = try await sandbox.run(["--help"], environment: ["COLUMNS": "200"])
        let paragraph = try #require(
            wide.stdout.split(separator: "\n").first { $0.hasPrefix("The store is --store DIR") })
        #expect(paragraph.contains("$CHRONICLE_NOW (RFC 3339) fixes the clock."), "\(wide)")
        #expect(paragraph.count > 120, "\(wide)")
    }

    @Test func anOptionsDescriptionWrapsUnderItsColumn() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(["record", "member-joined", "--help"], environment: ["COLUMNS": "60"])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let store = try #require(lines.firstIndex { $0.hasPrefix("  --store <dir|uri>") })
        #expect(lines[store + 1].hasPrefix(String(repeating: " ", count: 26)), "\(result)")
        #expect(lines[store + 1].dropFirst(26).first?.isWhitespace == false, "\(result)")
    }

    /// Walks the command tree as `--help` lists it, so that commands added later are checked too.
    /// Commands whose abstract is still the "(in progress)" placeholder are skipped until they land.
    @Test func everyListedCommandsHelpLeadsWithAnExample() async throws {
        let sandbox = try Sandbox()
        var pending: [[String]] = [[]]
        var checked: [[String]] = []
        while let command = pending.popLast() {
            let result = try await sandbox.succeed(command + ["--help"])
            checked.append(command)
            expectHelpLeadsWithAnExample(result.stdout, command: command)
            for (name, abstract) in subcommands(in: result.stdout) where abstract != "(in progress)" && name != "help" {
                pending.append(command + [name])
            }
        }
        for command in Self.issueCommands {
            #expect(checked.contains(command), "\(command) is not listed by --help")
        }
    }

    @Test func helpSubcommandShowsTheSameHelp() async throws {
        let sandbox = try Sandbox()
        let viaFlag = try await sandbox.succeed(["record", "workshop", "--help"])
        let viaHelp = try await sandbox.succeed(["help", "record", "workshop"])
        #expect(viaFlag.stdout == viaHelp.stdout)
    }

    private func expectHelpLeadsWithAnExample(
        _ text: String, command: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let name = (["chronicle"] + command).joined(separator: " ")
        guard let example = text.range(of: "Example"), let usage = text.range(of: "USAGE:") else {
            Issue.record("\(name) --help has no example or no usage:\n\(text)", sourceLocation: sourceLocation)
            return
        }
        #expect(
            example.lowerBound < usage.lowerBound, "\(name): the example must come before the usage:\n\(text)",
            sourceLocation: sourceLocation)
    }

    /// The `(name, abstract)` pairs of a help text's SUBCOMMANDS section.
    private func subcommands(in help: String) -> [(String, String)] {
        var found: [(String, String)] = []
        var inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") {
                inSection = true
                continue
            }
            guard inSection else { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            guard line.hasPrefix("  "), line.dropFirst(2).first?.isWhitespace == false else { continue }
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard let name = parts.first else { continue }
            let abstract = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            found.append((String(name), abstract))
        }
        return found
    }
}
