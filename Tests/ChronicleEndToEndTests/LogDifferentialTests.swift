import Foundation
import Testing

/// `chronicle log` keeps, while it reads the log, only what its rows need (issue 19): its output must read
/// byte for byte as it did when it kept every member's name, every retraction and every sub-group. The
/// digests below were recorded with that implementation (commit 3c6baca) over the same generated history,
/// with corrections added (a retraction and its replacement recorded together), for every kind of filter.
@Suite struct LogDifferentialTests {
    /// The filters compared; each runs as a table and as `--json`.
    static let queries: [[String]] = [
        [], ["--reverse"], ["--limit", "40"], ["--reverse", "--limit", "40"],
        ["--collaborative", "oldham"], ["--collaborative", "worcestershire", "--reverse"],
        ["--collaborative", "east-sussex", "--reverse", "--limit", "25"],
        ["--collaborative", "oldham", "--limit", "30"],
        ["--member", "staff-1"], ["--member", "oldham-m2"], ["--member", "east-sussex-m11"],
        ["--member", "worcestershire-m22", "--reverse"], ["--subgroup", "oldham-sg-1"],
        ["--subgroup", "oldham-sg-2", "--reverse", "--limit", "3"], ["--type", "WorkshopHeld"],
        ["--type", "EventRetracted"], ["--type", "member-details-changed", "--reverse"],
        ["--type", "CoachingSessionHeld", "--collaborative", "worcestershire"],
        ["--from", "2020-01-01", "--to", "2021-06-30"], ["--from", "2023-01-01", "--collaborative", "east-sussex"],
        ["--recorded-since", "2025-09-02"], ["--recorded-since", "2025-09-02", "--collaborative", "oldham"],
        ["--collaborative", "oldham", "--member", "staff-1", "--type", "WorkshopHeld"],
        ["--reverse", "--limit", "7", "--type", "EventRetracted"],
    ]

    /// The digest of each query's normalised output (table, then JSON), recorded before the change.
    static let recorded: [String: String] = [
        "": "9dd2f260c08f0373",
        "--collaborative east-sussex --reverse --limit 25": "4337b1970835599e",
        "--collaborative east-sussex --reverse --limit 25 --json": "f0c10e57bdc73990",
        "--collaborative oldham": "71143befe6214aef",
        "--collaborative oldham --json": "cae759dbf6488958",
        "--collaborative oldham --limit 30": "9ee22c678262f4bf",
        "--collaborative oldham --limit 30 --json": "b98d34bee71a66ce",
        "--collaborative oldham --member staff-1 --type WorkshopHeld": "cb897ccceec709db",
        "--collaborative oldham --member staff-1 --type WorkshopHeld --json": "da28ab2e89f2e972",
        "--collaborative worcestershire --reverse": "4ffb941aa6edd6c6",
        "--collaborative worcestershire --reverse --json": "5d04ed83ed8c75c5",
        "--from 2020-01-01 --to 2021-06-30": "aca329ac37e70c87",
        "--from 2020-01-01 --to 2021-06-30 --json": "f34ebdf832a873b2",
        "--from 2023-01-01 --collaborative east-sussex": "d8d2cd1015abbebe",
        "--from 2023-01-01 --collaborative east-sussex --json": "e15b5c56a1d3c448",
        "--json": "bd85c9cc45dfbf6b",
        "--limit 40": "38b5209a2dc29771",
        "--limit 40 --json": "94acfda78ff61d38",
        "--member east-sussex-m11": "9b46d73f944ea227",
        "--member east-sussex-m11 --json": "b978a9d3016e6d42",
        "--member oldham-m2": "99263216b0efab1",
        "--member oldham-m2 --json": "6c0cafd2d55055e4",
        "--member staff-1": "653ecff877967462",
        "--member staff-1 --json": "6dd5d7c5c9566b6c",
        "--member worcestershire-m22 --reverse": "c4e4c159b92b9980",
        "--member worcestershire-m22 --reverse --json": "8fb48c2c4c74c9e6",
        "--recorded-since 2025-09-02": "f530828df321b527",
        "--recorded-since 2025-09-02 --collaborative oldham": "53e7cd431473eeba",
        "--recorded-since 2025-09-02 --collaborative oldham --json": "9308e73a7670b30c",
        "--recorded-since 2025-09-02 --json": "980d9a464da9c2a3",
        "--reverse": "cf52545321cd203b",
        "--reverse --json": "e612d805fd32c97e",
        "--reverse --limit 40": "bb209644fa4e826a",
        "--reverse --limit 40 --json": "eaeececadc579750",
        "--reverse --limit 7 --type EventRetracted": "fac4a39b4617a3ce",
        "--reverse --limit 7 --type EventRetracted --json": "cd3b422a041b1ca8",
        "--subgroup oldham-sg-1": "83f7e2c61ca7da08",
        "--subgroup oldham-sg-1 --json": "23b71c684b75eeda",
        "--subgroup oldham-sg-2 --reverse --limit 3": "9c96fe56eef0e317",
        "--subgroup oldham-sg-2 --reverse --limit 3 --json": "dd415a04dfdaded1",
        "--type CoachingSessionHeld --collaborative worcestershire": "4c3c6037fa9c0bc3",
        "--type CoachingSessionHeld --collaborative worcestershire --json": "acaedbb73e42e773",
        "--type EventRetracted": "db2fb5453361a27a",
        "--type EventRetracted --json": "835b80193838a429",
        "--type WorkshopHeld": "b601ba20cd1b06c4",
        "--type WorkshopHeld --json": "acf225771167c90a",
        "--type member-details-changed --reverse": "2f5983b0d8e18594",
        "--type member-details-changed --reverse --json": "d0f6e3a69d46936f",
    ]

