import FileSystem
import Foundation

/// A file a command was asked to write (`export FILE`, `report html --out FILE`).
///
/// `-` is standard output. A new path, or a regular file (also one reached through a symbolic link, which
/// stays a link), is written to a temporary file beside it and renamed over it by ``commit()``, so that a
/// failure never leaves a partial file behind. The temporary file has no name until the commit
/// (`O_TMPFILE`, where the file system allows it), so that a process killed while writing (SIGINT, SIGTERM,
/// SIGKILL) leaves nothing behind either; elsewhere it is `FILE.partial-PID`, removed on every error path.
/// Anything else (a device such as `/dev/stdout` or `/dev/null`, a FIFO, a socket) is written through as it
/// is, never replaced. A directory is refused.
struct OutputFile {
    /// Where the bytes go.
    private enum Target {
        case standardOutput
        /// A temporary file renamed over `final` on commit; `temporary` is its name, nil while it has none
        /// (see ``FileSystem/createUnnamedFile(in:permissions:)``).
        case atomic(descriptor: FileDescriptor, temporary: String?, final: String)
        /// An existing file that is not a regular file, written in place.
        case through(descriptor: FileDescriptor)
    }

    /// The path as the user gave it, for messages.
    let path: String
    private var target: Target
    private var buffer: [UInt8] = []

    /// Whether the bytes are being written to a temporary file (renamed into place by ``commit()``).
    var isAtomic: Bool {
        if case .atomic = target { return true }
        return false
    }

    /// Opens `path` for writing; a file it creates gets `mode` (less the umask).
    init(_ path: String, mode: mode_t) throws {
        self.path = path
        if path == "-" {
            target = .standardOutput
            return
        }
        // `/dev/stdout`, `/dev/fd/N` and `/proc/self/fd/N` name a descriptor this process already has: it is
        // written to as it is (sharing its offset and O_APPEND, as a shell's `>>` set it up), never resolved
        // to the file behind it and replaced (that would discard what `>>` appended to).
        if let inherited = Self.inheritedDescriptor(named: path) {
            if inherited == STDOUT_FILENO {
                target = .standardOutput
                return
            }
            do {
                target = .through(descriptor: try FileDescriptor(rawValue: inherited).duplicate())
            } catch {
                throw Self.failure("cannot write", path, Errno(error))
            }
            return
        }
        let status: FileSystem.Status?
        do throws(FileSystemError) {
            status = try FileSystem.status(of: path)
        } catch {
            throw Self.failure("cannot write", path, error.errno)
        }
        switch status?.kind {
        case nil:
            // A new path, or a symbolic link to a missing file: the link is kept and its target created.
            target = try Self.openTemporary(beside: Self.resolvingLink(path), mode: mode)
        case .regularFile:
            target = try Self.openTemporary(beside: Self.resolvingLink(path), mode: mode)
        case .directory:
            throw CLIError.io("cannot write \(path): it is a directory")
        default:
            // O_TRUNC is not given: a device or FIFO has nothing to truncate, and the call must not create.
            do throws(FileSystemError) {
                target = .through(descriptor: try FileSystem.openForWriting(path))
            } catch {
                throw CLIError.io(error.description)
            }
        }
    }

