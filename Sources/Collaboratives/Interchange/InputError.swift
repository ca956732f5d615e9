/// Bad input, located: the line (or batch position) and the problem, in one line.
///
/// `line 12: data.sector: "teacher" is not allowed (allowed: primary-school, …)`
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based input line, when the input is a file.
    public let line: Int?
    /// What is wrong (the field path is part of it).
    public let message: String

    /// Creates an error at `line`.
    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String {
        guard let line else { return message }
        return "line \(line): \(message)"
    }
}
