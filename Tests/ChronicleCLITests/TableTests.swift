import Testing

@testable import ChronicleCLI

/// Tables for people: aligned columns, numbers on the right, no trailing spaces (tests run piped, so no
/// colour is added).
@Suite struct TableTests {
    @Test func columnsAlignAndLinesEndWithoutPadding() {
        var table = Table(["member", "sessions", "note"], rightAligned: [1])
        table.add(["ol-17", "3", ""])
        table.add(["Zoë O’Brien", "12", "lapsed  "])
        table.add(["x", "1"])
        #expect(
            table.render()
                == """
                member       sessions  note
                ol-17               3
                Zoë O’Brien        12  lapsed
                x                   1
                """)
    }

    @Test func aTableOfOnlySpacesRendersEmptyLines() {
        var table = Table([" "])
        table.add(["   "])
        #expect(table.render() == "\n")
    }
}
