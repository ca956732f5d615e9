// Its types (`FileDescriptor`, `Errno`, `FilePermissions`) are part of this module's interface.
@_exported public import SystemPackage

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The file-system operations Chronicle needs, in one place: each a thin layer over one system call (named
/// in its documentation, as swift-system names its own) that throws a ``FileSystemError`` worded for users.
///
/// Paths are strings, as the rest of the code keeps them; descriptors are swift-system's
/// ``SystemPackage/FileDescriptor``.
public enum FileSystem {
    /// What a path names.
    public enum Kind: Sendable, Equatable {
        case regularFile, directory, symbolicLink, other
    }

    /// What `stat(2)` says of a path that exists.
    public struct Status: Sendable, Equatable {
        /// What the path names.
        public let kind: Kind
        /// The size in bytes.
        public let size: Int
        /// The permission bits.
        public let permissions: FilePermissions
    }

    /// The status of `path`, or nil when nothing is there (`ENOENT`, `ENOTDIR`); with `followingLink` false a
    /// symbolic link is described itself (`lstat(2)`), else what it leads to (`stat(2)`).
    public static func status(of path: String, followingLink: Bool = true) throws(FileSystemError) -> Status? {
        do {
            let found = try FilePath(path).stat(followTargetSymlink: followingLink)
            let kind: Kind =
                switch found.type {
                case .regular: .regularFile
                case .directory: .directory
                case .symbolicLink: .symbolicLink
                default: .other
                }
            return Status(kind: kind, size: Int(found.size), permissions: found.permissions)
        } catch {
            if error == .noSuchFileOrDirectory || error == .notDirectory { return nil }
            throw FileSystemError("cannot read", path, error)
        }
    }

    /// The size of the file at `path` in bytes, or nil when it cannot be read (not there yet).
    public static func size(of path: String) -> Int? { (try? status(of: path))?.size }

    /// The size in bytes of the open file `descriptor` (`fstat(2)`), or nil when it cannot be read. Unlike
    /// `lseek(descriptor, 0, SEEK_END)` it leaves the descriptor's offset alone: liblmdb 0.9 writes several pages
    /// with `lseek` then `writev` on its descriptor, so moving that offset while another thread commits would
    /// send the commit's pages to the wrong place.
    public static func size(ofOpenFile descriptor: Int32) -> Int? { try? sizeOfOpenFile(descriptor) }

    /// The size of the open file `descriptor` (as ``size(ofOpenFile:)``), or the system's reason it cannot be
    /// had: for a caller that must tell a file it cannot size from one that holds what it needs.
    public static func sizeOfOpenFile(_ descriptor: Int32) throws(FileSystemError) -> Int {
        do {
            return Int(try FileDescriptor(rawValue: descriptor).stat().size)
        } catch {
            throw FileSystemError("cannot size the open file", "\(descriptor)", Errno(error))
        }
    }

    /// Whether anything is at `path` (a link is followed).
    public static func exists(_ path: String) -> Bool { (try? status(of: path)) != nil }

    /// Creates the directory `path` with `permissions` (less the umask; `mkdir(2)`); returns false when
    /// something is there already (`EEXIST`).
    @discardableResult
    public static func createDirectory(_ path: String, permissions: FilePermissions = .ownerReadWriteExecute)
        throws(FileSystemError) -> Bool
    {
        if mkdir(path, permissions.rawValue) == 0 { return true }
        let reason = Errno.ofLastCall
        guard reason == .fileExists else { throw FileSystemError("cannot create the directory", path, reason) }
        return false
    }

    /// Creates the directory `path` and the missing ones above it, each with `permissions` (less the umask).
    public static func createDirectories(_ path: String, permissions: FilePermissions = .ownerReadWriteExecute)
        throws(FileSystemError)
    {
        var parent = FilePath(path)
        guard parent.removeLastComponent(), !parent.isEmpty, parent != FilePath(path) else {
            try createDirectory(path, permissions: permissions)
            return
        }
        if !exists(parent.string) { try createDirectories(parent.string, permissions: permissions) }
        try createDirectory(path, permissions: permissions)
    }

    /// Creates the file `path`, which must not exist (`O_CREAT | O_EXCL`), for writing, with `permissions`
    /// (less the umask) from the start (`open(2)`).
    public static func createFile(_ path: String, permissions: FilePermissions) throws(FileSystemError)
        -> FileDescriptor
    {
        do {
            return try FileDescriptor.open(
                FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                permissions: permissions)
        } catch {
            throw FileSystemError("cannot create", path, Errno(error))
        }
    }

    /// Creates a file in `directory` for reading and writing, mode 0600, and removes its name at once
    /// (`mkstemp(3)`, `unlink(2)`): scratch space that nothing outlives, whatever happens to the process.
    /// The error names the directory.
    public static func createScratchFile(in directory: String) throws(FileSystemError) -> FileDescriptor {
        var template = Array(joined(directory, "chronicle-scratch-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
        guard descriptor >= 0 else {
            throw FileSystemError("cannot create a temporary file in", directory, .ofLastCall)
        }
        guard unlink(String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)) == 0 else {
            let error = FileSystemError("cannot create a temporary file in", directory, .ofLastCall)
            close(descriptor)
            throw error
        }
        return FileDescriptor(rawValue: descriptor)
    }

    /// The names in the directory `path`, without `.` and `..`, in no particular order (`opendir(3)`,
    /// `readdir(3)`).
    public static func contentsOfDirectory(_ path: String) throws(FileSystemError) -> [String] {
        guard let directory = opendir(path) else {
            throw FileSystemError("cannot read the directory", path, .ofLastCall)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes `path`: a file or link, or a directory with everything in it (a link inside is removed, never
    /// followed). What cannot be removed stays; returns whether `path` is gone.
    @discardableResult
    public static func removeTree(_ path: String) -> Bool {
        if (try? status(of: path, followingLink: false))?.kind == .directory {
            for name in (try? contentsOfDirectory(path)) ?? [] { removeTree(joined(path, name)) }
            return removeEmptyDirectory(path)
        }
        return removeFile(path)
    }

    /// Opens the existing file `path` (a device, a FIFO) for writing as it is: not created, not truncated,
    /// never made the controlling terminal (`open(2)` with `O_NOCTTY`).
    public static func openForWriting(_ path: String) throws(FileSystemError) -> FileDescriptor {
        do {
            return try FileDescriptor.open(
                FilePath(path), .writeOnly, options: [.closeOnExec, FileDescriptor.OpenOptions(rawValue: O_NOCTTY)])
        } catch {
            throw FileSystemError("cannot open", path, Errno(error))
        }
    }

    /// Opens the existing file `path` for reading (`open(2)`).
    public static func openForReading(_ path: String) throws(FileSystemError) -> FileDescriptor {
        do {
            return try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        } catch {
            throw FileSystemError("cannot read", path, Errno(error))
        }
    }

    /// Makes what was written to `descriptor` (the file `path`) durable (`fsync(2)`) and closes it; the
    /// descriptor is closed whatever happens.
    public static func syncAndClose(_ descriptor: FileDescriptor, path: String) throws(FileSystemError) {
        let synced = fsync(descriptor.rawValue) == 0
        let reason = Errno.ofLastCall
        do {
            try descriptor.close()
        } catch {
            throw FileSystemError("cannot write", path, synced ? Errno(error) : reason)
        }
        if !synced { throw FileSystemError("cannot write", path, reason) }
    }

    /// Renames `source` to `destination`, replacing what is there in one step on one file system
    /// (`rename(2)`).
    public static func rename(_ source: String, to destination: String) throws(FileSystemError) {
        guard systemRename(source, destination) == 0 else {
            throw FileSystemError("cannot move \(source) to", destination, .ofLastCall)
        }
    }

    /// Sets the permission bits of `path` (`chmod(2)`).
    public static func setPermissions(_ path: String, _ permissions: FilePermissions) throws(FileSystemError) {
        guard chmod(path, permissions.rawValue) == 0 else {
            throw FileSystemError("cannot set the mode of", path, .ofLastCall)
        }
    }

    /// Removes the file `path` (`unlink(2)`); returns whether it did (clean-up paths ignore a failure).
    @discardableResult
    public static func removeFile(_ path: String) -> Bool { unlink(path) == 0 }

    /// Removes the empty directory `path` (`rmdir(2)`); returns whether it did.
    @discardableResult
    public static func removeEmptyDirectory(_ path: String) -> Bool { rmdir(path) == 0 }

    /// `path` followed by `component`, with one `/` between them.
    public static func joined(_ path: String, _ component: String) -> String {
        FilePath(path).appending(component).string
    }

    /// The directory part of `path` (`/a/b` for `/a/b/c`, `` for `c`).
    public static func directory(of path: String) -> String {
        var parent = FilePath(path)
        return parent.removeLastComponent() ? parent.string : ""
    }
}

/// `rename(2)`, out of the reach of ``FileSystem/rename(_:to:)``'s name.
private func systemRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }

extension FileSystem {
    /// Creates a file with no name in `directory`, for writing, with `permissions` (less the umask) (`open(2)`
    /// with `O_TMPFILE`): it gets a name only through ``link(_:as:)``, so a process that is killed while
    /// writing it leaves nothing behind. Nil where the system cannot make one (a file system without it, a
    /// kernel before 3.11, not Linux) or refuses: the caller then creates a named file, and reports its error.
    public static func createUnnamedFile(in directory: String, permissions: FilePermissions) -> FileDescriptor? {
        #if os(Linux)
            // Such a file gets its name through `/proc/self/fd` (``link(_:as:)``): without `/proc` mounted,
            // the caller writes a named file instead.
            guard access("/proc/self/fd", X_OK) == 0 else { return nil }
            // O_TMPFILE is `__O_TMPFILE | O_DIRECTORY`, a macro Swift does not import; `__O_TMPFILE` is
            // 020000000 on the architectures Swift runs on (x86-64, arm64).
            let unnamed = Int32(0o20_000_000) | O_DIRECTORY
            let descriptor = open(
                directory.isEmpty ? "." : directory, unnamed | O_WRONLY | O_CLOEXEC, permissions.rawValue)
            return descriptor >= 0 ? FileDescriptor(rawValue: descriptor) : nil
        #else
            return nil
        #endif
    }

    /// Gives the file open on `descriptor`, made by ``createUnnamedFile(in:permissions:)``, the name `path`,
    /// which must not exist (`linkat(2)` of `/proc/self/fd/N`, following it).
    public static func link(_ descriptor: FileDescriptor, as path: String) throws(FileSystemError) {
        guard linkat(AT_FDCWD, "/proc/self/fd/\(descriptor.rawValue)", AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 else {
            throw FileSystemError("cannot write", path, .ofLastCall)
        }
    }
}

extension FileSystem {
    /// What the symbolic link `path` points to, as stored (`readlink(2)`).
    public static func linkDestination(of path: String) throws(FileSystemError) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                characters.baseAddress.map { readlink(path, $0, characters.count - 1) } ?? -1
            }
        }
        guard count >= 0 else { throw FileSystemError("cannot read the link", path, .ofLastCall) }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}

extension FileSystem {
    /// `path` made absolute with symbolic links, `.` and `..` resolved (`realpath(3)`), or `path` itself when
    /// that fails (nothing there). Cheaper at start-up than `URL.resolvingSymlinksInPath()`, whose `URL`
    /// costs first-use work (percent-encoding tables).
    public static func resolvingLinks(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Writes all of `bytes` to `descriptor` (`write(2)`, again after an interruption); returns nil, or the
    /// reason it stopped (`EIO` when a write wrote nothing).
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: FileDescriptor) -> Errno? {
        guard let base = bytes.baseAddress else { return nil }
        var written = 0
        while written < bytes.count {
            let count = write(descriptor.rawValue, base + written, bytes.count - written)
            if count > 0 {
                written += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return count < 0 ? .ofLastCall : .ioError
            }
        }
        return nil
    }
}
