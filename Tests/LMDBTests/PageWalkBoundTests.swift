import Foundation
import Testing

@testable import LMDB

@Suite struct PageWalkBoundTests {
    /// A damaged meta page naming a last page far past the file must not size the walk's memory: the walk
    /// keeps a bit a page of the file, not of the last page (2^45 pages here would want 4 TiB of bits).
    @Test func aMetaPageNamingALastPageFarPastTheFileIsReportedWithoutABitPerPageOfIt() throws {
        try withTemporaryDirectory { path in
            do {
                let environment = try Environment(path: path, options: .init(mapSize: 16 << 20, noSync: true))
                let values = try environment.openDatabase("values")
                try environment.write { txn in try txn.put(values, key: Array("key".utf8), value: [1, 2, 3]) }
            }
            let url = URL(fileURLWithPath: path + "/data.mdb")
            var file = try Data(contentsOf: url)
            let pageSize = Int(file[40]) | Int(file[41]) << 8 | Int(file[42]) << 16  // md_pad of meta 0's free list
            for meta in 0..<2 {
                let offset = meta * pageSize + 136  // mm_last_pg (the meta after the 16-byte page header)
                for byte in 0..<8 { file[offset + byte] = UInt8(truncatingIfNeeded: (1 << 45) >> (8 * byte)) }
            }
            try file.write(to: url)
            let descriptor = open(path + "/data.mdb", O_RDONLY | O_CLOEXEC)
            try #require(descriptor >= 0)
            defer { close(descriptor) }
            var atOpen = PageHeaderWalk(descriptor: descriptor, pageSize: pageSize, snapshot: 0)
            #expect(try atOpen.pagesPastTheEndProblem()?.contains("past the file's end, is in use") == true)
            var inVerify = PageHeaderWalk(descriptor: descriptor, pageSize: pageSize, snapshot: 0)
            #expect(try inVerify.run()?.contains("past the file's end, is in use") == true)
        }
    }
}
