import Testing

/// One `chronicle log` query and the seqs it must list, in order.
struct LogQuery: Sendable, CustomTestStringConvertible {
    let filters: [String]
    let seqs: [Int]

    init(_ filters: [String], _ seqs: [Int]) {
        self.filters = filters
        self.seqs = seqs
    }

    var testDescription: String { filters.isEmpty ? "no filter" : filters.joined(separator: " ") }

    static let all: [LogQuery] = [
        LogQuery([], Array(1...15)),
        LogQuery(["--collaborative", "rochdale"], [2, 7, 15]),
        LogQuery(["--collaborative", "oldham"], [1, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14]),
        LogQuery(["--member", "ol-17"], [5, 10, 11, 12, 14]),
        LogQuery(["--member", "ol-03"], [6, 12, 13, 14]),
        LogQuery(["--subgroup", "ol-transitions"], [9, 10]),
        LogQuery(["--type", "WorkshopHeld"], [12]),
        LogQuery(["--type", "member-left", "--type", "RoleAssigned"], [8, 13]),
        LogQuery(["--from", "2022-01-01", "--to", "2022-03-05"], [9, 10, 11]),
        LogQuery(["--to", "2021-09-01"], [1, 3, 4, 8]),
        LogQuery(["--from", "2023-01-01", "--collaborative", "rochdale"], [15]),
        LogQuery(["--member", "ol-17", "--type", "WorkshopHeld", "--type", "EventRetracted"], [12, 14]),
        LogQuery(["--recorded-since", "2024-09-02"], [14, 15]),
        LogQuery(["--recorded-since", "2024-09-02T08:00:00Z"], [14, 15]),
        LogQuery(["--recorded-since", "2024-09-02T08:00:01Z"], []),
        LogQuery(["--reverse"], Array((1...15).reversed())),
        LogQuery(["--reverse", "--type", "MemberJoined"], [15, 7, 6, 5, 4, 3]),
        LogQuery(["--limit", "3"], [1, 2, 3]),
        LogQuery(["--limit", "0"], []),
        LogQuery(["--reverse", "--limit", "2"], [15, 14]),
        LogQuery(["--reverse", "--limit", "9223372036854775807"], Array((1...15).reversed())),
        LogQuery(["--reverse", "--limit", "4611686018427387904"], Array((1...15).reversed())),
        LogQuery(["--reverse", "--limit", "5", "--collaborative", "oldham"], [14, 13, 12, 11, 10]),
        LogQuery(["--limit", "2", "--member", "ol-17"], [5, 10]),
        LogQuery(["--reverse", "--limit", "20", "--member", "ol-03"], [14, 13, 12, 6]),
        LogQuery(["--reverse", "--limit=-1"], []),
        LogQuery(["--limit=-1"], []),
    ]
}

/// `chronicle log`: filters on subject, type, valid time and transaction time; retracted events
/// stay listed and are marked.
@Suite struct LogFilterTests {
    static let retraction = "00000000-0000-4000-8000-0000000000a1"

    /// The base history (recorded 2024-09-01T12:00:00Z), then, recorded 2024-09-02T08:00:00Z, the
    /// retraction of the workshop (seq 14) and ro-02 joining rochdale (seq 15).
    static func history() async throws -> Sandbox {
        let sandbox = try await Sandbox.withBaseHistory()
        let later = [
            #"{"id":"\#(retraction)","type":"EventRetracted","occurredAt":"2024-09-02","data":{"event":"\#(BaseHistory.workshop)","reason":"entered twice"}}"#,
            #"{"id":"00000000-0000-4000-8000-0000000000a2","type":"MemberJoined","occurredAt":"2024-09-02","data":{"collaborative":"rochdale","member":"ro-02","sector":"camhs"}}"#,
        ]
        try await sandbox.importNDJSON(later.joined(separator: "\n"), now: "2024-09-02T08:00:00Z")
        return sandbox
    }

    @Test(arguments: LogQuery.all)
    func logListsExactlyTheMatchingEvents(_ query: LogQuery) async throws {
        let sandbox = try await Self.history()
        let report = try await sandbox.log(query.filters)
        #expect(report.seqs == query.seqs)
        #expect(report.head.seq == 15)
    }

    @Test func retractedEventsStayListedAndAreMarked() async throws {
        let sandbox = try await Self.history()
        let report = try await sandbox.log()
        let marked = report.events.filter { $0.retractedBy != nil }
        #expect(marked.map(\.event.seq) == [12])
        #expect(marked.first?.retractedBy == Self.retraction)

        let table = try await sandbox.succeed(["log", "--type", "WorkshopHeld"])
        let row = try #require(table.stdout.split(separator: "\n").first { $0.contains("ol-ws-01") })
        #expect(row.contains("[retracted]"), "\(table)")
        #expect(try await sandbox.export().contains(BaseHistory.workshop))
    }

    /// The retraction (seq 14, occurred 2024-09-02) concerns oldham's workshop, so it belongs in
    /// every oldham query that its own type and dates pass, whether or not the workshop does.
    @Test func retractionIsListedUnderTheSubjectOfItsTarget() async throws {
        let sandbox = try await Self.history()
        #expect(try await sandbox.log(["--collaborative", "oldham", "--type", "EventRetracted"]).seqs == [14])
        #expect(try await sandbox.log(["--collaborative", "oldham", "--from", "2024-01-01"]).seqs == [14])
        #expect(try await sandbox.log(["--member", "ol-03", "--recorded-since", "2024-09-02"]).seqs == [14])
    }

    @Test func badFilterIsAUsageError() async throws {
        let sandbox = try await Self.history()
        for filters in [["--from", "2023-02-30"], ["--type", "Nonsense"], ["--collaborative", "Oldham"]] {
            let result = try await sandbox.run(["log"] + filters)
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains(filters[0]), "\(result)")
        }
    }
}
