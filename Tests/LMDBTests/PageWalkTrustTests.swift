import CLMDB
import Foundation
import Synchronization
import Testing

@testable import LMDB

/// Runs `body` with the path of a store holding one value, written and closed.
private func withSmallStore(_ body: (String) throws -> Void) throws {
    try withTemporaryDirectory { path in
        do {
            let environment = try Environment(path: path, options: .init(mapSize: 16 << 20, noSync: true))
            let values = try environment.openDatabase("values")
            try environment.write { txn in try txn.put(values, key: bytes("key"), value: [1, 2, 3]) }
        }
        try body(path)
    }
}

/// Replaces descriptor `descriptor` (liblmdb's, on `path`'s `data.mdb`) with one open on the same file for
/// writing only, on which `pread` fails with `EBADF`: a read of the file that fails, through the walk's own
/// call, while liblmdb's map (made at the open) still reads.
private func makeUnreadable(_ descriptor: Int32, _ path: String) -> Bool {
    let writeOnly = open(path + "/data.mdb", O_WRONLY | O_CLOEXEC)
    guard writeOnly >= 0 else { return false }
    defer { close(writeOnly) }
    return dup2(writeOnly, descriptor) == descriptor
}

/// The read transactions registered in `env`'s reader table by this process (`mdb_reader_list`: a line per
/// slot in use, `pid thread txnid`, the txnid `-` for a slot kept between transactions).
private func activeReaders(_ env: OpaquePointer) -> Int {
    var lines: [String] = []
    withUnsafeMutablePointer(to: &lines) { pointer in
        _ = mdb_reader_list(
            env,
            { message, context in
                guard let message, let context else { return -1 }
                context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: message))
                return 0
            }, pointer)
    }
    return lines.filter { line in
        let fields = line.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return fields.count == 3 && fields[0] == "\(getpid())" && fields[2] != "-"
    }.count
}

/// What a test's hook saw, shared with the hook (which must be `Sendable`).
private final class Seen: Sendable {
    let readers = Mutex<[Int]>([])
}

@Suite struct PageWalkTrustTests {
    /// A failing `pread` says nothing of the store's pages: both walks (verify's and the open's) throw it with
    /// its `errno` and the system's words, instead of returning it as a damaged page.
    @Test func aReadOfTheFileThatFailsIsAReadFailureWithTheSystemsWordsNotDamage() throws {
        try withSmallStore { path in
            let file = try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb"))
            let pageSize = Int(file[40]) | Int(file[41]) << 8 | Int(file[42]) << 16  // md_pad of meta 0's free list
            let writeOnly = open(path + "/data.mdb", O_WRONLY | O_CLOEXEC)
            try #require(writeOnly >= 0)
            defer { close(writeOnly) }
            let isReadFailure: (any Error) -> Bool = { error in
                guard let failure = error as? PageHeaderWalk.ReadFailure else { return false }
                return failure.code == EBADF
                    && failure.problem == "page 0 of the store's file cannot be read: Bad file descriptor"
            }
            var inVerify = PageHeaderWalk(descriptor: writeOnly, pageSize: pageSize, snapshot: 0)
            #expect(performing: { try inVerify.run() }, throws: isReadFailure)
            var atOpen = PageHeaderWalk(descriptor: writeOnly, pageSize: pageSize, snapshot: 0)
            #expect(performing: { try atOpen.pagesPastTheEndProblem() }, throws: isReadFailure)
        }
    }

