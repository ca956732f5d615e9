import Foundation

/// Which event first used each of many slugs (the workshops of ``Timeline/ReplayState``): a dictionary from
/// ``Slug`` to `UUID` that keeps each slug's text once, in one shared buffer, instead of as a `String` key.
///
/// A log holds about one workshop in five events, each with its own slug, and the rule `unique-slug` needs
/// every one of them for as long as the model lives (a later workshop may reuse any). As a `[Slug: UUID]`,
/// each cost a 32-byte slot at a load of 3/8 to 3/4 and, for a slug longer than 15 bytes (most, at 10M:
/// `rotherham-8-ws-123`), a heap string of about 64 bytes: some 130 bytes a workshop, 240 MB at 10M events.
/// Here a slug costs its bytes in ``bytes``, its offset (8 bytes), its first user's id (16) and a 4-byte slot
/// of an open-addressed table at a load of 3/8 to 3/4: about 55 bytes.
///
/// Slugs are compared by their UTF-8 bytes, which is their equality: a slug is ASCII (``Slug/isValid(_:)``).
/// Removing a slug (the retraction of its only use) leaves its bytes behind, and a tombstone in the table.
struct SlugRegistry: Sendable {
    /// Each registered slug's UTF-8 bytes, one after another.
    private var bytes: [UInt8] = []
    /// Where each entry's slug starts in ``bytes`` (it ends where the next one starts).
    private var offsets: [Int] = []
    /// The first event that used each entry's slug.
    private var ids: [UUID] = []
    /// The open-addressed table: an entry's index, or ``empty`` / ``removed``. Its count is a power of two.
    private var slots: [Int32] = []
    /// The entries in use (not removed).
    private(set) var count = 0
    /// The slots that are not ``empty`` (entries and tombstones): the table grows past 3/4 of its slots.
    private var occupied = 0

    private static let empty: Int32 = -1
    private static let removed: Int32 = -2

    /// No slug registered.
    init() {}

    /// The id registered for `slug`; setting `nil` removes it.
    subscript(slug: Slug) -> UUID? {
        get { find(slug).map { ids[Int($0.entry)] } }
        set {
            if let found = find(slug) {
                if let newValue {
                    ids[Int(found.entry)] = newValue
                } else {
                    slots[found.slot] = Self.removed
                    count -= 1
                }
            } else if let newValue {
                insert(slug, newValue)
            }
        }
    }

    /// The slot and entry holding `slug`, if it is registered.
    private func find(_ slug: Slug) -> (slot: Int, entry: Int32)? {
        guard !slots.isEmpty else { return nil }
        var text = slug.rawValue
        return text.withUTF8 { utf8 in
            let mask = slots.count - 1
            var slot = Self.hash(utf8) & mask
            while true {
                let entry = slots[slot]
                if entry == Self.empty { return nil }
                if entry >= 0, matches(Int(entry), utf8) { return (slot, entry) }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Where entry `entry`'s slug lies in ``bytes``.
    private func range(of entry: Int) -> Range<Int> {
        offsets[entry]..<(entry + 1 < offsets.count ? offsets[entry + 1] : bytes.count)
    }

    /// Whether entry `entry`'s slug has the bytes `utf8`.
    private func matches(_ entry: Int, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let range = range(of: entry)
        guard range.count == utf8.count else { return false }
        return bytes.withUnsafeBufferPointer { stored in utf8.elementsEqual(stored[range]) }
    }

    /// Adds `slug`, which is not registered, with `id`.
    private mutating func insert(_ slug: Slug, _ id: UUID) {
        if (occupied + 1) * 4 > slots.count * 3 { rehash(capacity: (count + 1) * 2) }
        var text = slug.rawValue
        let entry = Int32(truncatingIfNeeded: ids.count)  // fewer than 2^31 workshops: each is an event
        text.withUTF8 { utf8 in
            offsets.append(bytes.count)
            bytes.append(contentsOf: utf8)
            ids.append(id)
            place(entry, hash: Self.hash(utf8))
        }
        count += 1
        occupied += 1
    }

    /// Puts `entry` in the first free slot from its hash (the table has one).
    private mutating func place(_ entry: Int32, hash: Int) {
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    /// Rebuilds the table with the power of two at least `capacity` slots, leaving the tombstones out.
    private mutating func rehash(capacity: Int) {
        let live = slots.filter { $0 >= 0 }
        var size = 16
        while size < capacity { size *= 2 }
        slots = Array(repeating: Self.empty, count: size)
        for entry in live {
            let range = range(of: Int(entry))
            place(entry, hash: bytes.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[range])) })
        }
        occupied = live.count
    }

    private static func hash(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(utf8))
        return hasher.finalize()
    }
}
