internal import Collaboratives

/// Fictional names and texts the generator draws from, so that a generated history reads like a real one.
enum GeneratorVocabulary {
    /// Localities; a collaborative is named after one (with a number once the list is used up).
    static let places = [
        "Oldham", "Worcestershire", "East Sussex", "Rochdale", "Bolton", "Wigan", "Calderdale", "Kirklees",
        "Barnsley", "Doncaster", "Rotherham", "Sheffield", "Wakefield", "Sunderland", "Gateshead", "Durham",
        "Darlington", "Hartlepool", "Blackpool", "Blackburn", "Preston", "Lancaster", "Cumbria", "Salford",
        "Stockport", "Tameside", "Trafford", "Knowsley", "Sefton", "Wirral", "Halton", "Cheshire East",
        "Shropshire", "Telford", "Walsall", "Dudley", "Sandwell", "Coventry", "Warwickshire", "Leicester",
        "Nottingham", "Derby", "Lincolnshire", "Norfolk", "Suffolk", "Essex", "Medway", "Kent", "Surrey",
        "West Sussex", "Hampshire", "Portsmouth", "Southampton", "Dorset", "Somerset", "Devon", "Plymouth",
        "Cornwall", "Swindon", "Gloucestershire", "Bristol", "Luton", "Peterborough", "Thurrock",
    ]

    static let firstNames = [
        "Aisha", "Alex", "Amira", "Andrew", "Bethany", "Callum", "Chloe", "Daniel", "Deborah", "Eleanor", "Fatima",
        "Gareth", "Grace", "Hannah", "Imran", "Jack", "Jasmine", "Joanne", "Karen", "Kwame", "Laura", "Liam",
        "Mandeep", "Mark", "Megan", "Mohammed", "Naomi", "Nikhil", "Olivia", "Owen", "Priya", "Rachel", "Rhys",
        "Ruth", "Samira", "Sarah", "Simon", "Sophie", "Thomas", "Yusuf", "Zara", "Zoe",
    ]

    static let lastNames = [
        "Ahmed", "Akhtar", "Bailey", "Begum", "Brown", "Campbell", "Clarke", "Davies", "Edwards", "Evans", "Green",
        "Hall", "Harris", "Hughes", "Hussain", "Jackson", "James", "Jones", "Khan", "Kaur", "Lewis", "Martin",
        "Mensah", "Morgan", "Murphy", "Okafor", "Patel", "Roberts", "Robinson", "Shah", "Singh", "Smith",
        "Taylor", "Thomas", "Thompson", "Walker", "White", "Williams", "Wilson", "Wood", "Wright", "Young",
    ]

    static let schoolWords = [
        "Meadow", "Brook", "Oak", "Vale", "Park", "Heath", "Hill", "Moor", "Ridge", "Field", "Grange", "Valley",
        "Priory", "Castle", "Green", "Orchard", "Riverside", "St Mary's", "St John's", "Holy Trinity",
    ]

    /// Sectors of members who are not programme staff, with how often each is drawn.
    static let memberSectors: [(Sector, Double)] = [
        (.primarySchool, 20), (.secondarySchool, 16), (.specialSchool, 5), (.alternativeProvision, 4),
        (.virtualSchool, 3), (.laEducation, 10), (.laEarlyHelp, 5), (.laSENDInclusion, 5), (.socialCare, 5),
        (.health, 5), (.camhs, 4), (.educationalPsychology, 4), (.parentCarerForum, 4), (.voluntarySector, 6),
        (.other, 2),
    ]

    static let leaveReasons: [(LeaveReason, Double)] = [
        (.capacity, 30), (.relevance, 10), (.roleChange, 15), (.leftOrganisation, 25), (.programmeEnded, 5),
        (.other, 8), (.unknown, 7),
    ]

    static let leaveNotes = [
        "Moved to a post in another local authority", "Workload: stepped back for the rest of the year",
        "School restructure", "Maternity leave", "Retired", "Colleague will attend instead",
        "Felt the work was no longer relevant to their setting",
    ]

