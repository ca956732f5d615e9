import FileSystem
import Foundation
import Testing

/// The one layer that talks to the file system: what it does, and errors that read well.
@Suite struct FileSystemTests {
    /// Runs `body` with a fresh directory, removed afterwards.
    private func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fs-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    @Test func errorsNameTheActionThePathAndTheSystemsReason() throws {
        try withDirectory { directory in
            let path = FileSystem.joined(directory, "missing/store")
            let error = try #require(throws: FileSystemError.self) { try FileSystem.createDirectory(path) }
            #expect(error.description == "cannot create the directory \(path): No such file or directory")
            #expect(error.errno == .noSuchFileOrDirectory && !error.isPermissionDenied)
            let rename = try #require(throws: FileSystemError.self) {
                try FileSystem.rename(FileSystem.joined(directory, "a"), to: FileSystem.joined(directory, "b"))
            }
            #expect(rename.description.hasPrefix("cannot move \(directory)/a to \(directory)/b: No such file"))
        }
    }

    @Test func aDirectoryIsCreatedOwnerOnlyAndOnlyOnce() throws {
        try withDirectory { directory in
            let path = FileSystem.joined(directory, "store")
            #expect(try FileSystem.createDirectory(path))
            #expect(try !FileSystem.createDirectory(path))
            let status = try #require(try FileSystem.status(of: path))
            #expect(status.kind == .directory && status.permissions == .ownerReadWriteExecute)
            let nested = FileSystem.joined(directory, "a/b/c")
            try FileSystem.createDirectories(nested)
            #expect(try FileSystem.status(of: nested)?.kind == .directory)
        }
    }

    @Test func statusTellsKindAndSizeAndNothingForAMissingPath() throws {
        try withDirectory { directory in
            let file = FileSystem.joined(directory, "file")
            try Data("12345".utf8).write(to: URL(fileURLWithPath: file))
            let link = FileSystem.joined(directory, "link")
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "file")
            #expect(try FileSystem.status(of: file)?.kind == .regularFile)
            #expect(try FileSystem.status(of: link)?.kind == .regularFile)
            #expect(try FileSystem.status(of: link, followingLink: false)?.kind == .symbolicLink)
            #expect(try FileSystem.linkDestination(of: link) == "file")
            #expect(try FileSystem.status(of: FileSystem.joined(directory, "none")) == nil)
            #expect(FileSystem.size(of: file) == 5 && !FileSystem.exists(FileSystem.joined(directory, "none")))
        }
    }

    @Test func anUnnamedFileAppearsOnlyWhenLinked() throws {
        try withDirectory { directory in
            let descriptor = try #require(FileSystem.createUnnamedFile(in: directory, permissions: .ownerReadWrite))
            #expect(Array("kept".utf8).withUnsafeBytes { FileSystem.writeAll($0, to: descriptor) } == nil)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [])
            let path = FileSystem.joined(directory, "named")
            try FileSystem.link(descriptor, as: path)
            try FileSystem.syncAndClose(descriptor, path: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "kept")
            #expect(try FileSystem.status(of: path)?.permissions == .ownerReadWrite)
        }
    }

    @Test func aCreatedFileIsNewAndGetsItsModeFromTheStart() throws {
        try withDirectory { directory in
            let path = FileSystem.joined(directory, "data.mdb.partial")
            let descriptor = try FileSystem.createFile(path, permissions: .ownerReadWrite)
            #expect(try FileSystem.status(of: path)?.permissions == .ownerReadWrite)
            try FileSystem.syncAndClose(descriptor, path: path)
            let again = try #require(throws: FileSystemError.self) {
                try FileSystem.createFile(path, permissions: .ownerReadWrite)
            }
            #expect(again.description == "cannot create \(path): File exists")
            try FileSystem.rename(path, to: FileSystem.joined(directory, "data.mdb"))
            #expect(FileSystem.removeFile(FileSystem.joined(directory, "data.mdb")))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [])
        }
    }

    @Test func aDirectoryListsItsNamesAndATreeIsRemovedWithoutFollowingALinkOut() throws {
        try withDirectory { directory in
            let tree = FileSystem.joined(directory, "staging")
            let outside = FileSystem.joined(directory, "outside")
            try FileSystem.createDirectories(FileSystem.joined(tree, "inner"))
            try FileSystem.createDirectory(outside)
            try Data("kept".utf8).write(to: URL(fileURLWithPath: FileSystem.joined(outside, "file")))
            try Data("x".utf8).write(to: URL(fileURLWithPath: FileSystem.joined(tree, "data.mdb")))
            try FileManager.default.createSymbolicLink(
                atPath: FileSystem.joined(tree, "link"), withDestinationPath: outside)
            #expect(try Set(FileSystem.contentsOfDirectory(tree)) == ["inner", "data.mdb", "link"])
            #expect(FileSystem.removeTree(tree))
            #expect(!FileSystem.exists(tree))
            #expect(try FileSystem.contentsOfDirectory(outside) == ["file"])
            let error = try #require(throws: FileSystemError.self) { try FileSystem.contentsOfDirectory(tree) }
            #expect(error.description == "cannot read the directory \(tree): No such file or directory")
        }
    }

    @Test func aScratchFileLeavesNoNameAndReadsBackWhatWasWritten() throws {
        try withDirectory { directory in
            let file = try FileSystem.createScratchFile(in: directory)
            defer { try? file.close() }
            #expect(try FileSystem.contentsOfDirectory(directory) == [])
            _ = try file.writeAll(toAbsoluteOffset: 0, Array("spilled".utf8))
            var bytes = [UInt8](repeating: 0, count: 7)
            let count = try bytes.withUnsafeMutableBytes { try file.read(fromAbsoluteOffset: 0, into: $0) }
            #expect(count == 7 && bytes == Array("spilled".utf8))
            let missing = FileSystem.joined(directory, "missing")
            let error = try #require(throws: FileSystemError.self) { try FileSystem.createScratchFile(in: missing) }
            #expect(error.description == "cannot create a temporary file in \(missing): No such file or directory")
        }
    }
}