    /// `verify`'s walk reads liblmdb's own descriptor: a read of it that fails is thrown as the system error it
    /// is (the CLI's exit 74), naming the page and the reason, not reported as a damaged page (exit 1).
    @Test func checkPageHeadersThrowsAFailedReadAsASystemErrorNamingThePage() throws {
        try withSmallStore { path in
            let environment = try Environment(path: path, options: .init(readOnly: true))
            let descriptors = try dataFileDescriptors(path)
            try #require(descriptors.count == 1)
            try #require(makeUnreadable(descriptors[0], path))
            #expect {
                try environment.checkPageHeaders()
            } throws: { error in
                guard let error = error as? LMDBError else { return false }
                return error.isSystemError && error.code == EIO
                    && error.description
                        == "cannot read the store at \(path): page 0 of the store's file cannot be read: "
                        + "Bad file descriptor"
            }
        }
    }

    /// A store whose file ends before its last page is walked at the open: a read that fails there is an I/O
    /// error with the system's words, not a refusal of the store as truncated.
    @Test func aReadThatFailsWhileTheOpenWalksAShortFileIsAnIOErrorNotATruncation() throws {
        try withUnwrittenFreeTail { path in
            let hook: @Sendable (OpaquePointer) -> Void = { env in
                var descriptor: Int32 = -1
                guard mdb_env_get_fd(env, &descriptor) == MDB_SUCCESS else { return }
                _ = makeUnreadable(descriptor, path)
            }
            #expect {
                try Environment.$openWalkMetaRead.withValue(hook) {
                    _ = try Environment(path: path, options: .init(readOnly: true))
                }
            } throws: { error in
                guard let error = error as? LMDBError else { return false }
                return error.code == EIO && !error.description.contains("truncated")
                    && error.description.contains("cannot be read: Bad file descriptor")
            }
        }
    }

    /// A read refused with `EACCES` or `EPERM` is a failed read, not a refusal to write: it comes out with the
    /// code of an I/O error (the errno's words kept), so the open does not take it for a store it may only read
    /// (its read-only retry keys on those codes, then drops the lock) and the CLI exits 74, not 77.
    @Test func aReadRefusedForWantOfRightsIsAnIOErrorNotAPermission() {
        for code in [EACCES, EPERM, EIO] {
            let problem = "page 3 of the store's file cannot be read: \(String(cString: strerror(code)))"
            let error = Environment.readError(.init(problem: problem, code: code), path: "/s")
            #expect(error.code == EIO)
            #expect(error.description == "cannot read the store at /s: \(problem)")
        }
    }

    /// A data file whose size cannot be had (`fstat` failing) is an I/O error at the open, never a file taken
    /// to hold every page: a truncated store would then open, and its first read past the end kill the process.
    @Test func aDataFileThatCannotBeSizedIsAnIOErrorNotAFileHoldingEveryPage() throws {
        try withSmallStore { path in
            let environment = try Environment(path: path, options: .init(readOnly: true))
            #expect {
                _ = try Environment.shortfall(environment.handle, -1, path: path)
            } throws: { error in
                guard let error = error as? LMDBError else { return false }
                return error.code == EIO
                    && error.description
                        == "cannot read the store at \(path): the store's file cannot be sized: Bad file descriptor"
            }
        }
    }

    /// The open walks the free list of a file shorter than its last page inside a read transaction: its
    /// reader keeps a writer in another process from reusing the pages the walk reads (two commits meanwhile
    /// would otherwise let it), which would make a sound store look truncated.
    @Test func theOpenWalksAShortFileWithAReaderRegistered() throws {
        try withUnwrittenFreeTail { path in
            let seen = Seen()
            let hook: @Sendable (OpaquePointer) -> Void = { env in
                let count = activeReaders(env)
                seen.readers.withLock { $0.append(count) }
            }
            try Environment.$openWalkMetaRead.withValue(hook) {
                _ = try Environment(path: path, options: .init(readOnly: true))
            }
            #expect(seen.readers.withLock { $0 } == [1])
        }
    }

    /// The race the read transaction closes: a writer in another process commits five times while the open
    /// walks the free list of a short file (after the walk has read the meta page). Without a reader, liblmdb
    /// reuses the pages the snapshot's free list was on from the third commit on, and the walk reads another
    /// transaction's pages: a sound store refused as truncated. With it, the open succeeds. The open runs on
    /// a thread of its own, waiting in the hook, so that no thread of the tests' pool is held meanwhile.
    @Test func aWriterCommittingWhileTheOpenWalksAShortFileCannotMakeItLookTruncated() async throws {
        try await withTemporaryDirectory { path in
            try writeUnwrittenFreeTail(in: path)
            let walking = DispatchSemaphore(value: 0)
            let committed = DispatchSemaphore(value: 0)
            let outcome = Outcome()
            let opening = Thread {
                let hook: @Sendable (OpaquePointer) -> Void = { _ in
                    walking.signal()
                    committed.wait()
                }
                do {
                    let environment = try Environment.$openWalkMetaRead.withValue(hook) {
                        try Environment(path: path, options: .init(readOnly: true))
                    }
                    let values = try environment.openDatabase("values", flags: [])
                    let value = try environment.read { txn in try txn.get(values, key: bytes("key-4")) }
                    outcome.result.withLock { $0 = value == [UInt8](repeating: 3, count: 90) ? "opened" : "no key-4" }
                } catch {
                    outcome.result.withLock { $0 = "\(error)" }
                }
                outcome.done.signal()
            }
            opening.start()
            #expect(await waiting(for: walking), "the open walks the short file")
            await #expect(processExitsWith: .success) { [path = path as String] in
                let environment = try Environment(path: path, options: .init(mapSize: 64 << 20, noSync: true))
                let values = try environment.openDatabase("values", flags: [])
                for round in 0..<5 {
                    try environment.write { txn in
                        try txn.put(values, key: bytes("key-\(round)"), value: [UInt8](repeating: 3, count: 90))
                        try txn.put(values, key: bytes("big"), value: [UInt8](repeating: 5, count: 300_000))
                    }
                }
            }
            committed.signal()
            #expect(await waiting(for: outcome.done))
            #expect(outcome.result.withLock { $0 } == "opened")
        }
    }
}

/// How the open of a test's thread ended, and when.
private final class Outcome: Sendable {
    let result = Mutex<String?>(nil)
    let done = DispatchSemaphore(value: 0)
}

/// Whether `semaphore` is signalled within a minute, waited for on a thread outside the tests' pool.
private func waiting(for semaphore: DispatchSemaphore) async -> Bool {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(returning: semaphore.wait(timeout: .now() + 60) == .success)
        }
    }
}
