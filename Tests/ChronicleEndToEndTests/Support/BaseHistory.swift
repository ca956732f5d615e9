/// A small history that most tests start from, imported in one go (13 events, seq 1…13, all
/// recorded at `Sandbox.defaultNow` by `tester`):
///
/// | seq | occurred | event |
/// |---|---|---|
/// | 1 | 2021-09-01 | oldham formed |
/// | 2 | 2021-09-15 | rochdale formed |
/// | 3 | 2021-09-01 | staff-01 (programme-staff) joins oldham |
/// | 4 | 2021-09-01 | ol-02 (la-education) joins oldham |
/// | 5 | 2021-11-15 | ol-17 (secondary-school) joins oldham |
/// | 6 | 2021-11-15 | ol-03 (primary-school) joins oldham |
/// | 7 | 2021-10-01 | ro-01 (health) joins rochdale |
/// | 8 | 2021-09-01 | ol-02 becomes anchor of oldham |
/// | 9 | 2022-01-20 | sub-group ol-transitions formed in oldham |
/// | 10 | 2022-02-01 | ol-17 joins ol-transitions |
/// | 11 | 2022-03-02 | group coaching in oldham by staff-01, ol-17 attends |
/// | 12 | 2022-03-10 | workshop ol-ws-01 for oldham, ol-17 and ol-03 attend |
/// | 13 | 2023-07-20 | ol-03 leaves oldham |
enum BaseHistory {
    static let oldhamFormed = "00000000-0000-4000-8000-000000000001"
    static let rochdaleFormed = "00000000-0000-4000-8000-000000000002"
    static let staffJoined = "00000000-0000-4000-8000-000000000003"
    static let anchorJoined = "00000000-0000-4000-8000-000000000004"
    static let ol17Joined = "00000000-0000-4000-8000-000000000005"
    static let ol03Joined = "00000000-0000-4000-8000-000000000006"
    static let ro01Joined = "00000000-0000-4000-8000-000000000007"
    static let anchorAssigned = "00000000-0000-4000-8000-000000000008"
    static let subgroupFormed = "00000000-0000-4000-8000-000000000009"
    static let ol17JoinedSubgroup = "00000000-0000-4000-8000-000000000010"
    static let coaching = "00000000-0000-4000-8000-000000000011"
    static let workshop = "00000000-0000-4000-8000-000000000012"
    static let ol03Left = "00000000-0000-4000-8000-000000000013"

    /// The number of events.
    static let count = 13

    static let lines = [
        #"{"id":"\#(oldhamFormed)","type":"CollaborativeFormed","occurredAt":"2021-09-01","data":{"collaborative":"oldham","name":"Oldham Collaborative","anchorOrganisation":"Oldham Council","programmeStart":"2021-09-01"}}"#,
        #"{"id":"\#(rochdaleFormed)","type":"CollaborativeFormed","occurredAt":"2021-09-15","data":{"collaborative":"rochdale","name":"Rochdale Collaborative","anchorOrganisation":"Rochdale Council","programmeStart":"2021-09-15"}}"#,
        #"{"id":"\#(staffJoined)","type":"MemberJoined","occurredAt":"2021-09-01","data":{"collaborative":"oldham","member":"staff-01","sector":"programme-staff"}}"#,
        #"{"id":"\#(anchorJoined)","type":"MemberJoined","occurredAt":"2021-09-01","data":{"collaborative":"oldham","member":"ol-02","sector":"la-education","name":"Pat Anchor"}}"#,
        #"{"id":"\#(ol17Joined)","type":"MemberJoined","occurredAt":"2021-11-15","data":{"collaborative":"oldham","member":"ol-17","sector":"secondary-school","organisation":"Hathershaw College"}}"#,
        #"{"id":"\#(ol03Joined)","type":"MemberJoined","occurredAt":"2021-11-15","data":{"collaborative":"oldham","member":"ol-03","sector":"primary-school"}}"#,
        #"{"id":"\#(ro01Joined)","type":"MemberJoined","occurredAt":"2021-10-01","data":{"collaborative":"rochdale","member":"ro-01","sector":"health"}}"#,
        #"{"id":"\#(anchorAssigned)","type":"RoleAssigned","occurredAt":"2021-09-01","data":{"collaborative":"oldham","role":"anchor","member":"ol-02","appointment":"formal"}}"#,
        #"{"id":"\#(subgroupFormed)","type":"SubGroupFormed","occurredAt":"2022-01-20","data":{"collaborative":"oldham","subgroup":"ol-transitions","title":"Transitions pilot","aim":"Smooth Year 6 to 7 transitions"}}"#,
        #"{"id":"\#(ol17JoinedSubgroup)","type":"SubGroupMemberJoined","occurredAt":"2022-02-01","data":{"subgroup":"ol-transitions","member":"ol-17"}}"#,
        #"{"id":"\#(coaching)","type":"CoachingSessionHeld","occurredAt":"2022-03-02","data":{"collaborative":"oldham","kind":"group","advisor":"staff-01","attendees":["ol-17"],"minutes":60}}"#,
        #"{"id":"\#(workshop)","type":"WorkshopHeld","occurredAt":"2022-03-10","data":{"workshop":"ol-ws-01","collaboratives":["oldham"],"kind":"collaborative","mode":"in-person","attendees":["ol-17","ol-03"]}}"#,
        #"{"id":"\#(ol03Left)","type":"MemberLeft","occurredAt":"2023-07-20","data":{"collaborative":"oldham","member":"ol-03","reason":"capacity"}}"#,
    ]

    /// The history as NDJSON, one event per line.
    static var ndjson: String { lines.joined(separator: "\n") + "\n" }
}
