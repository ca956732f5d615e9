import Testing

@testable import LMDB

/// Where `data.mdb` is mapped is read from the bytes of `/proc/self/maps` (the checks of what LMDB returns
/// and the release of mapped pages rely on it).
@Suite struct ProcessMapsTests {
    static let maps = Array(
        """
        55d0c0a00000-55d0c0a01000 r--p 00000000 fd:01 1234                       /usr/bin/chronicle
        7f3a10000000-7f3a50000000 r--s 00000000 fd:01 5678                       /tmp/store/data.mdb
        7f3a50000000-7f3a50001000 rw-s 00000000 fd:01 5679                       /tmp/store/lock.mdb
        7f3a60000000-7f3a60002000 r--s 00000000 fd:01 9999                       /tmp/other/tmp/store/data.mdb
        7f3a70000000-7f3a70004000 r--s 00001000 fd:01 5678                       /tmp/store/data.mdb
        7f3a80000000-7f3a80004000 r--s 00000000 fd:01 5678                       /tmp/store/data.mdb (deleted)
        zz-7f3a90001000 r--s 00000000 fd:01 5678                                 /tmp/store/data.mdb
        7f3aa0001000-7f3aa0000000 r--s 00000000 fd:01 5678                       /tmp/store/data.mdb
        7FFF00000000-7FFF00010000 r--s 00000000 fd:01 5678                       /tmp/store/data.mdb
        """.utf8)

    @Test func theDataFilesMappingsAreItsLinesAddressRangesAndNoOtherFiles() {
        let found = Environment.mappings(of: "/tmp/store/data.mdb", inMaps: Self.maps)
        #expect(found.map(\.start) == [0x7f3a_1000_0000, 0x7f3a_7000_0000, 0x7FFF_0000_0000])
        #expect(found.map(\.length) == [0x4000_0000, 0x4000, 0x10000])
    }

    @Test func aFileThatIsNotMappedHasNoMappingsAndAMissingLastNewlineLosesNoLine() {
        #expect(Environment.mappings(of: "/tmp/absent/data.mdb", inMaps: Self.maps).isEmpty)
        #expect(Environment.mappings(of: "/tmp/store/data.mdb", inMaps: []).isEmpty)
        let last = Environment.mappings(of: "/tmp/store/data.mdb", inMaps: Self.maps + Array("\n".utf8))
        #expect(last.count == 3)
    }

    @Test func thisProcessesMapsListTheStoreItOpened() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let found = try environment.read { _ in environment.dataFileMappings() }
            #expect(!found.isEmpty)
        }
    }
}
