extension RegisterPlanBuilder {
    /// Builds one event per group of rows, reporting rows that disagree, members who cannot be found, and
    /// attendees who are not active members where and when the event was held. The events are valid only
    /// when no problem was reported.
    mutating func events(recordedBy: String) -> [RegisterPlan.Event] {
        var events: [RegisterPlan.Event] = []
        var workshopDays: [String: (day: Day, line: Int)] = [:]
        for group in groups {
            guard let first = group.rows.first else { continue }
            let label = Self.label(of: group, kind: mapping.kind)
            if mapping.kind == .workshop {
                if let earlier = workshopDays[group.key], earlier.day != group.day {
                    report(
                        first.row.line, columns.fields[.workshop] ?? columns.date,
                        "workshop \(group.key) is also on \(earlier.day) (line \(earlier.line)); a workshop is held "
                            + "on one day, so give this one its own slug")
                } else {
                    workshopDays[group.key] = (group.day, first.row.line)
                }
            }
            let values = fieldValues(of: group, label: label)
            let places: [Slug]? =
                switch mapping.kind {
                case .workshop: values[.collaboratives]?.slugs
                case .coaching: values[.collaborative]?.slug.map { [$0] }
                }
            guard let places else { continue }
            let attendees = self.attendees(of: group, in: places, label: label)
            if let event = event(of: group, values: values, attendees: attendees, label: label, by: recordedBy) {
                events.append(event)
            }
        }
        return events.sorted {
            ($0.draft.occurredAt.localDay, $0.lines[0]) < ($1.draft.occurredAt.localDay, $1.lines[0])
        }
    }

    /// `workshop ol-ws-07 on 2023-10-12`, `coaching session "S1" with staff-06 on 2023-10-12`,
    /// `one-to-one coaching of ol-17 with staff-06 on 2023-10-12`.
    static func label(of group: Group, kind: RegisterKind) -> String {
        switch kind {
        case .workshop:
            return "workshop \(group.key) on \(group.day)"
        case .coaching:
            let advisor = group.coaching.map { $0.advisor.isEmpty ? "" : " with \($0.advisor)" } ?? ""
            if let member = group.coaching?.oneToOne {
                return "one-to-one coaching of \(member)\(advisor) on \(group.day)"
            }
            return group.key.isEmpty
                ? "coaching session\(advisor) on \(group.day)"
                : "coaching session \(Quoting.quoted(group.key))\(advisor) on \(group.day)"
        }
    }

    // MARK: - Fields

    /// Every field's value for the group: the fixed one, or the one its rows agree on.
    private mutating func fieldValues(of group: Group, label: String) -> [RegisterField: RegisterValue] {
        var values: [RegisterField: RegisterValue] = [:]
        for field in RegisterField.fields(of: mapping.kind) {
            switch mapping.fields[field] {
            case .fixed(let value):
                values[field] = value
            case .column:
                guard let column = columns.fields[field], field != keyField else { continue }
                var agreed: (value: RegisterValue, line: Int)?
                for row in group.rows {
                    guard let value = row.values[field] else { continue }
                    guard let earlier = agreed else {
                        agreed = (value, row.row.line)
                        continue
                    }
                    if earlier.value != value {
                        report(
                            row.row.line, column,
                            "\(Quoting.quoted(value.description)) differs from "
                                + "\(Quoting.quoted(earlier.value.description)) "
                                + "on line \(earlier.line) (the rows of \(label) must agree)")
                    }
                }
                if let agreed {
                    values[field] = agreed.value
                } else if field.isRequired(in: mapping.kind), let first = group.rows.first {
                    report(first.row.line, column, "empty on every row of \(label)")
                }
            case nil:
                continue
            }
        }
        return values
    }

    // MARK: - Attendees

    /// The members of the rows marked attended, in row order, each found and checked.
    private mutating func attendees(
        of group: Group, in places: [Slug], label: String
    ) -> [(member: Slug, line: Int, column: String)] {
        var attendees: [(member: Slug, line: Int, column: String)] = []
        var seen: [Slug: Int] = [:]
        for row in group.rows where row.attended == true {
            guard let (member, column) = member(of: row, in: places, on: group.day) else { continue }
            if let earlier = seen[member] {
                report(row.row.line, column, "\(member) is already marked attended on line \(earlier) for \(label)")
                continue
            }
            seen[member] = row.row.line
            attendees.append((member, row.row.line, column.label))
        }
        // A member marked both ways is a slip in the register that only a person can settle.
        for row in group.rows where row.attended == false {
            guard let member = absentMember(of: row, in: places, on: group.day), let attendedLine = seen[member]
            else { continue }
            report(
                row.row.line, columns.attended,
                "\(member) is marked absent here but attended on line \(attendedLine) for \(label)")
        }
        return attendees
    }

    /// The member a row marked absent names, when it names one surely: by slug, or by a name that only one
    /// member active there that day has. Nothing is reported: an absent row is not an attendance.
    private mutating func absentMember(of row: Row, in places: [Slug], on day: Day) -> Slug? {
        if let column = columns.member, !column.cell(row.row).isEmpty {
            return Slug(column.cell(row.row).lowercased())
        }
        guard let column = columns.memberName, !column.cell(row.row).isEmpty else { return nil }
        let matches = names(activeIn: places, on: day)[RegisterNames.normalized(column.cell(row.row))]
        guard let active = matches?.active, active.count == 1 else { return nil }
        return active[0]
    }

