import ArgumentParser
import Collaboratives
import EventLog
import FileSystem
import Foundation

/// The exit codes of `chronicle` (documented in the README), after sysexits.h.
enum ExitStatus: Int32 {
    /// Success.
    case ok = 0
    /// A check failed (`verify` found a fault).
    case failure = 1
    /// Bad command line (EX_USAGE).
    case usage = 64
    /// Invalid data: schema or rule (EX_DATAERR).
    case invalidData = 65
    /// The store or an input file is missing (EX_NOINPUT).
    case noInput = 66
    /// Optimistic concurrency conflict (expected version).
    case conflict = 73
    /// I/O or store fault (EX_IOERR).
    case ioError = 74
    /// The user may not do this: a database role without the privilege, or a store this process may not
    /// write (EX_NOPERM).
    case permissionDenied = 77
}

/// An error the CLI reports itself: one line on stderr and an exit code.
struct CLIError: Error, CustomStringConvertible {
    let status: ExitStatus
    let message: String

    var description: String { message }

    static func usage(_ message: String) -> CLIError { CLIError(status: .usage, message: message) }
    static func invalidData(_ message: String) -> CLIError { CLIError(status: .invalidData, message: message) }
    static func noInput(_ message: String) -> CLIError { CLIError(status: .noInput, message: message) }
    static func io(_ message: String) -> CLIError { CLIError(status: .ioError, message: message) }
    static func failure(_ message: String) -> CLIError { CLIError(status: .failure, message: message) }

    /// Maps any error of the libraries to its wording and exit code.
    static func from(_ error: any Error) -> CLIError {
        switch error {
        case let error as CLIError:
            return error
        case let error as EventLogError:
            switch error {
            case .storeNotFound: return .noInput(error.description)
            case .wrongExpectedVersion: return CLIError(status: .conflict, message: "conflict: \(error)")
            case .duplicateIDWithDifferentContent, .duplicateIDInBatch, .invalidEnvelope, .restoreMismatch:
                return .invalidData(error.description)
            case .clockBehindHead:
                return .invalidData(
                    "\(error) (check the system clock or $CHRONICLE_NOW; --allow-clock-behind records at the log's "
                        + "last recordedAt instead)")
            case .unsupportedFormat, .corruptRecord, .storage, .transactionTooLarge:
                return .io(error.description)
            case .permissionDenied, .eventRefused:
                return CLIError(status: .permissionDenied, message: error.description)
            }
        case let error as InputError:
            return .invalidData(error.description)
        case let error as DomainError:
            return .invalidData(error.description)
        case let error as RuleViolation:
            return .invalidData(error.description)
        case let error as CocoaError:
            return .io(wording(of: error))
        default:
            return .io(String(describing: error))
        }
    }
}

/// A Foundation file error in words, with the path and the system's reason when it carries them, rather
/// than its `localizedDescription` ("The operation could not be completed. (NSCocoaErrorDomain error 512.)").
private func wording(of error: CocoaError) -> String {
    let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError
    let reason =
        underlying.flatMap { $0.domain == NSPOSIXErrorDomain ? Errno(rawValue: Int32($0.code)).text : nil }
        ?? error.localizedDescription
    guard let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
    else { return reason }
    return "cannot use \(path): \(reason)"
}

/// Writes `message` to stderr as one line prefixed with `chronicle: ` (unless not `prefixed`: a command to
/// paste); a leading `error:` is red on a terminal (see ``Terminal``).
func printDiagnostic(_ message: String, prefixed: Bool = true, keepingNewlines: Bool = false) {
    var text = keepingNewlines ? message : message.replacingOccurrences(of: "\n", with: " ")
    if text.hasPrefix("error:") {
        text = Terminal.style("error:", .red, on: .standardError) + text.dropFirst("error:".count)
    }
    // `write(2)`, not `FileHandle.write`, which stops the process with a backtrace when stderr is closed or
    // full: a diagnostic that cannot be written is lost, and the exit status still tells.
    var line = (prefixed ? "chronicle: " : "") + text + "\n"
    line.withUTF8 { bytes in _ = FileSystem.writeAll(UnsafeRawBufferPointer(bytes), to: .standardError) }
}
