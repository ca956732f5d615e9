public import Foundation

/// What a register becomes: one event per workshop (or coaching session) and date, each with the rows it
/// came from, ready to append as one batch.
public struct RegisterPlan: Sendable {
    /// One event of the plan.
    public struct Event: Sendable {
        /// The draft to append; its id is derived from ``key`` (see ``RegisterEventID``).
        public internal(set) var draft: Draft
        /// The content key the id is derived from.
        public let key: String
        /// For a coaching session, the key the previous id scheme derived its id from (see
        /// ``RegisterEventID``): an event stored under that id may be this session, imported by an earlier
        /// build.
        public let legacyKey: String?
        /// `workshop ol-ws-07 on 2023-10-12`, for messages.
        public let label: String
        /// The lines of the rows it was built from, in file order.
        public let lines: [Int]
        /// For each attendee, the line that marked them attended and the label of the column that named them.
        let attendeeSources: [Slug: (line: Int, column: String)]

        /// The id derived from ``legacyKey``.
        public var legacyID: UUID? { legacyKey.map(RegisterEventID.id(forKey:)) }

        /// The same event under another id (a correction's replacement).
        func with(id: UUID) -> Event {
            var copy = self
            copy.draft.id = id
            return copy
        }

        /// The same event with another payload (stored fields the register cannot hold, carried over).
        func with(event: DomainEvent) -> Event {
            var copy = self
            copy.draft.event = event
            return copy
        }

        /// The lines as ranges: `2-5, 9`.
        public var lineRanges: String { Self.ranges(of: lines) }

        /// Ascending `lines` as ranges: `2-5, 9`.
        public static func ranges(of lines: [Int]) -> String {
            var parts: [String] = []
            var index = 0
            while index < lines.count {
                var end = index
                while end + 1 < lines.count, lines[end + 1] == lines[end] + 1 { end += 1 }
                parts.append(end == index ? "\(lines[index])" : "\(lines[index])-\(lines[end])")
                index = end + 1
            }
            return parts.joined(separator: ", ")
        }
    }

    /// The events, by date and then by the line they first appear on.
    public let events: [Event]
    /// How many data rows were read (blank rows are not counted).
    public let rows: Int

    /// The drafts, in the order of ``events``.
    public var drafts: [Draft] { events.map(\.draft) }
}
