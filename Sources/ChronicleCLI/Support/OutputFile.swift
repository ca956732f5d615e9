import Foundation

/// A file a command was asked to write (`export FILE`, `report html --out FILE`).
///
/// `-` is standard output. A new path, or a regular file (also one reached through a symbolic link, which
/// stays a link), is written to a temporary file beside it and renamed over it by ``commit()``, so that a
/// failure never leaves a partial file behind. Anything else (a device such as `/dev/stdout` or
/// `/dev/null`, a FIFO, a socket) is written through as it is, never replaced. A directory is refused.
struct OutputFile {
    /// Where the bytes go.
    private enum Target {
        case standardOutput
        /// A temporary file renamed over `final` on commit.
        case atomic(descriptor: Int32, temporary: String, final: String)
        /// An existing file that is not a regular file, written in place.
        case through(descriptor: Int32)
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

    /// The temporary file written before the rename, when there is one.
    var temporaryPath: String? {
        if case .atomic(_, let temporary, _) = target { return temporary }
        return nil
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
            let descriptor = dup(inherited)
            guard descriptor >= 0 else { throw Self.failure("cannot write", path) }
            target = .through(descriptor: descriptor)
            return
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            guard errno == ENOENT else { throw Self.failure("cannot write", path) }
            // A new path, or a symbolic link to a missing file: the link is kept and its target created.
            target = try Self.openTemporary(beside: Self.resolvingLink(path), mode: mode)
            return
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            target = try Self.openTemporary(beside: Self.resolvingLink(path), mode: mode)
        case S_IFDIR:
            throw CLIError.io("cannot write \(path): it is a directory")
        default:
            // O_TRUNC is not given: a device or FIFO has nothing to truncate, and the call must not create.
            let descriptor = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard descriptor >= 0 else { throw Self.failure("cannot open", path) }
            target = .through(descriptor: descriptor)
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
            let failure = buffer.withUnsafeBytes { writeAll(descriptor, $0) }
            guard failure == 0 else {
                errno = failure
                throw Self.failure("cannot write", path)
            }
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
            guard close(descriptor) == 0 else { throw Self.failure("cannot write", path) }
        case .atomic(let descriptor, let temporary, let final):
            var failed = fsync(descriptor) != 0
            var reason = errno
            if close(descriptor) != 0 && !failed {
                failed = true
                reason = errno
            }
            target = .standardOutput
            if failed {
                unlink(temporary)
                errno = reason
                throw Self.failure("cannot write", path)
            }
            guard rename(temporary, final) == 0 else {
                let error = Self.failure("cannot replace", path)
                unlink(temporary)
                throw error
            }
        }
    }

    /// Gives up: a temporary file is removed (what was written through stays written).
    mutating func abandon() {
        switch target {
        case .standardOutput:
            return
        case .through(let descriptor):
            close(descriptor)
        case .atomic(let descriptor, let temporary, _):
            close(descriptor)
            unlink(temporary)
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
        close(descriptor)
        target = .standardOutput
        guard flushed, rename(temporary, kept) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// `path` with a symbolic link (the last component) followed, so that renaming over the result replaces
    /// the file the link names rather than the link.
    private static func resolvingLink(_ path: String) throws -> String {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return path }
        var resolved = path
        for _ in 0..<40 {
            guard lstat(resolved, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return resolved }
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: resolved) else {
                throw failure("cannot read the link", path)
            }
            resolved =
                destination.hasPrefix("/")
                ? destination
                : ((resolved as NSString).deletingLastPathComponent as NSString).appendingPathComponent(destination)
        }
        errno = ELOOP
        throw failure("cannot write", path)
    }

    /// Creates a new temporary file beside `final` (in its directory, so that the rename stays on one file
    /// system).
    private static func openTemporary(beside final: String, mode: mode_t) throws -> Target {
        let temporary = final + ".partial-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("cannot write", final) }
        return .atomic(descriptor: descriptor, temporary: temporary, final: final)
    }

    /// An I/O error: what failed, the path and the system's reason (`errno`).
    private static func failure(_ action: String, _ path: String) -> CLIError {
        CLIError.io("\(action) \(path): \(String(cString: strerror(errno)))")
    }
}
