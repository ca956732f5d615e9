import Testing

@testable import ChronicleCLI

/// The escaping and number formatting every chart relies on.
@Suite struct HTMLTextTests {
    @Test func escapeReplacesEveryCharacterThatIsMarkupInContentOrAttributes() {
        #expect(
            HTMLText.escape(#"<a href="x" title='y'>&amp;</a>"#)
                == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;")
        #expect(HTMLText.escape("Zoë O’Brien – SENCo") == "Zoë O’Brien – SENCo")
    }

    @Test func escapeDropsControlCharactersThatHTMLForbids() {
        #expect(HTMLText.escape("a\u{0}b\u{1B}c\td\ne") == "a\u{FFFD}b\u{FFFD}c\td\ne")
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (0.04, "0"), (1.25, "1.3"), (-1.25, "-1.3"), (-0.5, "-0.5"), (960, "960"),
        (123.456, "123.5"), (Double.nan, "0"), (Double.infinity, "0"),
    ])
    func coordinatesHaveAtMostOneDecimalAndNoLocale(value: Double, expected: String) {
        #expect(HTMLText.coordinate(value) == expected)
    }

    @Test func tablesEscapeTheirCellsAndMarkRowHeaders() {
        var table = HTMLTable(caption: "A & B", headers: ["<x>", "y"])
        table.add(["<script>", "1"])
        #expect(table.html.contains("<caption>A &amp; B</caption>"))
        #expect(table.html.contains("<th scope=\"col\">&lt;x&gt;</th>"))
        #expect(table.html.contains("<tr><th scope=\"row\">&lt;script&gt;</th><td>1</td></tr>"))
        #expect(table.disclosed.hasPrefix("<details class=\"data\">\n<summary>Data table: A &amp; B</summary>"))
    }

    @Test func labelsTooLongForTheirPlaceAreCutWithAnEllipsis() {
        #expect(HTMLText.truncated("Transitions pilot", to: 40) == "Transitions pilot")
        #expect(HTMLText.truncated("Transitions pilot", to: 8) == "Transit…")
    }
}
