public import Collaboratives
internal import Foundation

/// Writes a valid, realistic history of Collaboratives as NDJSON input lines, deterministically for a seed.
///
/// The history is simulated day by day between two dates: collaboratives are formed, members join, leave
/// (with reasons) and re-join, change details; workshops (some across localities) and coaching sessions
/// (some that nobody attended) are held with attendees drawn from the members active that day; sub-groups
/// form, gain and lose members, change status, reach milestones and are redefined; roles are assigned and
/// ended; survey waves close once a year. Some events are written late (dated before events already
/// written) and some workshops, coaching sessions and milestones are retracted. Every rule of EVENTS.md
/// holds for the whole file imported as one batch, and for every prefix of it, so it may also be imported
/// in chunks.
///
/// Lines carry an explicit `id` and no output-only field (`recordedAt`, `seq`, `stream`, `hash`).
/// Generation streams: only the state the rules need is kept (the active members, open sub-groups and role
/// holders of each collaborative, a bounded queue of late lines), never the events written.
///
/// ```swift
/// var generator = try HistoryGenerator(HistoryGenerator.Configuration(events: 3_000, collaboratives: 5, seed: 7))
/// while let line = generator.next() { output.write(line + [0x0A]) }
/// ```
public struct HistoryGenerator: Sequence, IteratorProtocol {
    /// What to generate.
    public struct Configuration: Sendable, Equatable {
        /// How many lines (events) to write, exactly.
        public var events: Int
        /// How many collaboratives to form; they are formed over the first two fifths of the period.
        public var collaboratives: Int
        /// The seed: the same configuration always gives the same bytes.
        public var seed: UInt64
        /// The first day of the history.
        public var firstDay: Day
        /// The last day of the history; no event is dated after it.
        public var lastDay: Day

        /// 2015-09-01, the default first day.
        public static let defaultFirstDay = Day(daysSinceEpoch: 16_679)
        /// 2025-08-31, the default last day.
        public static let defaultLastDay = Day(daysSinceEpoch: 20_331)

        /// The default number of collaboratives for a history of `events` events: one per 10,000 events,
        /// at least 3, and never more than one per 100 events.
        public static func defaultCollaboratives(events: Int) -> Int {
            Swift.max(1, Swift.min(Swift.max(3, events / 10_000), events / 100))
        }

        /// Creates a configuration.
        public init(
            events: Int, collaboratives: Int? = nil, seed: UInt64, firstDay: Day = Self.defaultFirstDay,
            lastDay: Day = Self.defaultLastDay
        ) {
            self.events = events
            self.collaboratives = collaboratives ?? Self.defaultCollaboratives(events: events)
            self.seed = seed
            self.firstDay = firstDay
            self.lastDay = lastDay
        }
    }

