import Foundation
import Testing

/// Issue 18, item 3: `chronicle record` builds its event from the typed flags, and stores what `import`
/// stores for the same event given as a line; a closed list's flag lists, completes and suggests its values.
@Suite struct RecordAsImportTests {
    /// Each `record` command and the import line of the same event: every kind of the catalog that
    /// `record` records, every field kind (slug, list, closed value, count, date, text, personal text). The
    /// events after `firstPersonal` carry personal text, which the store seals under a random key.
    static let steps: [(record: [String], line: String)] = [
        (
            [
                "collaborative-formed", "--collaborative", "wigan", "--name", "Wigan", "--anchor-organisation",
                "Wigan Council", "--programme-start", "2021-09-01", "--on", "2021-09-01",
            ],
            #""type":"CollaborativeFormed","occurredAt":"2021-09-01","data":{"collaborative":"wigan","name":"Wigan","anchorOrganisation":"Wigan Council","programmeStart":"2021-09-01"}"#
        ),
        (
            [
                "member-joined", "--collaborative", "wigan", "--member", "wi-01", "--sector", "programme-staff", "--on",
                "2021-09-02",
            ],
            #""type":"MemberJoined","occurredAt":"2021-09-02","data":{"collaborative":"wigan","member":"wi-01","sector":"programme-staff"}"#
        ),
        (
            [
                "member-joined", "--collaborative", "wigan", "--member", "wi-02", "--sector", "health", "--on",
                "2021-09-02",
            ],
            #""type":"MemberJoined","occurredAt":"2021-09-02","data":{"collaborative":"wigan","member":"wi-02","sector":"health"}"#
        ),
        (
            [
                "role-assigned", "--collaborative", "wigan", "--role", "anchor", "--member", "wi-02", "--appointment",
                "self-appointed", "--on", "2021-09-03",
            ],
            #""type":"RoleAssigned","occurredAt":"2021-09-03","data":{"collaborative":"wigan","role":"anchor","member":"wi-02","appointment":"self-appointed"}"#
        ),
        (
            [
                "subgroup-formed", "--collaborative", "wigan", "--subgroup", "wi-send", "--title", "SEND pathway",
                "--aim", "One front door", "--on", "2021-10-01",
            ],
            #""type":"SubGroupFormed","occurredAt":"2021-10-01","data":{"collaborative":"wigan","subgroup":"wi-send","title":"SEND pathway","aim":"One front door"}"#
        ),
        (
            ["subgroup-member-joined", "--subgroup", "wi-send", "--member", "wi-02", "--on", "2021-10-02"],
            #""type":"SubGroupMemberJoined","occurredAt":"2021-10-02","data":{"subgroup":"wi-send","member":"wi-02"}"#
        ),
        (
            [
                "role-assigned", "--collaborative", "wigan", "--role", "subgroup-lead", "--subgroup", "wi-send",
                "--member", "wi-02", "--appointment", "interim", "--on", "2021-10-03",
            ],
            #""type":"RoleAssigned","occurredAt":"2021-10-03","data":{"collaborative":"wigan","role":"subgroup-lead","subgroup":"wi-send","member":"wi-02","appointment":"interim"}"#
        ),
        (
            [
                "subgroup-status-changed", "--subgroup", "wi-send", "--status", "in-progress", "--note", "Started",
                "--on", "2021-11-01",
            ],
            #""type":"SubGroupStatusChanged","occurredAt":"2021-11-01","data":{"subgroup":"wi-send","status":"in-progress","note":"Started"}"#
        ),
        (
            [
                "subgroup-redefined", "--subgroup", "wi-send", "--title", "SEND front door", "--aim", "One door",
                "--reason", "Scope narrowed", "--on", "2021-12-01",
            ],
            #""type":"SubGroupRedefined","occurredAt":"2021-12-01","data":{"subgroup":"wi-send","title":"SEND front door","aim":"One door","reason":"Scope narrowed"}"#
        ),
        (
            [
                "milestone-reached", "--subgroup", "wi-send", "--kind", "plan-agreed", "--title", "Plan signed",
                "--on", "2022-01-10",
            ],
            #""type":"MilestoneReached","occurredAt":"2022-01-10","data":{"subgroup":"wi-send","kind":"plan-agreed","title":"Plan signed"}"#
        ),
        (
            [
                "workshop", "--workshop", "wi-ws-01", "--collaborative", "wigan", "--kind", "launch", "--mode",
                "online",
                "--title", "Launch", "--attendee", "wi-02", "--attendee", "wi-01", "--guests", "3", "--on",
                "2022-02-01",
            ],
            #""type":"WorkshopHeld","occurredAt":"2022-02-01","data":{"workshop":"wi-ws-01","collaboratives":["wigan"],"kind":"launch","mode":"online","title":"Launch","attendees":["wi-02","wi-01"],"guests":3}"#
        ),
        (
            [
                "coaching-session", "--collaborative", "wigan", "--kind", "one-to-one", "--advisor", "wi-01",
                "--attendee", "wi-02", "--minutes", "45", "--on", "2022-02-15",
            ],
            #""type":"CoachingSessionHeld","occurredAt":"2022-02-15","data":{"collaborative":"wigan","kind":"one-to-one","advisor":"wi-01","attendees":["wi-02"],"minutes":45}"#
        ),
        (
            [
                "survey-wave-closed", "--collaborative", "wigan", "--wave", "2022", "--invited", "2", "--responded",
                "1",
                "--on", "2022-07-01",
            ],
            #""type":"SurveyWaveClosed","occurredAt":"2022-07-01","data":{"collaborative":"wigan","wave":"2022","invited":2,"responded":1}"#
        ),
        (
            [
                "role-ended", "--collaborative", "wigan", "--role", "subgroup-lead", "--subgroup", "wi-send",
                "--member",
                "wi-02", "--on", "2022-08-01",
            ],
            #""type":"RoleEnded","occurredAt":"2022-08-01","data":{"collaborative":"wigan","role":"subgroup-lead","subgroup":"wi-send","member":"wi-02"}"#
        ),
        (
            [
                "member-joined", "--collaborative", "wigan", "--member", "wi-03", "--sector", "camhs", "--name",
                "Ann Bee", "--organisation", "Pennine Care", "--on", "2022-08-15",
            ],
            #""type":"MemberJoined","occurredAt":"2022-08-15","data":{"collaborative":"wigan","member":"wi-03","name":"Ann Bee","sector":"camhs","organisation":"Pennine Care"}"#
        ),
        (
            [
                "member-details-changed", "--member", "wi-02", "--name", "Sam Lee", "--sector", "social-care", "--on",
                "2022-09-01",
            ],
            #""type":"MemberDetailsChanged","occurredAt":"2022-09-01","data":{"member":"wi-02","name":"Sam Lee","sector":"social-care"}"#
        ),
        (
            [
                "subgroup-member-left", "--subgroup", "wi-send", "--member", "wi-02", "--reason", "Moved on", "--on",
                "2022-10-01",
            ],
            #""type":"SubGroupMemberLeft","occurredAt":"2022-10-01","data":{"subgroup":"wi-send","member":"wi-02","reason":"Moved on"}"#
        ),
        (
            [
                "member-left", "--collaborative", "wigan", "--member", "wi-03", "--reason", "role-change", "--note",
                "New post", "--on", "2022-11-01",
            ],
            #""type":"MemberLeft","occurredAt":"2022-11-01","data":{"collaborative":"wigan","member":"wi-03","reason":"role-change","note":"New post"}"#
        ),
    ]