    static let workshopTitles = [
        "Launch event", "Mapping the local system", "Understanding exclusions data", "Transitions: what works",
        "Belonging and attendance", "Hearing the voice of families", "Designing a pilot", "Learning from the pilot",
        "Evidence and evaluation", "Planning for sustainability", "Sharing practice across localities",
        "Trauma-informed practice", "Early help pathways", "Year in review",
    ]

    static let subgroupTitles = [
        "Transitions to secondary", "Attendance and belonging", "SEND early support", "Reducing exclusions",
        "Parent and carer voice", "Mental health in schools", "Inclusive curriculum", "Alternative provision quality",
        "Early help pathways", "Multi-agency referrals", "Reintegration", "Data and evidence",
    ]

    static let subgroupAims = [
        "Fewer pupils excluded in the first year of secondary school",
        "Every child known to a trusted adult at the point of transition",
        "Earlier support for children with emerging needs, without waiting for a diagnosis",
        "Families able to shape the services their children use",
        "Schools and health services sharing one referral route",
        "A shared picture of which children are missing education",
        "Pupils in alternative provision returning to mainstream where that is right for them",
    ]

    static let redefinitionReasons = [
        "Pilot findings", "Change of local priorities", "Funding ended", "Merged with another sub-group",
        "Scope too broad",
    ]

    static let statusNotes = [
        "Agreed at the termly review", "Lead on leave", "Waiting for data sharing agreement",
        "Funding confirmed", "Handed to the local authority",
    ]

    static let milestoneTitles: [MilestoneKind: [String]] = [
        .planAgreed: ["Action plan agreed", "Plan signed off by the collaborative"],
        .termsOfReference: ["Terms of reference agreed"],
        .pilotStarted: ["Pilot started in three schools", "Pilot started"],
        .pilotCompleted: ["Pilot completed", "Pilot evaluation completed"],
        .serviceLaunched: ["New service launched", "Referral route live"],
        .expanded: ["Expanded to all secondary schools", "Rolled out to a second cluster"],
        .fundingSecured: ["Funding secured for two years", "Grant awarded"],
        .evidenceGathered: ["Case studies collected", "Baseline data gathered"],
        .handedOver: ["Handed over to the local authority", "Handed over to the school partnership"],
        .other: ["Presented at the national convening", "Shared with the Schools Forum"],
    ]

    static let retractionReasons = [
        "entered twice", "wrong date", "register misread", "session cancelled", "recorded against the wrong locality",
    ]

    static let roleEndReasons = ["stepped down", "term completed", "handed over", "restructure", "workload"]

    static let erasureReasons = ["erasure request", "erasure request (UK GDPR article 17)"]

    /// The organisation a member of `sector` may work for in `place`.
    static func organisation(sector: Sector, place: String, random: inout HistoryGenerator.Random) -> String {
        let word = random.element(of: schoolWords) ?? "Park"
        switch sector {
        case .primarySchool: return "\(word) Primary School, \(place)"
        case .secondarySchool: return random.chance(0.5) ? "\(place) \(word) Academy" : "\(word) High School, \(place)"
        case .specialSchool: return "\(word) Special School, \(place)"
        case .alternativeProvision: return "\(place) Alternative Provision Academy"
        case .virtualSchool: return "\(place) Virtual School"
        case .laEducation: return "\(place) Council Education Service"
        case .laEarlyHelp: return "\(place) Early Help"
        case .laSENDInclusion: return "\(place) SEND and Inclusion Service"
        case .socialCare: return "\(place) Children's Social Care"
        case .health: return "\(place) School Nursing Service"
        case .camhs: return "\(place) CAMHS"
        case .educationalPsychology: return "\(place) Educational Psychology Service"
        case .parentCarerForum: return "\(place) Parent Carer Forum"
        case .voluntarySector: return "\(place) Youth Partnership"
        case .programmeStaff: return "National Programme Team"
        case .other: return "\(place) Community Trust"
        }
    }

    /// A person's name.
    static func personName(random: inout HistoryGenerator.Random) -> String {
        (random.element(of: firstNames) ?? "Alex") + " " + (random.element(of: lastNames) ?? "Smith")
    }
}
