import ArgumentParser
import EventLog

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty store.",
        discussion: """
            Example:
              chronicle init --store ./programme-store

            The directory is created with mode 0700 and the data files with 0600. Running init on an
            existing store changes nothing and says so.
            """)

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let path = storeOptions.storePath
        let existed = (try? storeOptions.openLog()) != nil
        let log = try storeOptions.openLog(create: true)
        let head = try log.head()
        if existed {
            printLine("store already exists at \(path) (\(head.seq) events)")
        } else {
            printLine("created an empty store at \(path)")
        }
    }
}
