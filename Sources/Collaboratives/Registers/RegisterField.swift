/// A field of the event a register builds, or the value that tells its events apart (`workshop`, `session`).
///
/// A mapping gives each field either a fixed value (`"event": {"kind": "convening"}`) or a column
/// (`"columns": {"kind": "Type"}`); rows of one event must then agree on it (empty cells do not count,
/// so a value written once per event, as merged cells export, is enough).
public enum RegisterField: String, CaseIterable, Sendable {
    /// The workshop's slug (workshop registers; groups the rows with the date).
    case workshop
    /// A name for the coaching session, any text (coaching registers; groups the rows with the date).
    case session
    /// The collaboratives a workshop was for: slugs separated by commas, semicolons or spaces.
    case collaboratives
    /// The collaborative a coaching session was for.
    case collaborative
    /// The sub-group a coaching session was for.
    case subgroup
    /// The kind of workshop or of coaching session.
    case kind
    /// `in-person` or `online` (workshops).
    case mode
    /// The workshop's title.
    case title
    /// How many non-members came to the workshop.
    case guests
    /// The member who coached.
    case advisor
    /// How long the coaching session lasted, in minutes.
    case minutes

    /// The fields of a register of `kind`, the grouping field first.
    static func fields(of kind: RegisterKind) -> [RegisterField] {
        switch kind {
        case .workshop: [.workshop, .collaboratives, .kind, .mode, .title, .guests]
        case .coaching: [.session, .collaborative, .subgroup, .kind, .advisor, .minutes]
        }
    }

    /// Whether an event of `kind` needs this field.
    func isRequired(in kind: RegisterKind) -> Bool {
        switch self {
        case .workshop, .collaboratives, .collaborative, .kind, .mode, .advisor: true
        case .session, .subgroup, .title, .guests, .minutes: false
        }
    }

    /// Reads a field's value from text (a cell, or a fixed value in the mapping); enumerations and slugs
    /// are read in any case.
    ///
    /// - Throws: ``RegisterCellProblem`` saying what is wrong with the text.
    func value(of text: String, in kind: RegisterKind) throws(RegisterCellProblem) -> RegisterValue {
        let trimmed = String(text.trimmingWhiteSpace)
        switch self {
        case .workshop, .collaborative, .subgroup, .advisor:
            return .slug(try Self.slug(trimmed))
        case .collaboratives:
            let parts = trimmed.split { $0 == "," || $0 == ";" || $0.isWhitespace }
            var slugs: [Slug] = []
            for part in parts {
                let slug = try Self.slug(String(part))
                guard !slugs.contains(slug) else {
                    throw RegisterCellProblem("\(slug) is listed twice")
                }
                slugs.append(slug)
            }
            guard !slugs.isEmpty else { throw RegisterCellProblem("names no collaborative") }
            return .slugs(slugs)
        case .session, .title:
            let length = trimmed.unicodeScalars.count
            guard length <= FieldReader.shortTextLimit else {
                throw RegisterCellProblem("is \(length) characters long (at most \(FieldReader.shortTextLimit))")
            }
            if let problem = TextCheck.problem(in: trimmed) { throw RegisterCellProblem(problem) }
            return .text(trimmed)
        case .guests, .minutes:
            guard let count = Int(trimmed), count >= 0 else {
                throw RegisterCellProblem("\(Quoting.quoted(trimmed)) is not a whole number of 0 or more")
            }
            return .count(count)
        case .mode:
            return .mode(try Self.enumeration(trimmed, as: WorkshopMode.self))
        case .kind:
            switch kind {
            case .workshop: return .workshopKind(try Self.enumeration(trimmed, as: WorkshopKind.self))
            case .coaching: return .coachingKind(try Self.enumeration(trimmed, as: CoachingKind.self))
            }
        }
    }

    private static func slug(_ text: String) throws(RegisterCellProblem) -> Slug {
        guard let slug = Slug(text.lowercased()) else {
            throw RegisterCellProblem(
                "\(Quoting.quoted(text)) is not a slug (lower-case [a-z0-9][a-z0-9-]*, at most 64 characters)")
        }
        return slug
    }

    private static func enumeration<Value: RawRepresentable<String> & CaseIterable>(
        _ text: String, as type: Value.Type
    ) throws(RegisterCellProblem) -> Value {
        guard let value = Value(rawValue: text.lowercased()) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw RegisterCellProblem("\(Quoting.quoted(text)) is not allowed (allowed: \(allowed))")
        }
        return value
    }
}

/// The kind of register, and so of the events it builds.
public enum RegisterKind: String, CaseIterable, Sendable {
    /// One `WorkshopHeld` per workshop and date.
    case workshop
    /// One `CoachingSessionHeld` per session and date.
    case coaching
}

/// A field's value, read and checked.
enum RegisterValue: Equatable, Sendable, CustomStringConvertible {
    case slug(Slug)
    case slugs([Slug])
    case text(String)
    case count(Int)
    case workshopKind(WorkshopKind)
    case coachingKind(CoachingKind)
    case mode(WorkshopMode)

    var description: String {
        switch self {
        case .slug(let slug): slug.rawValue
        case .slugs(let slugs): slugs.map(\.rawValue).joined(separator: ";")
        case .text(let text): text
        case .count(let count): String(count)
        case .workshopKind(let kind): kind.rawValue
        case .coachingKind(let kind): kind.rawValue
        case .mode(let mode): mode.rawValue
        }
    }

    var slug: Slug? {
        if case .slug(let slug) = self { return slug }
        return nil
    }

    var slugs: [Slug]? {
        if case .slugs(let slugs) = self { return slugs }
        return nil
    }

    var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    var count: Int? {
        if case .count(let count) = self { return count }
        return nil
    }
}

/// What is wrong with one cell or fixed value, without saying where (the caller knows).
struct RegisterCellProblem: Error, Equatable, Sendable {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