    /// The descriptor that `path` names when it is one of this process's own (`/dev/stdout`, `/dev/stderr`,
    /// `/dev/fd/N`, `/proc/self/fd/N`), else nil.
    private static func inheritedDescriptor(named path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default: break
        }
        for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
            return Int32(path.dropFirst(prefix.count))
        }
        return nil
    }

    /// Queues `bytes`, writing them out when a megabyte has gathered.
    mutating func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Queues `bytes` and a newline.
    mutating func writeLine(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes out what is queued.
    mutating func flush() throws {
        defer { buffer.removeAll(keepingCapacity: true) }
        switch target {
        case .standardOutput:
            buffer.withUnsafeBytes { writeToStandardOutput($0) }
        case .atomic(let descriptor, _, _), .through(let descriptor):
            let failure = buffer.withUnsafeBytes { writeAll(descriptor.rawValue, $0) }
            guard failure == 0 else { throw Self.failure("cannot write", path, Errno(rawValue: failure)) }
        }
    }

    /// Writes out what is queued, makes it durable and, for a temporary file, renames it into place.
    mutating func commit() throws {
        try flush()
        switch target {
        case .standardOutput:
            return
        case .through(let descriptor):
            target = .standardOutput
            do {
                try descriptor.close()
            } catch {
                throw Self.failure("cannot write", path, Errno(error))
            }
        case .atomic(let descriptor, let temporary, let final):
            target = .standardOutput
            // An unnamed file is named just before the rename (a link cannot replace a file): only a kill
            // between the two calls leaves it behind.
            let named = temporary ?? Self.temporaryName(beside: final)
            if temporary == nil {
                do throws(FileSystemError) {
                    try FileSystem.link(descriptor, as: named)
                } catch {
                    try? descriptor.close()
                    throw Self.failure("cannot write", path, error.errno)
                }
            }
            do throws(FileSystemError) {
                try FileSystem.syncAndClose(descriptor, path: path)
            } catch {
                FileSystem.removeFile(named)
                throw Self.failure("cannot write", path, error.errno)
            }
            do throws(FileSystemError) {
                try FileSystem.rename(named, to: final)
            } catch {
                FileSystem.removeFile(named)
                throw Self.failure("cannot replace", path, error.errno)
            }
        }
    }

    /// Gives up: a temporary file is removed (what was written through stays written).
    mutating func abandon() {
        switch target {
        case .standardOutput:
            return
        case .through(let descriptor):
            try? descriptor.close()
        case .atomic(let descriptor, let temporary, _):
            try? descriptor.close()
            if let temporary { FileSystem.removeFile(temporary) }
        }
        target = .standardOutput
    }

    /// Gives up, keeping what was written (to a temporary file) under the name `kept`; returns whether it is
    /// there.
    mutating func abandon(keepingAs kept: String) -> Bool {
        guard case .atomic(let descriptor, let temporary, _) = target else {
            abandon()
            return false
        }
        let flushed = (try? flush()) != nil
        defer { try? descriptor.close() }
        target = .standardOutput
        guard let temporary else {
            // Named beside `kept` first and renamed over it, as a commit does: a `kept` left by an earlier
            // failure is replaced, not kept in place of this one.
            guard flushed else { return false }
            let named = Self.temporaryName(beside: kept)
            guard (try? FileSystem.link(descriptor, as: named)) != nil else { return false }
            guard (try? FileSystem.rename(named, to: kept)) != nil else {
                FileSystem.removeFile(named)
                return false
            }
            return true
        }
        guard flushed, (try? FileSystem.rename(temporary, to: kept)) != nil else {
            FileSystem.removeFile(temporary)
            return false
        }
        return true
    }

    /// `path` with a symbolic link (the last component) followed, so that renaming over the result replaces
    /// the file the link names rather than the link.
    private static func resolvingLink(_ path: String) throws -> String {
        var resolved = path
        for _ in 0..<40 {
            guard (try? FileSystem.status(of: resolved, followingLink: false))?.kind == .symbolicLink else {
                return resolved
            }
            let destination: String
            do throws(FileSystemError) {
                destination = try FileSystem.linkDestination(of: resolved)
            } catch {
                throw failure("cannot read the link", path, error.errno)
            }
            resolved =
                destination.hasPrefix("/")
                ? destination : FileSystem.joined(FileSystem.directory(of: resolved), destination)
        }
        throw failure("cannot write", path, .tooManySymbolicLinkLevels)
    }

    /// Creates a new temporary file beside `final` (in its directory, so that the rename stays on one file
    /// system): unnamed where the file system allows it, else named ``temporaryName(beside:)``.
    private static func openTemporary(beside final: String, mode: mode_t) throws -> Target {
        let permissions = FilePermissions(rawValue: mode)
        if let unnamed = FileSystem.createUnnamedFile(in: FileSystem.directory(of: final), permissions: permissions) {
            return .atomic(descriptor: unnamed, temporary: nil, final: final)
        }
        let temporary = temporaryName(beside: final)
        do throws(FileSystemError) {
            let descriptor = try FileSystem.createFile(temporary, permissions: permissions)
            return .atomic(descriptor: descriptor, temporary: temporary, final: final)
        } catch {
            throw failure("cannot write", final, error.errno)
        }
    }

    /// The name of the temporary file written for `final`, or linked for it just before the rename.
    private static func temporaryName(beside final: String) -> String { final + ".partial-\(getpid())" }

    /// An I/O error: what failed, the path and the system's reason (by default `errno`'s).
    private static func failure(_ action: String, _ path: String, _ reason: Errno = .ofLastCall) -> CLIError {
        CLIError.io(FileSystemError(action, path, reason).description)
    }
}
