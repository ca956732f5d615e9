import Foundation
import Testing

/// Issue 17, item 8: a mistyped command gets a "did you mean", as in git.
@Suite(.sameOnEveryBackend("a misspelt command is refused before any store is opened"))
struct SubcommandSuggestionTests {
    @Test(arguments: [
        (["reports"], #"no command "reports"; did you mean "chronicle report"?"#),
        (["report", "attendence"], #"report: no command "attendence"; did you mean "chronicle report attendance"?"#),
        (["--no-color", "Log"], #"no command "Log"; did you mean "chronicle log"?"#),
        (
            ["record", "member-joind"],
            #"record: no command "member-joind"; did you mean "chronicle record member-joined"?"#
        ),
        (["audit", "sucession"], #"audit: no command "sucession"; did you mean "chronicle audit succession"?"#),
    ])
    func aMistypedCommandGetsADidYouMean(_ arguments: [String], _ message: String) async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(arguments)
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderrLines == ["chronicle: error: " + message[...]], "\(result)")
    }

    @Test func aWordFarFromEveryCommandListsTheCommands() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(["report", "frobnicate"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        // Other reports may be added: the list is checked for its start only.
        #expect(
            result.stderr.hasPrefix(#"chronicle: error: report: no command "frobnicate" (commands: attendance, "#),
            "\(result)")
    }

    @Test func aBadOptionOfAKnownCommandKeepsTheParsersMessage() async throws {
        let sandbox = try await Sandbox.initialised()
        let result = try await sandbox.run(["log", "--colaborative", "oldham"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("'--colaborative'"), "\(result)")
        #expect(!result.stderr.contains("no command"), "\(result)")
    }
}
