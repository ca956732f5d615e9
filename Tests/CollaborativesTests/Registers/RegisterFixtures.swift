import Foundation
import Testing

@testable import Collaboratives

/// The history the register tests read against, as stored entries:
///
/// | member | name | where | from | until |
/// |---|---|---|---|---|
/// | ol-1, ol-2 | Sam Smith (twice) | oldham | 2021-11-15 | |
/// | ol-3 | Jo Bloggs | oldham | 2021-11-15 | 2023-07-20 |
/// | ol-4 | Pat Anchor | oldham | 2021-11-15 | |
/// | ro-1 | Jo Bloggs | rochdale | 2021-10-01 | |
/// | staff-1 | Laura Doyle, programme staff | oldham | 2021-09-01 | |
enum RegisterHistory {
    static var events: [(String, DomainEvent)] {
        [
            ("2021-09-01", Events.formed("oldham")),
            ("2021-09-01", Events.formed("rochdale")),
            ("2021-09-01", Events.joined("staff-1", "oldham", sector: .programmeStaff, name: "Laura Doyle")),
            ("2021-11-15", Events.joined("ol-1", "oldham", name: "Sam Smith")),
            ("2021-11-15", Events.joined("ol-2", "oldham", name: "Sam  Smith")),
            ("2021-11-15", Events.joined("ol-3", "oldham", name: "Jo Bloggs")),
            ("2021-11-15", Events.joined("ol-4", "oldham", name: "Pat Anchor")),
            ("2021-10-01", Events.joined("ro-1", "rochdale", sector: .health, name: "Jo Bloggs")),
            ("2023-07-20", Events.left("ol-3", "oldham")),
        ]
    }

    static var entries: [TimelineEntry] {
        events.enumerated().map { index, event in
            TimelineEntry(id: UUID(), seq: UInt64(index + 1), occurredAt: occurred(event.0), event: event.1)
        }
    }

    static var timeline: Timeline { Timeline(entries: entries) }

    /// A workshop mapping: `Date` (DD/MM/YYYY), `Workshop`, `Member`, `Name`, `Attended`, `Title`; for oldham.
    static let workshopMapping = """
        {"register": "workshop", "dateFormat": "DD/MM/YYYY",
         "columns": {"date": "Date", "workshop": "Workshop", "member": "Member", "memberName": "Name",
                     "attended": "Attended", "title": "Title"},
         "event": {"collaboratives": ["oldham"], "kind": "collaborative", "mode": "in-person"}}
        """

    /// A coaching mapping: `Date` (YYYY-MM-DD), `Session`, `Member`, `Came`; oldham, group, staff-1, 60 minutes.
    static let coachingMapping = """
        {"register": "coaching",
         "columns": {"date": "Date", "session": "Session", "member": "Member", "attended": "Came"},
         "attended": ["✓"], "absent": [""],
         "event": {"collaborative": "oldham", "kind": "group", "advisor": "staff-1", "minutes": 60}}
        """

    static func mapping(_ json: String) throws -> RegisterMapping {
        try RegisterMapping(parsing: Array(json.utf8))
    }

    /// A table whose first row is the header (line 1), then one row per line.
    static func table(_ rows: [[String]]) -> RegisterTable {
        RegisterTable(
            header: rows.first ?? [], headerLine: 1,
            rows: rows.dropFirst().enumerated().map { RegisterRow(line: $0.offset + 2, cells: $0.element) })
    }

    static let workshopHeader = ["Date", "Workshop", "Member", "Name", "Attended", "Title"]

    /// Plans `rows` (under the workshop header unless given) with `mapping`.
    static func plan(
        _ rows: [[String]], header: [String] = workshopHeader, mapping json: String = workshopMapping
    ) throws -> RegisterPlan {
        try RegisterImport.plan(
            table([header] + rows), mapping: try mapping(json), timeline: timeline, recordedBy: "tester")
    }

    /// The errors of planning `rows`, or none when the plan succeeds.
    static func errors(
        _ rows: [[String]], header: [String] = workshopHeader, mapping json: String = workshopMapping
    ) throws -> [InputError] {
        do {
            _ = try plan(rows, header: header, mapping: json)
            return []
        } catch let errors as RegisterErrors {
            return errors.errors
        }
    }
}

extension RegisterPlan.Event {
    var workshop: WorkshopHeld? {
        if case .workshopHeld(let workshop) = draft.event { return workshop }
        return nil
    }

    var coaching: CoachingSessionHeld? {
        if case .coachingSessionHeld(let session) = draft.event { return session }
        return nil
    }
}
