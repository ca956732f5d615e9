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
///   so it names the workshop alone), and
/// - `register|coaching|<collaborative>|<session>|<YYYY-MM-DD>` for a coaching register (a session's name
///   is only a label, so the collaborative is part of the key; `<session>` is empty without a session column).
///
/// Attendance is deliberately not part of the key: a register changed after it was imported keeps its
/// ids, and the store then refuses the changed event as "already stored with different content", which
/// is the cue to correct the stored event rather than to record the workshop twice.
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

    /// The key of a coaching session's event.
    static func coachingKey(collaborative: Slug, session: String, on day: Day) -> String {
        "register|coaching|\(collaborative)|\(session)|\(day)"
    }
}
