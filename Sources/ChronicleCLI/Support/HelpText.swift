import Foundation

/// `--help` laid out for the terminal it is read on: paragraphs filled to its width, examples never broken
/// in the middle of a command.
///
/// argument-parser cuts every line of a help text at the screen width and starts the rest at column 0: an
/// example longer than the terminal became two lines that a shell runs as two commands, and the discussion's
/// lines, broken in the source, came out ragged on any other width. Here the help is asked for unwrapped,
/// then: the discussion's lines are joined into paragraphs (a paragraph ends at a blank line, a line ending
/// in `:`, or an indented line) and filled; an example (an indented line starting with `chronicle`) that
/// does not fit is continued with ` \` on the next line, between shell words, so that it can still be
/// pasted; option rows wrap under their description column.
enum HelpText {
    /// The width asked of argument-parser: wide enough never to wrap.
    static let unwrappedColumns = 100_000

    /// The description column of option and subcommand rows (argument-parser's `labelColumnWidth`).
    static let descriptionColumn = 26

    /// Whether `text` (a message of a clean exit) is a help text rather than a version or a completion script.
    static func isHelp(_ text: String) -> Bool {
        text.hasPrefix("OVERVIEW:") || text.hasPrefix("USAGE:")
    }

    /// The width of the terminal on standard output: `$COLUMNS`, else `TIOCGWINSZ`, else 80.
    static var standardOutputWidth: Int {
        if let text = ProcessEnvironment.value("COLUMNS"), let columns = Int(text), columns > 0 { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// `text` (an unwrapped help) laid out for `width` columns (at least 40).
    static func layout(_ text: String, width: Int) -> String {
        let width = max(40, width)
        var output: [String] = []
        var paragraph: [String] = []
        var inOverview = true
        func flush() {
            guard !paragraph.isEmpty else { return }
            output += fill(paragraph.joined(separator: " "), width: width, indent: 0, hanging: 0)
            paragraph = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let indent = line.prefix { $0 == " " }.count
            let trimmed = line.dropFirst(indent)
            if line.hasPrefix("USAGE:") || line.hasSuffix("OPTIONS:") || line.hasPrefix("ARGUMENTS:")
                || line.hasPrefix("SUBCOMMANDS:")
            {
                inOverview = false
            }
            if inOverview && indent == 0 && !trimmed.isEmpty {
                if let last = paragraph.last, last.hasSuffix(":") { flush() }
                paragraph.append(line)
                continue
            }
            flush()
            if trimmed.isEmpty {
                output.append("")
            } else if trimmed.hasPrefix("chronicle ") && indent > 0 {
                output += example(String(trimmed), width: width, indent: indent)
            } else if !inOverview && indent > 0 && indent < descriptionColumn && line.count > descriptionColumn
                && line.dropFirst(descriptionColumn - 2).prefix(2).allSatisfy({ $0 == " " })
            {
                output += fill(String(trimmed), width: width, indent: indent, hanging: descriptionColumn)
            } else {
                output += fill(String(trimmed), width: width, indent: indent, hanging: indent)
            }
        }
        flush()
        return output.joined(separator: "\n")
    }

    /// `text` filled to `width`, the first line indented by `indent`, the others by `hanging`; a word longer
    /// than a line stands alone rather than being cut. Runs of spaces inside the text are kept (they align
    /// a row's description).
    static func fill(_ text: String, width: Int, indent: Int, hanging: Int) -> [String] {
        var lines: [String] = []
        var current = String(repeating: " ", count: indent)
        var currentIsEmpty = true
        var pendingSpaces = ""
        var word = ""
        func place() {
            guard !word.isEmpty else { return }
            if !currentIsEmpty && current.count + pendingSpaces.count + word.count > width {
                lines.append(current)
                current = String(repeating: " ", count: hanging)
                pendingSpaces = ""
            }
            current += (currentIsEmpty ? "" : pendingSpaces) + word
            currentIsEmpty = false
            pendingSpaces = ""
            word = ""
        }
        for character in text {
            if character == " " {
                place()
                pendingSpaces.append(" ")
            } else {
                word.append(character)
            }
        }
        place()
        lines.append(current)
        return lines
    }

    /// An example command: on one line when it fits, else cut between shell words (never inside quotes, nor
    /// between an option and its value), each cut line ending in ` \` and the next indented 4 more, so that the lines paste as one command.
    static func example(_ command: String, width: Int, indent: Int) -> [String] {
        let padding = String(repeating: " ", count: indent)
        guard indent + command.count > width else { return [padding + command] }
        // An option stays with its value (`--on 2021-11-15`), a redirection with its file.
        var words: [String] = []
        for word in shellWords(command) {
            if let last = words.last, !word.hasPrefix("-"),
                (last.hasPrefix("-") && !last.contains(" ")) || last == ">" || last == "<"
            {
                words[words.count - 1] += " " + word
            } else {
                words.append(word)
            }
        }
        var lines: [String] = []
        var current = padding
        var currentIsEmpty = true
        for word in words {
            if !currentIsEmpty && current.count + 1 + word.count + 2 > width {
                lines.append(current + " \\")
                current = padding + "    "
                currentIsEmpty = true
            }
            current += (currentIsEmpty ? "" : " ") + word
            currentIsEmpty = false
        }
        lines.append(current)
        return lines
    }

    /// `command` split at the spaces outside single and double quotes (the quotes stay in the words).
    static func shellWords(_ command: String) -> [String] {
        var words: [String] = []
        var word = ""
        var quote: Character?
        for character in command {
            if let open = quote {
                if character == open { quote = nil }
                word.append(character)
            } else if character == "\"" || character == "'" {
                quote = character
                word.append(character)
            } else if character == " " {
                if !word.isEmpty { words.append(word) }
                word = ""
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }
}
