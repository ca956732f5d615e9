import Foundation
import Testing

@testable import Collaboratives

/// Reading a register's mapping file, and refusing a wrong one with the field at fault.
@Suite struct RegisterMappingTests {
    static let workshop = """
        {"register": "workshop", "dateFormat": "DD/MM/YYYY",
         "columns": {"date": "Date", "workshop": "Workshop", "memberName": "Name", "attended": "Attended"},
         "event": {"collaboratives": ["oldham"], "kind": "convening", "mode": "in-person"}}
        """

    func mapping(_ json: String) throws -> RegisterMapping {
        try RegisterMapping(parsing: Array(json.utf8))
    }

    func refusal(_ json: String) -> String {
        do {
            _ = try mapping(json)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func aWorkshopMappingReadsWithDefaults() throws {
        let mapping = try mapping(Self.workshop)
        #expect(mapping.kind == .workshop && mapping.dateFormat.pattern == "DD/MM/YYYY" && mapping.delimiter == ",")
        #expect(mapping.columnNames == ["Date", "Name", "Attended", "Workshop"])
        #expect(mapping.attendedValues == ["yes", "y", "x", "1", "true"])
        #expect(mapping.absentValues.contains(""))
        #expect(mapping.fields[.collaboratives] == .fixed(.slugs([slug("oldham")])))
        #expect(mapping.fields[.kind] == .fixed(.workshopKind(.convening)))
    }

    @Test func attendedValuesAreComparedIgnoringCase() throws {
        let mapping = try mapping(
            Self.workshop.replacingOccurrences(
                of: #""register""#, with: #""attended": [" YES ", "X"], "absent": ["No"], "register""#))
        #expect(mapping.attendedValues == ["yes", "x"] && mapping.absentValues == ["no"])
    }

    @Test func aCoachingMappingTakesAdvisorAndMinutes() throws {
        let mapping = try mapping(
            """
            {"register": "coaching", "columns": {"date": "Date", "member": "Member", "session": "Session"},
             "event": {"collaborative": "oldham", "kind": "group", "advisor": "staff-01", "minutes": 45}}
            """)
        #expect(mapping.kind == .coaching && mapping.attendedColumn == nil)
        #expect(mapping.fields[.minutes] == .fixed(.count(45)))
        #expect(mapping.fields[.session] == .column("Session"))
    }

    @Test(arguments: [
        (#"{"columns": {"date": "D", "member": "M"}}"#, "mapping.register: missing required field"),
        (#"{"register": "party", "columns": {}}"#, "mapping.register: value \"party\" is not allowed"),
        (#"{"register": "workshop"}"#, "mapping.columns: missing required field"),
        (
            #"{"register": "workshop", "columns": {"member": "M"}, "event": {}}"#,
            "mapping.columns.date: missing required field"
        ),
        (
            #"{"register": "workshop", "columns": {"date": "D"}}"#,
            "mapping.columns.member: give the column of member slugs"
        ),
        (
            #"{"register": "workshop", "columns": {"date": "D", "member": "M", "colour": "C"}}"#,
            "mapping.columns.colour: unknown field"
        ),
        (
            #"{"register": "workshop", "columns": {"date": "D", "member": "M", "workshop": "W"}, "event": {"collaboratives": "oldham", "kind": "launch"}}"#,
            "mapping.event.mode: missing"
        ),
        (
            #"{"register": "workshop", "columns": {"date": "D", "member": "M", "workshop": "W", "kind": "K"}, "event": {"collaboratives": "oldham", "kind": "launch", "mode": "online"}}"#,
            "mapping.event.kind: is also given as a column"
        ),
        (
            #"{"register": "workshop", "columns": {"date": "D", "member": "M", "workshop": "W"}, "event": {"collaboratives": "oldham", "kind": "party", "mode": "online"}}"#,
            "mapping.event.kind: \"party\" is not allowed"
        ),
        (
            #"{"register": "workshop", "columns": {"date": "D", "member": "M", "workshop": "W"}, "event": {"collaboratives": ["oldham", 3], "kind": "launch", "mode": "online"}}"#,
            "mapping.event.collaboratives[1]: expected a string"
        ),
        (
            #"{"register": "workshop", "dateFormat": "DD/MM/YY", "columns": {"date": "D", "member": "M"}}"#,
            "dateFormat: \"DD/MM/YY\" is not a date format"
        ),
        (
            #"{"register": "workshop", "attended": ["yes"], "absent": ["YES"], "columns": {"date": "D", "member": "M"}}"#,
            "mapping.absent: \"yes\" is listed both as attended and as absent"
        ),
        (
            #"{"register": "workshop", "delimiter": ";;", "columns": {"date": "D", "member": "M"}}"#,
            "mapping.delimiter"
        ),
        (#"{"register": "workshop", "columns": {"date": "D", "member": "M"},}"#, "mapping"),
    ])
    func aWrongMappingIsRefusedNamingTheField(json: String, fragment: String) {
        let message = refusal(json)
        #expect(message.contains(fragment), "\(message)")
    }
}
