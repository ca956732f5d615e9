import Testing

@testable import ChronicleCLI

/// Stored text may predate the rule against control characters: tables show them escaped, and CSV cells
/// a spreadsheet would run as formulas are neutralised (issue 16).
@Suite struct HostileTextDisplayTests {
    @Test func aTableShowsControlAndBidiCharactersEscapedAndKeepsOneLinePerRow() {
        var table = Table(["member", "name"])
        table.add(["ol-17", "Sam\u{1B}]0;owned\u{07}\u{1B}[2J\nSmith\r"])
        table.add(["ol-18", "Acme \u{202E}eman\u{0}\u{9B}"])
        let rendered = table.render()
        #expect(rendered.split(separator: "\n", omittingEmptySubsequences: false).count == 3)
        #expect(!rendered.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!rendered.unicodeScalars.contains { $0.value == 0x202E || (0x7F...0x9F).contains($0.value) })
        #expect(rendered.contains(#"Sam\u{1B}]0;owned\u{7}\u{1B}[2J\u{A}Smith\u{D}"#))
        #expect(rendered.contains(#"Acme \u{202E}eman\u{0}\u{9B}"#))
    }

    @Test func tableColumnsStayAlignedAroundAnEscapedCell() {
        var table = Table(["name", "sector"])
        table.add(["a\u{1B}b", "health"])
        table.add(["plain", "police"])
        // `a\u{1B}b` is shown as 8 characters; the column is as wide as that.
        #expect(table.render() == "name      sector\n" + #"a\u{1B}b  health"# + "\nplain     police")
    }

    @Test(arguments: ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "-", "=", "+-1", "-1-2", "1-"])
    func csvNeutralisesACellThatStartsAFormula(_ cell: String) {
        if cell.hasPrefix("=") || cell.hasPrefix("+") || cell.hasPrefix("-") || cell.hasPrefix("@")
            || cell.hasPrefix("\t") || cell.hasPrefix("\r")
        {
            #expect(CSVWriter.neutralised(cell) == "'" + cell)
        } else {
            #expect(CSVWriter.neutralised(cell) == cell)
        }
    }

    @Test(arguments: ["-3", "+3", "-0.5", "12", "0.25", "2024-01-01", "Sam Smith", ""])
    func csvLeavesNumbersAndOrdinaryTextAsTheyAre(_ cell: String) {
        #expect(CSVWriter.neutralised(cell) == cell)
        #expect(CSVWriter.escape(cell) == cell)
    }

    @Test func csvQuotesANeutralisedCellThatNeedsQuoting() {
        var writer = CSVWriter(headers: ["name", "change"])
        writer.addRow(["=HYPERLINK(\"http://x\",\"y\")", "-3"])
        writer.addRow(["\rhidden", "+1.5"])
        writer.addRow(["two\nlines", "0"])
        #expect(
            writer.text
                == "name,change\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-3\r\n\"'\rhidden\",+1.5\r\n"
                + "\"two\nlines\",0\r\n")
    }
}
