import EventLog
import Foundation
import Testing

@testable import ChronicleCLI

@Suite struct VerifyReadFailureTests {
    /// `verify` walks every page of an LMDB store with `pread` on liblmdb's descriptor. A read there that fails
    /// (here that descriptor replaced, with `dup2`, by one open for writing only: `EBADF`; a failing disk's
    /// `EIO` alike) is an I/O error: exit 74 with the page and the system's words, not a fault of the store.
    /// (In process: a `chronicle` run by an end-to-end test opens its own descriptor, which no test can make
    /// fail.)
    @Test func aPageThatVerifyCannotReadExits74WithTheSystemsWords() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("verify-read-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try LMDBEventStore(directory: path, create: true)
        let store = try LMDBEventStore(directory: path, options: .init(readOnly: true))
        let dataFile = URL(fileURLWithPath: path + "/data.mdb").resolvingSymlinksInPath().path
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap { name in
            Int32(name).flatMap { descriptor in
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)")) == dataFile
                    ? descriptor : nil
            }
        }
        try #require(descriptors.count == 1, "a read-only store opens data.mdb once")
        let writeOnly = open(dataFile, O_WRONLY | O_CLOEXEC)
        try #require(writeOnly >= 0)
        defer { close(writeOnly) }
        try #require(dup2(writeOnly, descriptors[0]) == descriptors[0])
        #expect {
            _ = try store.verify()
        } throws: { error in
            let reported = CLIError.from(error)
            return reported.status == .ioError
                && reported.message.contains("page 0 of the store's file cannot be read: Bad file descriptor")
        }
    }
}
