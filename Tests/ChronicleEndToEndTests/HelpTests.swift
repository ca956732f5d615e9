import Foundation
import Testing

/// Issue 3: "every command with `--help` that leads with an example".
@Suite struct HelpTests {
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
