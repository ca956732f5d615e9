import Testing

@testable import Collaboratives

/// Date formats of registers: `DD/MM/YYYY`, `YYYY-MM-DD`, `D MMM YYYY` and their kin.
@Suite struct RegisterDateFormatTests {
    @Test(arguments: [
        ("DD/MM/YYYY", "12/10/2023"), ("DD/MM/YYYY", "2/9/2023"), ("D/M/YYYY", "12/10/2023"),
        ("YYYY-MM-DD", "2023-10-12"), ("D MMM YYYY", "12 Oct 2023"), ("D MMM YYYY", "12 october 2023"),
        ("D MMMM YYYY", "12  October 2023"), ("MM/DD/YYYY", "10/12/2023"), ("DD.MM.YYYY", " 12.10.2023 "),
    ])
    func cellsInTheirFormatReadAsTheirDay(pattern: String, cell: String) throws {
        let format = try RegisterDateFormat(pattern: pattern)
        let expected = pattern == "DD/MM/YYYY" && cell == "2/9/2023" ? day("2023-09-02") : day("2023-10-12")
        #expect(format.day(from: cell) == expected)
    }

    @Test func septemberMayBeWrittenSept() throws {
        #expect(try RegisterDateFormat(pattern: "D MMM YYYY").day(from: "4 Sept 2023") == day("2023-09-04"))
    }

    @Test(arguments: ["31/02/2023", "12-10-2023", "12/10/23", "12/10/2023 10:00", "", "x", "12/13/2023"])
    func cellsThatAreNotDatesInTheFormatAreRefused(cell: String) throws {
        #expect(try RegisterDateFormat(pattern: "DD/MM/YYYY").day(from: cell) == nil)
    }

    @Test(arguments: ["DD/MM/YY", "DDMMYYYY", "DD/MM", "YYYY-MM-DD-DD", "dd/mm/yyyy", "DD/MMMMM/YYYY", ""])
    func patternsWithoutOneYearMonthAndDayAreRefused(pattern: String) {
        #expect(throws: DomainError.self) { try RegisterDateFormat(pattern: pattern) }
    }
}
