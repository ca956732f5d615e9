import ArgumentParser

/// `chronicle record KIND …` parsed by KIND's command alone, before the whole tree is tried.
///
/// argument-parser parses a command line from the root down: it reflects the root's and `record`'s options,
/// builds the option set of every subcommand the words name (again for each level that meets the word), and
/// walks the whole tree of some sixty commands to find the stack. `record` is the command whose start-up
/// counts (README, "Performance"), and its words say from the start which command they are for.
///
/// Only a complete success is taken: the command parsed is KIND's, every word was used and its validation
/// passed. Anything else (help, `--version`, a completion request, a usage error, a word the shortcut cannot
/// place) returns `nil` and the line is parsed again from the root, which says what the root always said.
/// `record` has no option and the root only `--no-color`, which it would take from KIND's words: a line
/// with it is left to the root too, so a line the shortcut takes is one the root parses to the same values
/// (`RecordShortcutTests` holds the two to each other for every KIND).
enum RecordShortcut {
    /// The command `arguments` (without the program's name) select, when they are `record KIND` and KIND's
    /// command parses the rest completely; otherwise `nil`.
    static func parse(_ arguments: [String]) -> (any ParsableCommand)? {
        guard let kind = recordKind(arguments) else { return nil }
        guard let command = try? kind.parseAsRoot(Array(arguments.dropFirst(2))),
            ObjectIdentifier(type(of: command)) == ObjectIdentifier(kind)
        else { return nil }
        return command
    }

    /// KIND's command when `arguments` start `record KIND`, and no word of the line needs the whole parser.
    static func recordKind(_ arguments: [String]) -> (any ParsableCommand.Type)? {
        guard arguments.count >= 2, arguments[0] == RecordCommand.configuration.commandName else { return nil }
        // `--by` prints its deprecation warning while the options are validated, so a shortcut that validated
        // and then failed would print it twice; `--no-color` is the root's when the root parses the line.
        let leftToTheRoot = ["--by", TerminalOptions.noColorFlag]
        guard !arguments.contains(where: { word in leftToTheRoot.contains { word == $0 || word.hasPrefix($0 + "=") } })
        else { return nil }
        return RecordCommand.configuration.subcommands.first { $0.configuration.commandName == arguments[1] }
    }
}
