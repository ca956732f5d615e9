internal import Crypto
public import Foundation

/// The id of an event built from a register, derived from what identifies it, so that importing the same
/// register again offers the same ids and the store's idempotency by id makes it a no-op.
///
/// The id is a name-based UUID in the manner of RFC 9562's SHA-256 example (§B.2): the first 16 bytes of
/// `SHA-256(namespace ‖ UTF-8 key)`, with the version set to 8 and the variant to `10`. The namespace is
/// Chronicle's register namespace, `e5a96af0-086e-4e2e-9c11-53fc0a2bbad4`; the key is
///
/// - `register|workshop|<workshop slug>|<YYYY-MM-DD>` for a workshop register (a workshop slug is unique,
///   so it names the workshop alone);
/// - `register|coaching-session|<collaborative>|<advisor>|<session>|<YYYY-MM-DD>` for a coaching session
///   (a session's name is only a label, so the collaborative and the advisor are part of the key: two
///   advisors' sessions on one day are two sessions; `<session>` is empty without a session column); and
/// - `register|one-to-one|<collaborative>|<advisor>|<member>|<session>|<YYYY-MM-DD>` for a one-to-one row,
///   which is its own session (`<member>` is the attendee's slug; for a row marked absent, the slug or
///   `name:` and the name as written, lower-cased).
///
/// In `<session>` and `<member>`, the only free text, `%` is written `%25` and `|` `%7C`, so that a key
/// reads one way only.
///
/// Registers imported before sessions were told apart by advisor were given ids from
/// `register|coaching|<collaborative>|<session>|<YYYY-MM-DD>` (``legacyCoachingKey(collaborative:session:on:)``):
/// an event stored under such an id is accepted as the same session when it matches (see
/// ``RegisterReconciliation``), so those registers still import again as a no-op.
///
/// Attendance is deliberately not part of the key: a register changed after it was imported keeps its
/// ids, so the changed event is found and offered as a correction of the stored one rather than recorded
/// twice.
public enum RegisterEventID {
    /// Chronicle's namespace for register ids.
    public static let namespace = UUID(
        uuid: (0xE5, 0xA9, 0x6A, 0xF0, 0x08, 0x6E, 0x4E, 0x2E, 0x9C, 0x11, 0x53, 0xFC, 0x0A, 0x2B, 0xBA, 0xD4))

    /// The id for a content key.
    ///
    /// ```swift
    /// RegisterEventID.id(forKey: "register|workshop|ol-ws-07|2023-10-12")   // the same UUID every time
    /// ```
    public static func id(forKey key: String) -> UUID {
        var hasher = SHA256()
        withUnsafeBytes(of: namespace.uuid) { hasher.update(bufferPointer: $0) }
        hasher.update(data: Array(key.utf8))
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// The key of a workshop's event.
    static func workshopKey(_ workshop: Slug, on day: Day) -> String {
        "register|workshop|\(workshop)|\(day)"
    }

    /// The key of a coaching session's event (one row or several).
    static func coachingSessionKey(collaborative: Slug, advisor: Slug, session: String, on day: Day) -> String {
        "register|coaching-session|\(collaborative)|\(advisor)|\(escaped(session))|\(day)"
    }

    /// The key of a one-to-one row's session.
    static func oneToOneKey(
        collaborative: Slug, advisor: Slug, member: String, session: String, on day: Day
    ) -> String {
        "register|one-to-one|\(collaborative)|\(advisor)|\(escaped(member))|\(escaped(session))|\(day)"
    }

    /// The key the previous scheme gave a coaching session, before sessions were told apart by advisor.
    static func legacyCoachingKey(collaborative: Slug, session: String, on day: Day) -> String {
        "register|coaching|\(collaborative)|\(session)|\(day)"
    }

    /// Free text made safe to stand between `|`s.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "|", with: "%7C")
    }
}
