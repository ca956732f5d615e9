import ArgumentParser
import Foundation
import Testing

@testable import ChronicleCLI

/// `chronicle record KIND …` is parsed by KIND's command alone when it can be (``RecordShortcut``): a line it
/// takes must give the command the root gives, and every other line must be left to the root.
@Suite struct RecordShortcutTests {
    /// One line per `record` subcommand (the examples of their help), and lines with every shared option
    /// (`_` stands for a space within a word).
    static let lines: [[String]] = [
        "record collaborative-formed --collaborative oldham --name Oldham_Collaborative --anchor-organisation Oldham_Council --programme-start 2021-09-01 --on 2021-09-01",
        "record member-joined --collaborative oldham --member ol-17 --sector secondary-school --on 2021-11-15",
        "record member-details-changed --member ol-17 --organisation Hathershaw_College --on 2023-01-09",
        "record member-left --collaborative oldham --member ol-17 --reason role-change --on 2023-07-20",
        "record role-assigned --collaborative oldham --role anchor --member ol-02 --appointment formal --on 2021-09-01",
        "record role-ended --collaborative oldham --role anchor --member ol-02 --on 2023-03-31",
        "record subgroup-formed --collaborative oldham --subgroup ol-transitions --title Transitions_pilot --aim Smooth_Year_6_to_7_transitions --on 2022-01-20",
        "record subgroup-member-joined --subgroup ol-transitions --member ol-17 --on 2022-02-01",
        "record subgroup-member-left --subgroup ol-transitions --member ol-17 --on 2023-02-01",
        "record subgroup-redefined --subgroup ol-transitions --aim Transitions_for_pupils_with_SEND --reason pilot_findings --on 2023-04-01",
        "record subgroup-status-changed --subgroup ol-transitions --status delivered --on 2023-07-01",
        "record milestone-reached --subgroup ol-transitions --kind pilot-started --title Pilot_in_4_schools --on 2022-09-05",
        "record workshop --workshop ol-ws-06 --collaborative oldham --kind collaborative --mode in-person --on 2023-10-12 --attendee ol-17 --attendee ol-03",
        "record coaching-session --collaborative oldham --kind group --advisor staff-01 --attendee ol-17 --minutes 60 --on 2022-03-02",
        "record survey-wave-closed --collaborative oldham --wave 2023 --invited 12 --responded 9 --on 2023-07-14",
        "record member-joined --store /tmp/s --recorded-by ada --collaborative oldham --member ol-17 --sector nope --on=2021-11-15 --id 6F1C8E43-3E0B-4C3B-9E0C-5B1F0D2C7A10 --expect-version 0 --dry-run --json --allow-clock-behind",
        "record member-joined --collaborative=oldham --member ol-17 --sector health --on 2021-11-15 --name Sam_Smith --organisation Hathershaw_College",
        "record workshop --on 2023-10-12 --mode online --kind launch --collaborative oldham --workshop w1 --attendee a --attendee b --attendee a",
    ].map { line in line.split(separator: " ").map { $0.replacingOccurrences(of: "_", with: " ") } }

    /// Lines the shortcut must leave to the root: help, version, completion, usage errors, `--by`, `--no-color`
    /// and lines that are not `record KIND`.
    static let declined: [[String]] = [
        "record", "record help", "record help member-joined", "record nosuch --on 2021-11-15",
        "record member-joined --help", "record member-joined -h", "record member-joined --help-hidden",
        "record member-joined --version", "record member-joined --generate-completion-script bash",
        "record member-joined --experimental-dump-help", "record member-joined --collaborative oldham",
        "record member-joined --collaborative oldham --member ol-17 --sector health --on 2021-11-15 --bogus",
        "record member-joined --collaborative oldham --member ol-17 --sector health --on 2021-11-15 extra",
        "record member-joined --collaborative oldham --member ol-17 --sector health --on 2021-11-15 --by ada",
        "record member-joined --collaborative oldham --member ol-17 --sector health --on 2021-11-15 --by=ada",
        "record member-joined --collaborative oldham --member ol-17 --sector health --on 2021-11-15 --recorded-by "
            + String(repeating: "a", count: 500),
        "record member-joined --collaborative oldham --member ol-17 --sector health --on 2021-11-15 --expect-version x",
        "record member-joined --collaborative oldham --member ol-17 --sector health --on 2021-11-15 --organisation=",
        "record member-joined --no-color --collaborative oldham --member ol-17 --sector health --on 2021-11-15",
        "--no-color record member-joined --collaborative oldham --member ol-17 --sector health --on 2021-11-15",
        "member-joined --collaborative oldham --member ol-17 --sector health --on 2021-11-15",
        "---completion record member-joined -- --collaborative",
        "log record member-joined", "--version", "help record member-joined",
    ].map { $0.split(separator: " ").map(String.init) }

    /// What a parsed command holds, property wrappers and all.
    private static func contents(_ command: any ParsableCommand) -> String {
        var text = ""
        dump(command, to: &text)
        return text
    }

    @Test(arguments: lines)
    func aLineTheShortcutTakesIsTheCommandTheRootParses(_ arguments: [String]) throws {
        let shortcut = try #require(RecordShortcut.parse(arguments), "\(arguments)")
        let root = try ChronicleCommand.parseAsRoot(arguments)
        #expect(ObjectIdentifier(type(of: shortcut)) == ObjectIdentifier(type(of: root)))
        #expect(Self.contents(shortcut) == Self.contents(root))
    }

    @Test func everyRecordSubcommandHasALineHere() {
        let named = Set(Self.lines.map { $0[1] })
        #expect(named == Set(RecordCommand.configuration.subcommands.compactMap { $0.configuration.commandName }))
    }

    /// The shortcut gives KIND every word after `record KIND`: an option the root or `record` declared would be
    /// taken by them from the whole parser, so each must be in the shortcut's list of words it leaves to the root
    /// (today only `--no-color`; `--help` and `--version` fail KIND's parse anyway). A new one fails here.
    @Test func theRootAndRecordDeclareNoOptionTheShortcutDoesNotKnow() throws {
        func options(of command: any ParsableCommand.Type) throws -> Set<String> {
            let dump = try #require(command._dumpHelp().data(using: .utf8))
            let tool = try #require(try JSONSerialization.jsonObject(with: dump) as? [String: Any])
            let info = try #require(tool["command"] as? [String: Any])
            let arguments = info["arguments"] as? [[String: Any]] ?? []
            return Set(
                arguments.flatMap { ($0["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } })
        }
        #expect(try options(of: ChronicleCommand.self) == ["no-color", "version", "h", "help"])
        #expect(try options(of: RecordCommand.self).subtracting(["version"]) == ["h", "help"])
        #expect(TerminalOptions.noColorFlag == "--no-color")
    }

    @Test(arguments: declined)
    func aLineTheShortcutCannotTakeWhollyIsLeftToTheRoot(_ arguments: [String]) {
        #expect(RecordShortcut.parse(arguments) == nil, "\(arguments)")
    }
}
