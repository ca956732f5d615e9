import ArgumentParser
import Foundation

/// A way of showing text to a person at a terminal.
enum TextStyle {
    /// Table headers.
    case bold
    /// Errors, and what is missing (VACANT).
    case red
    /// What needs a look (STALLED, GAP, SELF-APPOINTED, retracted).
    case yellow
    /// Sparklines.
    case cyan

    /// The ANSI SGR code that turns the style on.
    fileprivate var code: String {
        switch self {
        case .bold: "1"
        case .red: "31"
        case .yellow: "33"
        case .cyan: "36"
        }
    }
}

/// Where text goes: the decision to colour is made per stream.
enum StandardStream {
    case standardOutput, standardError
}

/// Whether the output goes to a person at a terminal, and the one place that decides about colour.
///
/// Colour is used only when the stream is a terminal, and never when `NO_COLOR` is set to anything
/// but the empty string (https://no-color.org), when `--no-color` is given anywhere on the command
/// line, or when `TERM` is `dumb`. Everything else in the CLI asks ``style(_:_:on:)``, so output that
/// is piped, redirected or parsed (`--json`, `--csv` never pass through it) stays plain text.
///
/// ```swift
/// printDiagnostic(Terminal.style("error:", .red, on: .standardError) + " no such store")
/// ```
enum Terminal {
    /// Whether standard output is a terminal (`isatty(1)`).
    static let standardOutputIsTerminal = isatty(STDOUT_FILENO) == 1
    /// Whether standard error is a terminal (`isatty(2)`): progress bars are drawn only then.
    static let standardErrorIsTerminal = isatty(STDERR_FILENO) == 1

    /// Whether progress bars are drawn on standard error: `$CHRONICLE_PROGRESS` set to `always` or `never`
    /// decides (`always` lets a test or a log see them); otherwise only when standard error is a terminal.
    static let drawsProgress: Bool = {
        switch ProcessEnvironment.value("CHRONICLE_PROGRESS") {
        case "always": true
        case "never": false
        default: standardErrorIsTerminal
        }
    }()

    /// Whether the person asked for no colour: `NO_COLOR`, `--no-color`, or a dumb terminal.
    static let colourIsRefused: Bool = {
        if let noColor = ProcessEnvironment.value("NO_COLOR"), !noColor.isEmpty { return true }
        if ProcessEnvironment.value("TERM") == "dumb" { return true }
        return noColorFlagIsGiven(in: CommandLine.arguments)
    }()

    /// Whether `--no-color` is among `arguments` before a `--` terminator. Every command also declares
    /// the flag (``TerminalOptions``) so that the parser accepts and documents it; it is read here, once,
    /// so that it also governs what is printed before or without a parsed command (errors).
    static func noColorFlagIsGiven(in arguments: [String]) -> Bool {
        arguments.dropFirst().prefix { $0 != "--" }.contains(TerminalOptions.noColorFlag)
    }

    /// Whether text written to `stream` may be coloured.
    static func colours(_ stream: StandardStream) -> Bool {
        !colourIsRefused && (stream == .standardOutput ? standardOutputIsTerminal : standardErrorIsTerminal)
    }

    /// `text` in `style` when `stream` may be coloured, else `text` unchanged. Empty text stays empty.
    static func style(_ text: String, _ style: TextStyle, on stream: StandardStream = .standardOutput) -> String {
        guard colours(stream), !text.isEmpty else { return text }
        return "\u{1B}[\(style.code)m" + text + "\u{1B}[0m"
    }

    /// The width of the terminal on standard error in columns (`$COLUMNS`, else `TIOCGWINSZ`, else 80).
    static var standardErrorWidth: Int {
        if let text = ProcessEnvironment.value("COLUMNS"), let columns = Int(text), columns > 0 {
            return columns
        }
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}

/// `--no-color`, accepted by every command that touches a store (through ``StoreOptions``,
/// ``ReportStoreOptions``, and ``RecordOptions``, which declares it itself) and documented in its help.
/// ``Terminal`` reads the command line itself, so the parsed value is not consulted.
struct TerminalOptions: ParsableArguments {
    /// The flag's spelling, as ``Terminal`` looks for it.
    static let noColorFlag = "--no-color"

    /// The flag's help, shared with ``RecordOptions``.
    static let noColorHelp: ArgumentHelp = "Never colour the output (as does a non-empty $NO_COLOR)."

    @Flag(name: .customLong("no-color"), help: noColorHelp)
    var noColor = false
}

extension TextStyle {
    /// The style of a report's flag cell: red for what is missing (VACANT, a long GAP), yellow for
    /// anything else flagged (STALLED, SELF-APPOINTED, INTERIM, a lost sector…), plain when empty or `–`.
    static func flag(_ cell: String) -> TextStyle? {
        if cell.isEmpty || cell == "–" { return nil }
        return cell.hasPrefix("VACANT") || cell.hasPrefix("GAP") ? .red : .yellow
    }

    /// Yellow for an appointment shown in capitals (`SELF-APPOINTED`, `INTERIM`), else plain.
    static func appointment(_ cell: String) -> TextStyle? {
        cell == cell.uppercased() && cell.contains(where: \.isLetter) ? .yellow : nil
    }
}
