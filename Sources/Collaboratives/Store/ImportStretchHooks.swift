internal import EventLog

/// A stretch's hooks: personal data sealed, the rules checked as a lone append checks them
/// (``RuleCheckedAppend``) unless the import defers them to ``StreamedImport/judgeRules()``, and no
/// checkpoint (the import stores one at its end).
struct ImportStretchHooks: AppendHooks {
    /// As a dry run's: they check the rules and fold nothing ahead for a checkpoint.
    let checked: RuleCheckedAppend
    let deferringRules: Bool

    init(chronicle: Chronicle, drafts: [Draft], deferringRules: Bool) {
        checked = RuleCheckedAppend(chronicle: chronicle, drafts: drafts, dryRun: true)
        self.deferringRules = deferringRules
    }

    func prepare(_ batch: [NewEvent], keys: any SubjectKeyWriter) throws -> [NewEvent] {
        try checked.prepare(batch, keys: keys)
    }

    func validate(_ offered: [NewEvent], against log: any LogView) throws {
        guard !deferringRules else { return }
        try checked.validate(offered, against: log)
    }
}
