import Collaboratives
import Foundation

/// How `import register` shows the stored events a register changes: each change on stderr with what
/// differs, and the `chronicle correct` command that records it, ready to paste.
extension ImportRegisterCommand {
    /// Prints every change and the way out; the caller exits 65.
    func printChanges(_ changes: RegisterChanges) {
        for change in changes.changes {
            printDiagnostic("error: " + Self.describe(change))
            if let command = correctCommand(for: change) {
                // Not flattened: a cell's line break stays inside its quotes, so the command pasted into a
                // shell sets the text the register has.
                printDiagnostic(
                    "    " + command.map(Self.shellQuoted).joined(separator: " "), prefixed: false,
                    keepingNewlines: true)
            }
        }
        let count = changes.changes.count
        printDiagnostic(
            "error: the register changes \(count) stored event\(count == 1 ? "" : "s"), so nothing was written: "
                + "run the command\(count == 1 ? "" : "s") shown and import again, or import again with "
                + "--apply-corrections --reason TEXT to record the corrections with the rest of the register")
    }

    /// `lines 5-6: workshop ol-ws-21 on 2023-10-19 differs from the stored event (seq 35, id …): attendees:
    /// ol-17 added (line 6)`.
    static func describe(_ change: RegisterChange) -> String {
        let stored = "(seq \(change.stored.seq), id \(change.stored.id.uuidString.lowercased()))"
        guard change.events.count == 1, let event = change.events.first else {
            let lines = change.events.flatMap(\.lines).sorted()
            let labels = change.events.map(\.label).joined(separator: "; ")
            return "\(lineText(lines)): an earlier version imported these rows as one coaching session \(stored); "
                + "they are \(change.events.count) sessions now (\(labels)); only --apply-corrections can replace "
                + "one stored event by several"
        }
        let differences = change.differences.map(describe).joined(separator: "; ")
        return "\(lineText(event.lines)): \(event.label) differs from the stored event \(stored): \(differences)"
    }

    private static func describe(_ difference: RegisterDifference) -> String {
        if difference.isList {
            var parts: [String] = []
            if !difference.added.isEmpty {
                let lines = difference.field == "attendees" ? " (\(lineText(difference.lines)))" : ""
                parts.append(difference.added.joined(separator: ", ") + " added" + lines)
            }
            if !difference.removed.isEmpty {
                let how = difference.field == "attendees" ? " not marked attended" : " no longer listed"
                parts.append(difference.removed.joined(separator: ", ") + how)
            }
            return "\(difference.field): " + parts.joined(separator: ", ")
        }
        func shown(_ value: String?) -> String {
            value.map { String(decoding: JSONValue.string($0).canonicalBytes, as: UTF8.self) } ?? "none"
        }
        let field = difference.field == "occurredAt" ? "date" : difference.field
        return "\(field): stored \(shown(difference.stored)), register \(shown(difference.register))"
    }

    private static func lineText(_ lines: [Int]) -> String {
        let ranges = RegisterPlan.Event.ranges(of: lines)
        return lines.count == 1 ? "line \(ranges)" : "lines \(ranges)"
    }

    /// The arguments of `chronicle correct` that make the stored event what the register says; `nil` when one
    /// event is to be replaced by several.
    func correctCommand(for change: RegisterChange) -> [String]? {
        guard change.events.count == 1 else { return nil }
        var arguments = ["chronicle", "correct", change.stored.id.uuidString.lowercased()]
        let name = file == "-" ? "register" : URL(fileURLWithPath: file).lastPathComponent
        arguments += ["--reason", "corrected in \(name)"]
        for difference in change.differences {
            if difference.field == "occurredAt" {
                arguments += ["--on", difference.register ?? ""]
            } else if difference.isList {
                let item = difference.field.hasSuffix("s") ? String(difference.field.dropLast()) : difference.field
                arguments += difference.removed.flatMap { ["--remove", "\(item)=\($0)"] }
                arguments += difference.added.flatMap { ["--add", "\(item)=\($0)"] }
            } else if let value = difference.register {
                arguments += ["--set", "\(difference.field)=\(value)"]
            } else {
                arguments += ["--unset", difference.field]
            }
        }
        // A database's password is not echoed to stderr: the command says `***` where it goes.
        if let store = storeOptions.store { arguments += ["--store", StoreLocation(store).description] }
        return arguments
    }

    /// A word as a POSIX shell reads it back: as it is when it holds only safe characters, else in single
    /// quotes (a quote inside written `'\''`).
    static func shellQuoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")
        if !word.isEmpty, word.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

}
