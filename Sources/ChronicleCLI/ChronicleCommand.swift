public import ArgumentParser

/// The `chronicle` command.
public struct ChronicleCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "chronicle",
        abstract: "Keep the full, immutable history of multi-agency programmes.",
        version: "0.1.0"
    )

    public init() {}
}