    /// The same, recorded on PostgreSQL (its store writes other bytes: other hashes, sealed text and times).
    static let recordedOnPostgres: [String: String] = [
        "": "92aedad9858532a9",
        "--collaborative east-sussex --reverse --limit 25": "70b9586b918b56f4",
        "--collaborative east-sussex --reverse --limit 25 --json": "bdb8e23e107cf4a6",
        "--collaborative oldham": "2edc445dfcaad9db",
        "--collaborative oldham --json": "1371d114c835ed76",
        "--collaborative oldham --limit 30": "1176d77f3b39529d",
        "--collaborative oldham --limit 30 --json": "4a3e6965d49987c4",
        "--collaborative oldham --member staff-1 --type WorkshopHeld": "40bf4c1492ebbcf7",
        "--collaborative oldham --member staff-1 --type WorkshopHeld --json": "7c3c01f94aac7d42",
        "--collaborative worcestershire --reverse": "8aafcb7abc67ee42",
        "--collaborative worcestershire --reverse --json": "72023fa02a6057f",
        "--from 2020-01-01 --to 2021-06-30": "67e163cdcb26fb37",
        "--from 2020-01-01 --to 2021-06-30 --json": "45befc307d85ac36",
        "--from 2023-01-01 --collaborative east-sussex": "dac5f55f3e098c92",
        "--from 2023-01-01 --collaborative east-sussex --json": "dbef94dae592a1a",
        "--json": "e7c7a308220ed023",
        "--limit 40": "7f518465f6da6a3",
        "--limit 40 --json": "5d55605630d0018e",
        "--member east-sussex-m11": "e4fb83cd8ec2b11",
        "--member east-sussex-m11 --json": "89e1717a2e201454",
        "--member oldham-m2": "2b123791b4f7972f",
        "--member oldham-m2 --json": "eac5fe22cdbbc532",
        "--member staff-1": "78d27c3fe5bac974",
        "--member staff-1 --json": "f544dbfbd60103b8",
        "--member worcestershire-m22 --reverse": "9f44ff64c6a7d084",
        "--member worcestershire-m22 --reverse --json": "246c07008935b3de",
        "--recorded-since 2025-09-02": "6c27c6495f464f1b",
        "--recorded-since 2025-09-02 --collaborative oldham": "3bd9e93c5a3a33f6",
        "--recorded-since 2025-09-02 --collaborative oldham --json": "e75bc1c07684e97c",
        "--recorded-since 2025-09-02 --json": "83f862905fd09013",
        "--reverse": "f96f086f3ce908c1",
        "--reverse --json": "b48b44868b5239f4",
        "--reverse --limit 40": "d9072a99a878ce40",
        "--reverse --limit 40 --json": "311cd6c521e84bc8",
        "--reverse --limit 7 --type EventRetracted": "5ec941d9d6c91526",
        "--reverse --limit 7 --type EventRetracted --json": "b1be120d2a16cc74",
        "--subgroup oldham-sg-1": "a02221c8ba1ded94",
        "--subgroup oldham-sg-1 --json": "2247b181a96710ca",
        "--subgroup oldham-sg-2 --reverse --limit 3": "9e927be493b32c3b",
        "--subgroup oldham-sg-2 --reverse --limit 3 --json": "30a18091d220c181",
        "--type CoachingSessionHeld --collaborative worcestershire": "ac004ba21291d211",
        "--type CoachingSessionHeld --collaborative worcestershire --json": "e203e8ce2235609d",
        "--type EventRetracted": "8dc0826c2b92ba92",
        "--type EventRetracted --json": "5559ba2f883cadd7",
        "--type WorkshopHeld": "73253620b689c694",
        "--type WorkshopHeld --json": "eb9db6140feef49a",
        "--type member-details-changed --reverse": "c8e42b1aa0ee372a",
        "--type member-details-changed --reverse --json": "7c7dbfaf3665cc83",
    ]

