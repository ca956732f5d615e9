import ArgumentParser
import Collaboratives

struct EraseMemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "Erase a member's personal data: delete their key and record PersonalDataErased.",
        discussion: """
            Example:
              chronicle erase member ol-17 --reason "erasure request 2024-031"

            The member's name and the notes and reasons about them are stored sealed with their own key.
            Erasing deletes that key and records a PersonalDataErased event in the same transaction: from
            then on every report shows the member as "erased", with their sector, dates and every figure
            unchanged, and `verify` still passes (the hash chain covers the sealed bytes). Backups and
            exports taken before the erasure still hold the key or the text. The reason is stored in clear:
            name the request, not the person.

            Erasing an unknown member, or one already erased, is refused (exit 65), and nothing is written.
            Personal data cannot be recorded for an erased member afterwards.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var recorderOptions: RecorderOptions
    @OptionGroup var clockOptions: ClockOptions
    @Argument(help: ArgumentHelp("The member's slug.", valueName: "member")) var member: String
    @Option(name: .long, help: ArgumentHelp("Why (the request it answers; stored in clear).", valueName: "text"))
    var reason: String
    @Flag(name: .long, help: "Check everything and write nothing.") var dryRun = false
    @Flag(name: .long, help: "Print the stored event as JSON.") var json = false

    func run() throws {
        let recordedBy = try recorderOptions.checkedRecordedBy(storeOptions.selection)
        guard let slug = Slug(member) else {
            throw CLIError.usage("member \(member.debugDescription) is not a slug ([a-z0-9][a-z0-9-]*, at most 64)")
        }
        let chronicle = try storeOptions.openChronicleForAppending(clockOptions)
        let draft: Draft
        do {
            draft = try Chronicle.erasureDraft(
                member: slug, reason: reason, on: chronicle.today, recordedBy: recordedBy)
        } catch {
            throw CLIError.invalidData("--reason: \(error.message)")
        }
        try appendAndReport(chronicle, [draft], dryRun: dryRun, json: json)
    }
}
