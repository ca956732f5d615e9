import ArgumentParser
import Collaboratives

/// A flag's value from one of the catalog's closed lists (`--kind collaborative`, `--sector health`):
/// `--help` lists the values and shell completion offers them.
///
/// The parser takes any text and the value is judged when the event is built (``value(_:)``), so that a
/// mistyped one is refused as every other field of the event is: invalid data (exit 65), on one line that
/// names the flag, the values allowed and the nearest one (`--sector: value "helth" is not allowed
/// (allowed: …); did you mean "health"?`), rather than as a parser's usage error.
struct CatalogChoice<Value: CatalogVocabulary>: ExpressibleByArgument {
    /// The text given on the command line.
    let text: String

    init?(argument: String) { text = argument }

    static var allValueStrings: [String] { Value.allCases.map(\.rawValue) }

    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }

    /// The value, read as `import` reads the event's `data` field `key`.
    func value(_ key: String) throws(DomainError) -> Value {
        try Value.named(text, field: FlagValue.path(key))
    }
}