    /// The generated history, then corrections (a rename and a workshop) and a plain retraction recorded a
    /// day later.
    static func history() async throws -> Sandbox {
        let sandbox = try await Sandbox.initialised()
        let path = sandbox.root.appendingPathComponent("history.ndjson").path
        try await sandbox.succeed(["generate", "--events", "2500", "--seed", "11", "--out", path])
        let generated = try String(contentsOfFile: path, encoding: .utf8)
        try await sandbox.importNDJSON(generated, now: "2025-09-01T10:00:00Z")
        let lines = generated.split(separator: "\n")
        func line(_ type: String, containing text: String) throws -> Substring {
            try #require(lines.first { $0.contains("\"type\":\"\(type)\"") && $0.contains(text) })
        }
        func id(of line: Substring) throws -> String {
            let start = try #require(line.range(of: "\"id\":\"")).upperBound
            return String(line[start...].prefix(36))
        }
        let rename = try line("MemberDetailsChanged", containing: "\"name\":")
        let workshop = try line("WorkshopHeld", containing: "\"attendees\":[\"")
        let retracted = try line("MemberDetailsChanged", containing: "worcestershire")
        func retraction(_ number: Int, of target: Substring) throws -> String {
            #"{"id":"00000000-0000-4000-8000-00000000010\#(number)","type":"EventRetracted","occurredAt":"2025-09-02","data":{"event":"\#(try id(of: target))","reason":"entered wrongly"}}"#
        }
        func replacement(_ number: Int, of target: Substring, replacing old: String, with new: String) throws
            -> String
        {
            let start = try #require(target.range(of: "\"type\":")).lowerBound
            return #"{"id":"00000000-0000-4000-8000-00000000020\#(number)","#
                + String(target[start...]).replacingOccurrences(of: old, with: new)
        }
        let renameCorrection = [
            try retraction(1, of: rename),
            try replacement(1, of: rename, replacing: "\"name\":\"", with: "\"name\":\"Corrected "),
        ]
        try await sandbox.importNDJSON(renameCorrection.joined(separator: "\n"), now: "2025-09-02T09:00:00Z")
        let workshopCorrection = [
            try retraction(2, of: workshop),
            try replacement(2, of: workshop, replacing: "\"title\":\"", with: "\"title\":\"Corrected "),
        ]
        try await sandbox.importNDJSON(workshopCorrection.joined(separator: "\n"), now: "2025-09-02T10:00:00Z")
        try await sandbox.importNDJSON(try retraction(3, of: retracted), now: "2025-09-03T10:00:00Z")
        return sandbox
    }

    /// `text` with what differs from one run to the next replaced: hashes and the sealed text of erased
    /// members (personal data is sealed with a fresh key), and ids by the order they first appear in.
    static func normalised(_ text: String) -> String {
        var ordinals: [String: Int] = [:]
        var text = text.replacing(/[0-9a-f]{64}/) { _ in "HASH" }
        text = text.replacing(/"[A-Za-z0-9+\/]{16,}={0,2}"/) { _ in "SEALED" }
        text = text.replacing(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) { match in
            let id = String(match.output)
            let ordinal = ordinals[id] ?? ordinals.count
            ordinals[id] = ordinal
            return "ID\(ordinal)"
        }
        return text
    }

    @Test(.timeLimit(.minutes(10)))
    func everyFilterPrintsWhatTheWholeLogImplementationPrinted() async throws {
        let sandbox = try await Self.history()
        var digests: [String: String] = [:]
        for filters in Self.queries {
            for json in [false, true] {
                let arguments = ["log"] + filters + (json ? ["--json"] : [])
                let result = try await sandbox.succeed(arguments)
                let key = arguments.dropFirst().joined(separator: " ")
                if key.isEmpty {
                    // The history holds what the links print: corrections, a plain retraction, erasures.
                    for mark in ["replaced by seq", "[replaces seq", "[retracted] (by seq", "PersonalDataErased"] {
                        #expect(result.stdout.contains(mark), "\(mark)")
                    }
                }
                digests[key] = Self.digest(Self.normalised(result.stdout))
            }
        }
        let listing = digests.sorted { $0.key < $1.key }.map { "        \"\($0.key)\": \"\($0.value)\"," }
        #expect(
            digests == (Backend.current == .postgres ? Self.recordedOnPostgres : Self.recorded),
            "\n\(listing.joined(separator: "\n"))")
        #expect(digests.count == Self.queries.count * 2)
    }

    /// A 64-bit FNV-1a of `text`'s UTF-8, in hex: enough to tell two outputs apart.
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