    /// A configuration that cannot be generated.
    public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
        /// What is wrong, naming the setting.
        public let description: String
    }

    /// The configuration being generated.
    public let configuration: Configuration
    /// How many lines `next()` has returned so far.
    public private(set) var linesWritten = 0
    /// The day the simulation has reached (for progress reports).
    public var currentDay: Day { configuration.firstDay.adding(days: Swift.min(dayIndex, dayCount - 1)) }

    var random: Random
    /// Events created so far, written or waiting in `pending`.
    var created = 0
    let dayCount: Int
    var dayIndex = 0
    /// For each day of the period, the share of the events due by its end (weekdays weighted by how many
    /// collaboratives exist), so that the history is spread evenly over the period.
    let cumulativeShare: [Double]
    /// The day offsets on which collaboratives are formed, in order.
    let formationOffsets: [Int]
    var collaboratives: [GeneratedCollaborative] = []
    var staffRoster: [StaffRecord] = []
    var staffCounter = 0
    /// Lines ready to be returned, in order.
    var ready: [[UInt8]] = []
    var readyIndex = 0
    /// Lines held back to be written late, in the order they were made.
    var pending: [PendingLine] = []
    /// Ids of written events that may be retracted (workshops, coaching sessions, milestones).
    var retractable: [UUID] = []
    var finished = false

    /// The most lines held back at once; beyond it the oldest is written at once.
    static let pendingLimit = 1_024
    /// The most retraction candidates remembered at once.
    static let retractableLimit = 256

    /// Prepares a generator.
    ///
    /// - Throws: ``ConfigurationError`` when `events` is negative, there is no collaborative, or the period
    ///   is empty.
    public init(_ configuration: Configuration) throws(ConfigurationError) {
        guard configuration.events >= 0 else {
            throw ConfigurationError(description: "events: must be 0 or more, not \(configuration.events)")
        }
        guard configuration.collaboratives >= 1 else {
            throw ConfigurationError(description: "collaboratives: must be at least 1")
        }
        guard configuration.collaboratives <= 100_000 else {
            throw ConfigurationError(description: "collaboratives: at most 100000")
        }
        guard configuration.firstDay <= configuration.lastDay else {
            throw ConfigurationError(
                description: "the first day (\(configuration.firstDay)) is after the last (\(configuration.lastDay))")
        }
        self.configuration = configuration
        random = Random(seed: configuration.seed)
        dayCount = Int(configuration.lastDay.daysSinceEpoch - configuration.firstDay.daysSinceEpoch) + 1
        let count = configuration.collaboratives
        let span = dayCount * 2 / 5
        var offsets: [Int] = []
        for index in 0..<count {
            let base = count == 1 ? 0 : index * span / (count - 1)
            offsets.append(index == 0 ? 0 : Swift.min(dayCount - 1, base + random.below(14)))
        }
        formationOffsets = offsets.sorted()
        var shares: [Double] = []
        shares.reserveCapacity(dayCount)
        var total = 0.0
        var formed = 0
        for offset in 0..<dayCount {
            while formed < offsets.count, formationOffsets[formed] <= offset { formed += 1 }
            if !configuration.firstDay.adding(days: offset).isWeekend { total += Double(formed) }
            shares.append(total)
        }
        cumulativeShare = total > 0 ? shares.map { $0 / total } : shares.map { _ in 0 }
    }

    /// The next line (without its newline), or `nil` when all `events` lines have been written.
    public mutating func next() -> [UInt8]? {
        while readyIndex == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            if finished { return nil }
            advance()
        }
        let line = ready[readyIndex]
        readyIndex += 1
        linesWritten += 1
        return line
    }

    /// Simulates one more day; after the last, writes every line still held back.
    private mutating func advance() {
        guard dayIndex < dayCount else {
            for line in pending { write(line) }
            pending.removeAll()
            finished = true
            return
        }
        let day = configuration.firstDay.adding(days: dayIndex)
        releasePending(upTo: day)
        while collaboratives.count < formationOffsets.count, formationOffsets[collaboratives.count] <= dayIndex,
            created < configuration.events
        {
            formCollaborative(on: day)
        }
        let due =
            dayIndex == dayCount - 1
            ? configuration.events
            : Swift.min(configuration.events, Int((Double(configuration.events) * cumulativeShare[dayIndex]).rounded()))
        while created < due, !collaboratives.isEmpty {
            act(on: day)
        }
        dayIndex += 1
    }

    private mutating func releasePending(upTo day: Day) {
        guard pending.contains(where: { $0.release <= day }) else { return }
        var kept: [PendingLine] = []
        for line in pending {
            if line.release <= day { write(line) } else { kept.append(line) }
        }
        pending = kept
    }

    /// The room left in the budget of events.
    var remaining: Int { configuration.events - created }
}

extension Day {
    /// Saturday or Sunday.
    var isWeekend: Bool {
        let weekday = ((Int(daysSinceEpoch) + 3) % 7 + 7) % 7  // 0 = Monday (1970-01-01 was a Thursday)
        return weekday >= 5
    }
}
