import Collaboratives
import EventLog
import Foundation
import Testing

@testable import ChronicleCLI

/// Issue 7, item 1: the HTML report's renderer, without the binary.
@Suite struct HTMLReportTests {
    /// The SVG ids of the rich history's six charts.
    static let richChartIDs = [
        "chart-attendance", "chart-membership-oldham", "chart-sectors-oldham", "chart-progress-oldham",
        "chart-succession-oldham", "chart-coaching-oldham",
    ]

    @Test func markupInNamesAndTitlesIsEscapedEverywhere() {
        let page = HTMLFixtures.richPage
        #expect(!page.contains("<script"), "a member name reached the page as a script element")
        #expect(!page.contains("<img"), "a sub-group title reached the page as an element")
        #expect(!page.contains("<b>Collaborative</b>"))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Smith"), "the holder's name is shown")
        #expect(page.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; drop-ins"), "the title is shown")
        #expect(page.contains("Oldham &lt;b&gt;Collaborative&lt;/b&gt; &amp; Partners"))
        #expect(page.contains("Pilot &lt;started&gt;"))
    }

    @Test func everyChartIsAnImageWithATitleADescriptionAndADataTable() throws {
        let page = HTMLFixtures.richPage
        #expect(HTMLReport.chartIDs(in: page) == Self.richChartIDs)
        for id in Self.richChartIDs {
            #expect(page.contains("<svg id=\"\(id)\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\""), "\(id)")
            let title = try #require(text(in: page, between: "<title id=\"\(id)-title\">", and: "</title>"))
            let description = try #require(text(in: page, between: "<desc id=\"\(id)-desc\">", and: "</desc>"))
            #expect(!title.isEmpty && description.count > 40, "\(id): \(title) / \(description)")
            let figure = try #require(text(in: page, between: "<svg id=\"\(id)\"", and: "</figure>"))
            #expect(figure.contains("<details class=\"data\">") && figure.contains("<th scope=\"col\">"), "\(id)")
        }
        for section in HTMLReport.sections {
            #expect(page.contains("<section id=\"\(section.id)\" aria-labelledby=\"\(section.id)-heading\">"))
        }
    }

    @Test func theHeaderStatesDKTheLastSeqItsHashAndTheVersion() throws {
        let page = HTMLFixtures.richPage
        let header = try #require(text(in: page, between: "<header>", and: "</header>"))
        #expect(header.contains("<dd>2022-12-31</dd>"))
        #expect(header.contains("<dd>2022-09-30T12:00:00Z</dd>"))
        #expect(header.contains("<dd>seq 14</dd>"))
        #expect(header.contains(EventHash.genesis.description))
        #expect(header.contains("chronicle 9.9.9"))
        #expect(page.contains("<title>Chronicle report: Oldham &lt;b&gt;Collaborative&lt;/b&gt; &amp; Partners, as of"))
    }

    @Test func lostSectorsGapsAndSelfAppointedHoldersAreMarkedInWordsNotOnlyColour() {
        let page = HTMLFixtures.richPage
        #expect(page.contains(">lost</text>"), "the lost parent carer forum cell is labelled")
        #expect(page.contains("Lost: Year 2: parent-carer-forum."), "the description names the lost sector")
        #expect(page.contains("url(#pattern-gap)"), "lost cells and gaps are hatched")
        #expect(page.contains(">gap 59d (long)</text>"), "the anchor gap is labelled with its length")
        #expect(page.contains(">self-appointed: &lt;script&gt;"), "the self-appointed holder is labelled")
        #expect(page.contains("url(#pattern-self)"))
    }

    @Test func anEmptyHistoryRendersNoDataNotesInsteadOfCharts() {
        let formed = Array(HTMLFixtures.richEvents.prefix(1))
        let page = HTMLReport.render(HTMLFixtures.data(HTMLFixtures.view(formed)))
        #expect(HTMLReport.chartIDs(in: page).isEmpty, "no SVG chart without data")
        #expect(page.components(separatedBy: "class=\"no-data\"").count - 1 == 7, "one note per section")
        #expect(!page.contains("<polyline") && !page.contains("NaN") && !page.contains("inf"))
        expectBalanced(page)

        let nothing = HTMLReport.render(HTMLFixtures.data(HTMLFixtures.view([])))
        #expect(nothing.contains("No collaborative was formed by 2022-12-31."))
        #expect(nothing.components(separatedBy: "class=\"no-data\"").count - 1 == 7)
        expectBalanced(nothing)
    }

    @Test func aViewBeforeAnyWorkshopNotesThatAttendanceHasNoData() {
        let page = HTMLReport.render(HTMLFixtures.data(HTMLFixtures.view(HTMLFixtures.richEvents, asOf: "2021-09-20")))
        #expect(page.contains("<strong>Workshop attendance over time</strong>: no data."))
        #expect(HTMLReport.chartIDs(in: page).contains("chart-succession-oldham"))
        expectBalanced(page)
    }

    @Test func theSameHistoryGivesTheSameBytesWhateverTheOrderOfItsEvents() {
        let first = HTMLFixtures.richPage
        #expect(HTMLFixtures.richPage == first)
        let reversed = HTMLReport.render(HTMLFixtures.data(HTMLFixtures.view(HTMLFixtures.richEvents.reversed())))
        #expect(reversed == first)
    }

    @Test func thePageIsSelfContained() {
        let page = HTMLFixtures.richPage
        for forbidden in ["<script", "<link", "<img", "<iframe", "@import", " src=\"", "https://"] {
            #expect(!page.contains(forbidden), "\(forbidden)")
        }
        let references = page.components(separatedBy: "url(").dropFirst().map { $0.prefix(1) }
        #expect(references.allSatisfy { $0 == "#" }, "only in-page fill patterns are referenced")
        let addresses = page.components(separatedBy: "http://").dropFirst().map { $0.prefix(19) }
        #expect(addresses.allSatisfy { $0 == "www.w3.org/2000/svg" }, "only the SVG namespace")
        #expect(page.contains("@media print"))
        expectBalanced(page)
    }

    /// Every element that the renderer opens is closed, in the right number.
    private func expectBalanced(_ page: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for element in ["svg", "figure", "section", "table", "details", "g", "text", "title", "desc", "pattern"] {
            let opened =
                page.components(separatedBy: "<\(element)>").count + page.components(separatedBy: "<\(element) ").count
                - 2
            let closed = page.components(separatedBy: "</\(element)>").count - 1
            #expect(
                opened == closed, "<\(element)>: \(opened) opened, \(closed) closed", sourceLocation: sourceLocation)
        }
    }

    private func text(in page: String, between start: String, and end: String) -> String? {
        guard let lower = page.range(of: start),
            let upper = page.range(of: end, range: lower.upperBound..<page.endIndex)
        else { return nil }
        return String(page[lower.upperBound..<upper.lowerBound])
    }
}