    /// The position of the first step whose event carries personal text.
    static let firstPersonal = 14

    static func id(_ position: Int) -> String {
        "00000000-0000-4000-8000-\(String(format: "%012d", 100 + position))"
    }

    @Test func recordingEachKindStoresWhatImportingItsLineStores() async throws {
        let recorded = try await Sandbox.initialised()
        for (position, step) in Self.steps.enumerated() {
            try await recorded.record(step.record + ["--id", Self.id(position)])
        }
        let imported = try await Sandbox.initialised()
        let lines = Self.steps.enumerated().map { position, step in
            #"{"id":"\#(Self.id(position))",\#(step.line)}"#
        }
        try await imported.importNDJSON(lines.joined(separator: "\n") + "\n")

        let byRecord = try await recorded.export().split(separator: "\n").map(String.init)
        let byImport = try await imported.export().split(separator: "\n").map(String.init)
        #expect(byRecord.count == Self.steps.count)
        #expect(byRecord.count == byImport.count)
        for (position, (mine, theirs)) in zip(byRecord, byImport).enumerated() {
            // A member's key is random, and so are the sealed bytes of personal text and, from the first
            // event that has some, the hashes; everything else, hashes before it included, is the same.
            let keepsHash = position < Self.firstPersonal
            #expect(
                try Self.comparable(mine, keepingHash: keepsHash) == Self.comparable(theirs, keepingHash: keepsHash),
                "event \(position + 1)")
        }
    }

    /// An export line without its `sealed` member (and its hash, unless `keepingHash`), as canonical JSON.
    static func comparable(_ line: String, keepingHash: Bool) throws -> String {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        object["sealed"] = nil
        if !keepingHash { object["hash"] = nil }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    @Test func aMistypedValueOfAClosedListIsRefusedWithTheNearestValue() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "workshop", "--workshop", "ol-ws-30", "--collaborative", "oldham", "--kind", "colaborative",
                "--mode", "online", "--attendee", "ol-17", "--on", "2023-01-10",
            ],
            mentioning: [#"--kind: value "colaborative" is not allowed"#, #"did you mean "collaborative"?"#])
        try await sandbox.expectRefusal(
            [
                "record", "member-details-changed", "--member", "ol-17", "--sector", "Health", "--on", "2023-01-10",
            ],
            mentioning: ["--sector", #"did you mean "health"?"#])
    }

    @Test func helpAndCompletionOfferTheValuesOfAClosedList() async throws {
        let sandbox = try Sandbox()
        let help = try await sandbox.succeed(["record", "role-assigned", "--help"]).stdout
        let unwrapped = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(unwrapped.contains("The role: anchor, advisor, subgroup-lead or pcf-representative."), "\(help)")
        #expect(unwrapped.contains("How the holder was appointed: formal, self-appointed or interim."), "\(help)")
        let script = try await sandbox.succeed(["--generate-completion-script", "bash"]).stdout
        // bash's completion words, one a line: 'formal'$'\n''self-appointed'…
        for values in [
            ["anchor", "advisor", "subgroup-lead", "pcf-representative"], ["formal", "self-appointed", "interim"],
        ] {
            #expect(script.contains(values.map { "'\($0)'" }.joined(separator: #"$'\n'"#)), "\(values)")
        }
    }
}
