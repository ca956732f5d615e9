import ArgumentParser
import Collaboratives

/// The refusal of a mistyped subcommand (`chronicle reports`, `chronicle report attendence`), with a
/// "did you mean" for a command at most two edits away, else the list of the commands there are.
///
/// The parser alone says only "Unexpected argument 'reports'", which does not tell a user that `reports`
/// was read as a command, nor which commands exist. It is consulted only after the parser has refused the
/// line, so a valid command line never pays for it.
enum SubcommandSuggestion {
    /// The message for the first word of `arguments` that names no subcommand of the command group it
    /// follows (`report: no command "attendence"; did you mean "chronicle report attendance"?`), or nil when every
    /// word names a command or the refusal is about something else (an option, a positional argument of a
    /// command, a group with a default subcommand that takes arguments).
    static func message(for arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command: any ParsableCommand.Type = root
        var path = [root._commandName]
        for argument in arguments {
            if argument == "--" { return nil }
            // The groups take flags only (--no-color, --help, --version), never an option with a value.
            if argument.hasPrefix("-") { continue }
            let configuration = command.configuration
            let subcommands = configuration.subcommands
            guard !subcommands.isEmpty, configuration.defaultSubcommand == nil else { return nil }
            if argument == "help" { return nil }
            var next: (any ParsableCommand.Type)?
            var names: [String] = []
            for subcommand in subcommands {
                let name = subcommand._commandName
                names.append(name)
                if name == argument || subcommand.configuration.aliases.contains(argument) { next = subcommand }
            }
            if let next {
                command = next
                path.append(argument)
                continue
            }
            let place = path.joined(separator: " ")
            let group = path.dropFirst().joined(separator: " ")
            var message = (group.isEmpty ? "" : "\(group): ") + "no command \(argument.debugDescription)"
            var candidates: [Slug] = []
            for name in names {
                if let slug = Slug(name) { candidates.append(slug) }
            }
            // `Log` is `log` in the wrong case: nearest(among:) leaves out a candidate equal to the typed slug.
            if let typed = Slug(argument.lowercased()),
                let near = candidates.first(where: { $0 == typed }) ?? typed.nearest(among: candidates)
            {
                message += "; did you mean \"\(place) \(near)\"?"
            } else {
                message += " (commands: \(names.joined(separator: ", ")))"
            }
            return message
        }
        return nil
    }
}
