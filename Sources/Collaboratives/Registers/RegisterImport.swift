/// Turns an attendance register into events: pure, rows in and drafts out, or every bad row named.
///
/// Rows are grouped by date and workshop (or coaching session) into one `WorkshopHeld` (or
/// `CoachingSessionHeld`) each, whose attendees are the members of the rows marked attended, in row order;
/// an event whose rows are all marked absent is still recorded, with no attendees. A row's member is its
/// slug, or its name resolved against the members active that day where the event was held (the
/// timeline). Rows marked absent are checked for their date, grouping value and attendance only.
///
/// ```swift
/// let mapping = try RegisterMapping(parsing: Array(json.utf8))
/// let plan = try RegisterImport.plan(table, mapping: mapping, timeline: timeline, recordedBy: "advisor")
/// try chronicle.append(plan.drafts)
/// ```
public enum RegisterImport {
    /// Builds the events of `table`.
    ///
    /// - Parameters:
    ///   - timeline: the stored history (retracted events left out), to resolve names and check that
    ///     attendees are active members that day.
    ///   - recordedBy: who is recording.
    /// - Throws: ``RegisterErrors``, one error per bad row naming its line and columns; nothing is planned
    ///   unless every row is good.
    public static func plan(
        _ table: RegisterTable, mapping: RegisterMapping, timeline: Timeline, recordedBy: String,
        keys: PersonalDataKeys = .none
    ) throws(RegisterErrors) -> RegisterPlan {
        try attempt(table, mapping: mapping, timeline: timeline, recordedBy: recordedBy, keys: keys).result.get()
    }

    /// ``plan(_:mapping:timeline:recordedBy:keys:)``, saying also whether it reports an unknown name (one no
    /// member active where and when the row's event was held bears). The error lists the members who bear
    /// the name but are not active there, and a timeline of only some members (``RegisterScope``) cannot
    /// list them in full; it is set even when that list is empty, since the members a scoped timeline leaves
    /// out are exactly those who may bear the name.
    static func attempt(
        _ table: RegisterTable, mapping: RegisterMapping, timeline: Timeline, recordedBy: String,
        keys: PersonalDataKeys
    ) -> (result: Result<RegisterPlan, RegisterErrors>, unknownName: Bool) {
        let columns: RegisterColumns
        do {
            columns = try RegisterColumns(mapping: mapping, table: table)
        } catch {
            return (.failure(error), false)
        }
        var builder = RegisterPlanBuilder(mapping: mapping, columns: columns, timeline: timeline, keys: keys)
        var rows = 0
        for row in table.rows where !row.isBlank {
            rows += 1
            // A short row is a mistyped line (a missing separator), not a row with empty cells: read as one,
            // its member and attendance would be silently lost.
            if row.cells.count < table.header.count {
                builder.report(
                    row.line, nil,
                    "the row has \(row.cells.count) cells, the header has \(table.header.count) "
                        + "(is a separator missing?)")
            }
            builder.read(row)
        }
        let events = builder.events(recordedBy: recordedBy)
        guard builder.problems.isEmpty else {
            let errors = RegisterErrors(
                builder.problems.map { InputError(line: $0.key, message: $0.value.joined(separator: "; ")) })
            return (.failure(errors), builder.unknownName)
        }
        return (.success(RegisterPlan(events: events, rows: rows)), false)
    }
}

/// The work of ``RegisterImport/plan(_:mapping:timeline:recordedBy:)``: rows are read one by one, then
/// grouped into events.
struct RegisterPlanBuilder {
    /// One good-enough row: its date and grouping value could be read.
    struct Row {
        let row: RegisterRow
        let day: Day
        let key: String
        /// `nil` when the attended cell could not be read.
        let attended: Bool?
        /// Values of event fields read from columns (empty cells left out).
        let values: [RegisterField: RegisterValue]
    }

    /// The rows of one event.
    struct Group {
        let day: Day
        let key: String
        var rows: [Row]
        /// For coaching: what tells the session apart besides the date and the session column.
        var coaching: CoachingPartition? = nil
    }

