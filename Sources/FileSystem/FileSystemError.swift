public import SystemPackage

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// An operation of the operating system that failed on a path, worded for the people who meet it:
/// `cannot create the directory /srv/store: Permission denied`.
///
/// Every call of this module that can fail throws one: the action in words, the path and the system's
/// reason (`errno`, as swift-system's ``SystemPackage/Errno``), so that each layer reports file-system
/// failures the same way instead of wording its own `strerror` text.
public struct FileSystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was being done, in words: `cannot create the directory`, `cannot write`.
    public let action: String
    /// The path it was done on.
    public let path: String
    /// The system's reason.
    public let errno: Errno

    /// Creates an error for `errno`, met while doing `action` on `path`.
    public init(_ action: String, _ path: String, _ errno: Errno) {
        self.action = action
        self.path = path
        self.errno = errno
    }

    /// `action path: reason`, e.g. `cannot create the directory /x: Permission denied`.
    public var description: String { "\(action) \(path): \(errno.text)" }

    /// The system's reason in words (`strerror(3)`), e.g. `Input/output error`.
    public var reason: String { errno.text }

    /// The system's code (`errno`), for a caller that keeps it without importing swift-system.
    public var code: Int32 { errno.rawValue }

    /// Whether the system refused for want of rights (`EACCES` or `EPERM`): the CLI's exit code 77.
    public var isPermissionDenied: Bool { errno == .permissionDenied || errno == .notPermitted }
}

extension Errno {
    /// The system's text for the code (`strerror(3)`), e.g. `No such file or directory`.
    public var text: String { description }

    /// The code of `error` when it is an `Errno` (swift-system's calls throw them untyped), else `EIO`.
    public init(_ error: any Error) { self = (error as? Errno) ?? .ioError }

    /// The calling thread's `errno`: the reason the system call just made failed.
    public static var ofLastCall: Errno { Errno(rawValue: errno) }
}
