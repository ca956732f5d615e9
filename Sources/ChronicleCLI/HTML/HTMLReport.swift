import Collaboratives
import Foundation

/// The HTML report: one self-contained page (inline CSS and SVG, no script, no external asset)
/// drawing the figures of ``HTMLReportData``.
///
/// The same data always gives the same bytes: nothing in the page depends on the clock (K is the
/// only time in it), the locale or the order of a dictionary.
///
/// ```swift
/// let page = HTMLReport.render(data)
/// ```
enum HTMLReport {
    /// The kinds of chart, in page order: (section id, heading, SVG id prefix).
    static let sections: [(id: String, heading: String, chart: String)] = [
        ("attendance", "Workshop attendance", "chart-attendance"),
        ("membership", "Membership stock and flows", "chart-membership"),
        ("sectors", "Sector coverage", "chart-sectors"),
        ("progress", "Sub-group progress", "chart-progress"),
        ("succession", "Succession of roles", "chart-succession"),
        ("coaching", "Coaching uptake", "chart-coaching"),
        ("surveys", "Survey response", "chart-surveys"),
    ]

    /// The page.
    static func render(_ data: HTMLReportData) -> String {
        let provenance = data.provenance
        let asOf = provenance.asOf
        let names = data.collaboratives.map(\.name)
        let scope = names.isEmpty ? "no collaborative" : names.joined(separator: ", ")
        var page = [
            "<!DOCTYPE html>",
            "<html lang=\"en-GB\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<meta name=\"generator\" content=\"chronicle \(HTMLText.escape(provenance.version))\">",
            "<title>\(HTMLText.escape("Chronicle report: \(scope), as of \(asOf)"))</title>",
            "<style>\n\(HTMLStyle.css)\n</style>",
            "</head>",
            "<body>",
            HTMLStyle.patternDefinitions,
            header(data, scope: scope),
            "<main>",
        ]
        let bodies: [String: () -> String] = [
            "attendance": { AttendanceChart.render(data) },
            "membership": { perCollaborative(data, MembershipChart.render) },
            "sectors": { perCollaborative(data, SectorCoverageChart.render) },
            "progress": { perCollaborative(data) { ProgressTimelineChart.render($0, asOf: asOf) } },
            "succession": { perCollaborative(data) { SuccessionChart.render($0, asOf: asOf) } },
            "coaching": { perCollaborative(data, CoachingChart.render) },
            "surveys": { SurveyChart.render(data) },
        ]
        for (number, section) in sections.enumerated() {
            page.append("<section id=\"\(section.id)\" aria-labelledby=\"\(section.id)-heading\">")
            page.append("<h2 id=\"\(section.id)-heading\">\(number + 1). \(section.heading)</h2>")
            page.append("<p class=\"definition\">\(HTMLText.escape(definitions[section.id] ?? ""))</p>")
            page.append(
                data.collaboratives.isEmpty
                    ? ChartFigure.noData(
                        id: section.chart, title: section.heading, note: "No collaborative was formed by \(asOf).")
                    : bodies[section.id]?() ?? "")
            page.append("</section>")
        }
        page += [
            "</main>",
            "<footer>",
            "<p>Drawn by chronicle \(HTMLText.escape(provenance.version)) from the events recorded up to seq "
                + "\(provenance.lastSeq) (hash <code>\(HTMLText.escape(provenance.lastHash))</code>). The same store, D and K "
                + "give the same page: <code>chronicle report html --as-of \(asOf) --known-at "
                + "\(HTMLText.escape(provenance.knownAt)) --by \(HTMLText.escape(provenance.periodScheme))"
                + "</code>.</p>",
            "</footer>",
            "</body>",
            "</html>",
        ]
        return page.joined(separator: "\n") + "\n"
    }

    /// The ids of the charts drawn in `page` (a chart with nothing to draw is a note, not an SVG), in page order.
    static func chartIDs(in page: String) -> [String] {
        page.components(separatedBy: "<svg id=\"").dropFirst().compactMap { rest in
            rest.split(separator: "\"", maxSplits: 1).first.map(String.init)
        }
    }

    /// The heading, the provenance (D, K, last seq and hash, version) and the contents.
    private static func header(_ data: HTMLReportData, scope: String) -> String {
        let provenance = data.provenance
        let contents = sections.map { section in "<li><a href=\"#\(section.id)\">\(section.heading)</a></li>" }
        return """
            <header>
            <h1>Chronicle evaluation report</h1>
            <p>\(HTMLText.escape(scope))</p>
            <dl class="provenance">
            <dt>As of (D, valid time)</dt><dd>\(provenance.asOf)</dd>
            <dt>Known at (K, transaction time)</dt><dd>\(HTMLText.escape(provenance.knownAt))</dd>
            <dt>Last event seen</dt><dd>seq \(provenance.lastSeq)</dd>
            <dt>Its hash</dt><dd><code>\(HTMLText.escape(provenance.lastHash))</code></dd>
            <dt>Periods</dt><dd>\(HTMLText.escape(provenance.periodScheme)) (coaching by term)</dd>
            <dt>Drawn by</dt><dd>chronicle \(HTMLText.escape(provenance.version))</dd>
            </dl>
            <nav aria-label="Contents"><ol>
            \(contents.joined(separator: "\n"))
            </ol></nav>
            </header>
            """
    }

    /// One chart per collaborative, each under its name.
    private static func perCollaborative(
        _ data: HTMLReportData, _ chart: (HTMLReportData.Collaborative) -> String
    ) -> String {
        data.collaboratives.map { collaborative in
            "<h3>\(HTMLText.escape(collaborative.name)) <small>(\(collaborative.slug))</small></h3>\n"
                + chart(collaborative)
        }.joined(separator: "\n")
    }

    /// What each section's figures mean (the definitions of the text reports).
    static let definitions: [String: String] = [
        "attendance": "Attendance of a workshop for a collaborative = attendees who were active members of it that "
            + "day ÷ members active that day (a cross-locality workshop counts once for each collaborative; with "
            + "nobody active there is no rate). A period's mean rate is unweighted over its workshops.",
        "membership": "Members active the day before each period, the joins and leaves dated in it; "
            + "end = start + joined − left.",
        "sectors": "The sectors with at least one active member on each period's last day, and the sectors lost: "
            + "present the day before a period and absent on its last day.",
        "progress": "Each sub-group's status over time (the latest status change, planned from formation), its "
            + "milestones, and whether it has stalled.",
        "succession": "For each role slot, the chain of holders with how they were appointed, the gaps with nobody "
            + "in the role, and whether the slot is vacant on D.",
        "coaching": "Coaching sessions and distinct attendees per sub-group and term, and the terms in which an "
            + "existing sub-group had no session.",
        "surveys": "Each survey wave a collaborative closed by D: members who responded ÷ members invited, in the "
            + "order the waves closed.",
    ]
}
