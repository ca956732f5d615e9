import ArgumentParser
import Collaboratives

/// `--people`: the tables of a report also list the people behind its figures (JSON and CSV always do).
struct PeopleOptions: ParsableArguments {
    @Flag(
        name: .long,
        help: "Also list in the tables the people behind the figures, with their names where known and not erased.")
    var people = false
}

/// How the reports show the people behind their figures: in tables a member is `slug (Name)` when a name is
/// recorded and not erased on D, else the slug; in CSV a list is its entries joined by `;`.
struct PeopleCells {
    let view: HistoryView

    /// The member's name on D; `nil` when none was recorded or their personal data was erased.
    func name(of member: Slug) -> String? {
        // The timeline is cut at (D, K), so an erasure recorded after K is not in it; the keys know every erasure,
        // and a name an earlier build stored in clear would otherwise still open.
        guard !view.timeline.isErased(member), !view.keys.isErased(member),
            let name = view.keys.open(view.timeline.details(of: member, on: view.asOf)?.name, of: member),
            !name.isEmpty
        else { return nil }
        return name
    }

    /// `ol-02 (Pat Anchor)`, or `ol-02` without a readable name.
    func label(_ member: Slug) -> String {
        name(of: member).map { "\(member) (\($0))" } ?? member.rawValue
    }

    /// The members' labels, comma-separated, or `–` for none.
    func labels(_ members: [Slug]) -> String {
        members.isEmpty ? "–" : members.map(label).joined(separator: ", ")
    }

    /// A CSV list: the entries joined by `;` with no space, and an entry's fields by one space (slugs, dates,
    /// sectors and reasons hold neither `;` nor spaces). The one list style of every report's CSV.
    static func csvList(_ entries: [String]) -> String { entries.joined(separator: ";") }

    /// A JSON array of slugs.
    static func slugsJSON(_ members: [Slug]) -> JSONValue { .array(members.map { .string($0.rawValue) }) }
}
