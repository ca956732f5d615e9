import Foundation
import Testing

/// A store written by an earlier build (binary layout 1: organisations stored in clear) stays readable, verifiable
/// and restorable byte for byte by this one. The fixture was exported by the build before layout 2 (commit
/// 10dcec5), not made by today's code, so these tests cannot drift along with what they check.
@Suite struct EarlierStoreTests {
    /// Six events: a collaborative, two members with organisations (ol-2 erased after leaving), and a details
    /// change of ol-1 that names only an organisation.
    static func fixture() throws -> String {
        try String(
            contentsOf: Locations.packageRoot.appendingPathComponent(
                "Tests/Fixtures/export-before-binary-layout-2.ndjson"),
            encoding: .utf8)
    }

    static let now = "2024-06-02T09:00:00Z"

    @Test func anExportOfTheEarlierLayoutRestoresVerifiesAndExportsByteForByte() async throws {
        let exported = try Self.fixture()
        let copy = try await Sandbox.initialised()
        let report = try await copy.importNDJSON(exported, now: Self.now)
        #expect(report.restored && report.appended == 6)
        #expect(try await copy.verify().sound)
        #expect(Data(try await copy.export().utf8) == Data(exported.utf8))
    }

    @Test func theEarlierLayoutsOrganisationsReadAsStoredAndAnErasedOneIsShownNowhere() async throws {
        let copy = try await Sandbox.initialised()
        _ = try await copy.importNDJSON(try Self.fixture(), now: Self.now)
        let log = try await copy.succeed(["log"], now: Self.now).stdout
        #expect(log.contains("Oldham Sixth Form") && log.contains("Hathershaw College"), "\(log)")
        #expect(!log.contains("Coppice Primary") && !log.contains("Alex Jones"), "\(log)")
        let replay = try await copy.succeed(["replay", "--as-of", "2022-02-01", "--json"], now: Self.now).stdout
        #expect(replay.contains("Oldham Sixth Form") && !replay.contains("Coppice Primary"), "\(replay)")
    }

    @Test(.lmdbOnly("reads the bytes of data.mdb"))
    func anEventAppendedAfterTheEarlierLayoutSealsItsOrganisation() async throws {
        let copy = try await Sandbox.initialised()
        _ = try await copy.importNDJSON(try Self.fixture(), now: Self.now)
        try await copy.record(
            [
                "member-details-changed", "--member", "ol-1", "--organisation", "Failsworth School", "--on",
                "2023-01-09",
            ],
            now: Self.now)
        let data = try Data(contentsOf: copy.store.appendingPathComponent("data.mdb"))
        #expect(data.range(of: Data("Failsworth School".utf8)) == nil)
        #expect(try await copy.succeed(["log"], now: Self.now).stdout.contains("Failsworth School"))
        #expect(try await copy.verify().sound)
    }

    @Test(.lmdbOnly("edits the format number in data.mdb"))
    func aStoreWrittenByANewerChronicleIsRefusedWithExitCode74AndLeftAsItIs() async throws {
        let sandbox = try await Sandbox.initialised()
        let dataFile = sandbox.store.appendingPathComponent("data.mdb")
        // The `meta` entry "format" is its key followed by the big-endian number (LMDB keeps no checksum):
        // every copy of it in the file, the live one included, says format 4.
        let current = Data("format".utf8) + Data([0, 0, 0, 3])
        var data = try Data(contentsOf: dataFile)
        var replaced = 0
        while let range = data.range(of: current) {
            data.replaceSubrange(range, with: Data("format".utf8) + Data([0, 0, 0, 4]))
            replaced += 1
        }
        #expect(replaced > 0, "the format entry was not found in data.mdb")
        try data.write(to: dataFile)
        for command in [["log"], ["verify"]] {
            let result = try await sandbox.run(command)
            #expect(result.status == 74, "\(result)")
            #expect(result.stdout.isEmpty && result.stderrLines.count == 1, "\(result)")
            #expect(result.stderr.contains("store format 4 was written by a newer Chronicle"), "\(result)")
        }
        #expect(try Data(contentsOf: dataFile) == data, "the store is left as it was")
    }
}
