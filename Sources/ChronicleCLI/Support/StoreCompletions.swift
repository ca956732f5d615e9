import ArgumentParser
import Collaboratives
import EventLog
import Foundation

extension CompletionKind {
    /// Completes the slugs of the collaboratives formed in the store.
    static var collaborativeSlugs: CompletionKind {
        .custom { words, _, prefix in StoreCompletions.slugs(of: .collaborative, words: words, prefix: prefix) }
    }

    /// Completes the slugs of the members who joined a collaborative in the store.
    static var memberSlugs: CompletionKind {
        .custom { words, _, prefix in StoreCompletions.slugs(of: .member, words: words, prefix: prefix) }
    }

    /// Completes the slugs of the sub-groups formed in the store.
    static var subgroupSlugs: CompletionKind {
        .custom { words, _, prefix in StoreCompletions.slugs(of: .subgroup, words: words, prefix: prefix) }
    }

    /// Completes the event types of the catalog (`MemberJoined`, …).
    static var eventTypes: CompletionKind { .list(DomainEvent.typeNames) }
}

/// Shell completion of slugs from the store. The shell runs `chronicle ---completion <subcommands> --
/// <option> <word-index> <cursor> <words…>` when TAB is pressed (argument-parser's protocol); the
/// completion reads the store named by `--store` on the line being completed, else `$CHRONICLE_STORE`,
/// else the default, opened read-only. Any failure (no store yet, a store being restored) completes
/// nothing rather than printing an error into the person's prompt.
enum StoreCompletions {
    /// What a slug names.
    enum Subject {
        case collaborative, member, subgroup

        /// The event type that brings a slug of this kind into existence.
        var formingType: String {
            switch self {
            case .collaborative: "CollaborativeFormed"
            case .member: "MemberJoined"
            case .subgroup: "SubGroupFormed"
            }
        }
    }

    /// The sorted slugs of `subject` in the store that start with `prefix`.
    static func slugs(of subject: Subject, words: [String], prefix: String) -> [String] {
        guard let log = try? openStore(words: words) else { return [] }
        var found = Set<String>()
        do {
            let decoder = EventDecoder()
            try log.events(ofType: subject.formingType).forEach { event in
                switch try decoder.decode(event) {
                case .collaborativeFormed(let formed): found.insert(formed.collaborative.rawValue)
                case .memberJoined(let joined): found.insert(joined.member.rawValue)
                case .subGroupFormed(let formed): found.insert(formed.subgroup.rawValue)
                default: break
                }
            }
        } catch {
            return []
        }
        return found.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Opens the store read-only: `--store LOCATION` or `--store=LOCATION` among the words, else as every command does.
    private static func openStore(words: [String]) throws -> any EventStore {
        var store: String?
        for (index, word) in words.enumerated() {
            if word == "--store", index + 1 < words.count {
                store = shellWord(words[index + 1])
            } else if word.hasPrefix("--store=") {
                store = shellWord(String(word.dropFirst("--store=".count)))
            }
        }
        let options = try StoreOptions.parse(store.map { ["--store", $0] } ?? [])
        return try options.location.open(readOnly: true)
    }

    /// A shell word as typed, made into the path it means: surrounding quotes removed, backslash escapes
    /// undone, a leading `~/` expanded (the shell passes words to the completion verbatim).
    static func shellWord(_ word: String) -> String {
        var text = word
        if text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first {
            text = String(text.dropFirst().dropLast())
        } else {
            var unescaped = ""
            var escaping = false
            for character in text {
                if character == "\\" && !escaping {
                    escaping = true
                    continue
                }
                unescaped.append(character)
                escaping = false
            }
            text = unescaped
        }
        if text == "~" || text.hasPrefix("~/") { text = NSHomeDirectory() + text.dropFirst() }
        return text
    }
}