    let mapping: RegisterMapping
    let columns: RegisterColumns
    let timeline: Timeline
    /// The members' keys, to read their names.
    let keys: PersonalDataKeys
    /// What is wrong, by line, in the order found.
    private(set) var problems: [Int: [String]] = [:]
    /// The rows grouped by date and grouping value, in the order the groups first appear.
    var groups: [Group] = []
    private var groupIndex: [String: Int] = [:]
    /// Coaching values carried down to rows that leave them empty, by date and session (see
    /// ``coachingPartition(of:values:day:session:)``).
    var carriedValues: [String: [RegisterField: RegisterValue]] = [:]
    /// Members by name, per day and places (see ``Timeline/membersByName(activeIn:on:)``).
    var namesCache: [String: [String: RegisterNames.Matches]] = [:]
    /// Whether an error reports an unknown name: whatever it lists of who bears the name elsewhere
    /// (``RegisterNames/Matches/inactive``, possibly nobody) may be incomplete on a scoped timeline.
    var unknownName = false

    init(mapping: RegisterMapping, columns: RegisterColumns, timeline: Timeline, keys: PersonalDataKeys) {
        self.keys = keys
        self.mapping = mapping
        self.columns = columns
        self.timeline = timeline
    }

    /// Records a problem of the row on `line`, in `column` when given.
    mutating func report(_ line: Int, _ column: RegisterColumns.Column?, _ message: String) {
        let text = column.map { "\($0.label): \(message)" } ?? message
        problems[line, default: []].append(text)
    }

    // MARK: - Reading rows

    /// Reads one non-blank row: its date, grouping value, attendance and field columns.
    mutating func read(_ row: RegisterRow) {
        let day = readDate(row)
        let key = readKey(row)
        let attended = readAttended(row)
        var values: [RegisterField: RegisterValue] = [:]
        for (field, column) in columns.fields.sorted(by: { $0.value.index < $1.value.index })
        where field != keyField {
            let text = column.cell(row)
            guard !text.isEmpty else { continue }
            do {
                values[field] = try field.value(of: text, in: mapping.kind)
            } catch {
                report(row.line, column, error.message)
            }
        }
        guard let day, let key else { return }
        var groupKey = "\(day)|\(key)"
        var partition: CoachingPartition?
        if mapping.kind == .coaching {
            let found = coachingPartition(of: row, values: &values, day: day, session: key)
            groupKey += "|" + found.text
            partition = found
        }
        let parsed = Row(row: row, day: day, key: key, attended: attended, values: values)
        if let index = groupIndex[groupKey] {
            groups[index].rows.append(parsed)
        } else {
            groupIndex[groupKey] = groups.count
            groups.append(Group(day: day, key: key, rows: [parsed], coaching: partition))
        }
    }

    /// The field whose value, with the date, tells events apart.
    var keyField: RegisterField { mapping.kind == .workshop ? .workshop : .session }

    private mutating func readDate(_ row: RegisterRow) -> Day? {
        let text = columns.date.cell(row)
        guard !text.isEmpty else {
            report(row.line, columns.date, "empty (a date in the format \(mapping.dateFormat) is needed)")
            return nil
        }
        guard let day = mapping.dateFormat.day(from: text) else {
            report(row.line, columns.date, "\(Quoting.quoted(text)) is not a date in the format \(mapping.dateFormat)")
            return nil
        }
        guard day.isAccepted else {
            report(
                row.line, columns.date,
                "\(Quoting.quoted(text)) is \(day), outside the accepted dates \(Day.earliestAccepted) to "
                    + "\(Day.latestAccepted)")
            return nil
        }
        return day
    }

    /// The grouping value: the workshop slug, or the session's name (empty when the register has none).
    private mutating func readKey(_ row: RegisterRow) -> String? {
        let field = keyField
        switch mapping.fields[field] {
        case .fixed(let value):
            return value.description
        case .column:
            guard let column = columns.fields[field] else { return nil }
            let text = column.cell(row)
            guard !text.isEmpty else {
                report(row.line, column, "empty (every row names its \(field == .workshop ? "workshop" : "session"))")
                return nil
            }
            do {
                return try field.value(of: text, in: mapping.kind).description
            } catch {
                report(row.line, column, error.message)
                return nil
            }
        case nil:
            return ""
        }
    }

    private mutating func readAttended(_ row: RegisterRow) -> Bool? {
        guard let column = columns.attended else { return true }
        let value = RegisterMapping.normalizedAttendance(column.cell(row))
        if mapping.attendedValues.contains(value) { return true }
        if mapping.absentValues.contains(value) { return false }
        func list(_ values: [String]) -> String {
            values.map { $0.isEmpty ? "empty" : $0 }.joined(separator: ", ")
        }
        let shown = value.isEmpty ? "empty" : Quoting.quoted(column.cell(row))
        report(
            row.line, column,
            "\(shown) means neither attended (\(list(mapping.attendedValues))) "
                + "nor absent (\(list(mapping.absentValues)))"
        )
        return nil
    }
}