    /// The member a row names: by slug when its slug cell is filled, else by name.
    private mutating func member(
        of row: Row, in places: [Slug], on day: Day
    ) -> (Slug, RegisterColumns.Column)? {
        let place = places.count == 1 ? places[0].rawValue : "any of " + places.map(\.rawValue).joined(separator: ", ")
        if let column = columns.member, !column.cell(row.row).isEmpty {
            let text = column.cell(row.row)
            guard let member = Slug(text.lowercased()) else {
                report(
                    row.row.line, column,
                    "\(Quoting.quoted(text)) is not a member slug "
                        + "(lower-case [a-z0-9][a-z0-9-]*, at most 64 characters)"
                )
                return nil
            }
            guard timeline.firstJoinDay(of: member) != nil else {
                report(row.row.line, column, "unknown member \(member): no MemberJoined records them")
                return nil
            }
            guard places.contains(where: { timeline.isActive(member, in: $0, on: day) }) else {
                report(
                    row.row.line, column,
                    "rule \(Rule.memberActive.rawValue): attendee \(member) is not an active member of \(place) "
                        + "on \(day)"
                )
                return nil
            }
            return (member, column)
        }
        if let column = columns.memberName, !column.cell(row.row).isEmpty {
            let name = column.cell(row.row)
            let matches = names(activeIn: places, on: day)[RegisterNames.normalized(name)] ?? RegisterNames.Matches()
            switch matches.active.count {
            case 1:
                return (matches.active[0], column)
            case 0:
                unknownName = true
                var message = "unknown name: no member named \(Quoting.quoted(name)) is active in \(place) on \(day)"
                if !matches.inactive.isEmpty {
                    let who = matches.inactive.map(\.rawValue).joined(separator: ", ")
                    message +=
                        " (\(who) \(matches.inactive.count == 1 ? "has" : "have") that name but "
                        + "\(matches.inactive.count == 1 ? "is" : "are") not active there that day)"
                }
                message += RegisterNames.closestNamesNote(to: name, among: names(activeIn: places, on: day)) {
                    keys.open(timeline.details(of: $0, on: day)?.name, of: $0)
                }
                report(row.row.line, column, message)
            default:
                let who = matches.active.map(\.rawValue).joined(separator: ", ")
                report(
                    row.row.line, column,
                    "ambiguous name: \(Quoting.quoted(name)) is the name of \(who), all active in \(place) on \(day); "
                        + "give the member slug instead")
            }
            return nil
        }
        let named = [columns.member, columns.memberName].compactMap { $0?.label }.joined(separator: " and ")
        report(row.row.line, nil, "\(named): empty, so the row names nobody (mark the row absent, or name the member)")
        return nil
    }

    mutating func names(activeIn places: [Slug], on day: Day) -> [String: RegisterNames.Matches] {
        let key = "\(day)|" + places.map(\.rawValue).joined(separator: ",")
        if let cached = namesCache[key] { return cached }
        let index = timeline.membersByName(activeIn: places, on: day, keys: keys)
        namesCache[key] = index
        return index
    }

    // MARK: - The event

    private func event(
        of group: Group, values: [RegisterField: RegisterValue],
        attendees: [(member: Slug, line: Int, column: String)], label: String, by recordedBy: String
    ) -> RegisterPlan.Event? {
        let domainEvent: DomainEvent
        let key: String
        var legacyKey: String?
        let members = attendees.map(\.member)
        switch mapping.kind {
        case .workshop:
            guard let workshop = Slug(group.key), let collaboratives = values[.collaboratives]?.slugs,
                case .workshopKind(let kind) = values[.kind], case .mode(let mode) = values[.mode]
            else { return nil }
            domainEvent = .workshopHeld(
                WorkshopHeld(
                    workshop: workshop, collaboratives: collaboratives, kind: kind, mode: mode,
                    title: values[.title]?.text, attendees: members, guests: values[.guests]?.count))
            key = RegisterEventID.workshopKey(workshop, on: group.day)
        case .coaching:
            guard let collaborative = values[.collaborative]?.slug, case .coachingKind(let kind) = values[.kind],
                let advisor = values[.advisor]?.slug
            else { return nil }
            domainEvent = .coachingSessionHeld(
                CoachingSessionHeld(
                    collaborative: collaborative, subgroup: values[.subgroup]?.slug, kind: kind, advisor: advisor,
                    attendees: members, minutes: values[.minutes]?.count))
            if let written = group.coaching?.oneToOne {
                // The attendee's slug when the row names them surely, so that a name later replaced by the
                // slug in the sheet keeps the id; a row marked absent is not looked up.
                let member =
                    members.first?.rawValue
                    ?? (columns.member.map { !$0.cell(group.rows[0].row).isEmpty } == true
                        ? written : "name:" + RegisterNames.normalized(written))
                key = RegisterEventID.oneToOneKey(
                    collaborative: collaborative, advisor: advisor, member: member, session: group.key, on: group.day)
            } else {
                key = RegisterEventID.coachingSessionKey(
                    collaborative: collaborative, advisor: advisor, session: group.key, on: group.day)
            }
            legacyKey = RegisterEventID.legacyCoachingKey(
                collaborative: collaborative, session: group.key, on: group.day)
        }
        var sources: [Slug: (line: Int, column: String)] = [:]
        for attendee in attendees { sources[attendee.member] = (attendee.line, attendee.column) }
        return RegisterPlan.Event(
            draft: Draft(
                id: RegisterEventID.id(forKey: key), occurredAt: .day(group.day), recordedBy: recordedBy,
                event: domainEvent),
            key: key, legacyKey: legacyKey, label: label, lines: group.rows.map(\.row.line),
            attendeeSources: sources)
    }
}
