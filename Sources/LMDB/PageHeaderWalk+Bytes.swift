internal import Foundation

/// Reading the walk's pages: little-endian integers, and the system's words for a failed read.
extension PageHeaderWalk {
    /// The little-endian integers at `offset` (the callers bound it by the page size); 0 past the end.
    static func u16(_ page: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: integer(page, offset, 2))
    }

    static func u32(_ page: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: integer(page, offset, 4))
    }

    static func u64(_ page: [UInt8], _ offset: Int) -> UInt64 { integer(page, offset, 8) }

    static func integer(_ page: [UInt8], _ offset: Int, _ size: Int) -> UInt64 {
        guard offset >= 0, offset + size <= page.count else { return 0 }
        var value: UInt64 = 0
        for index in (0..<size).reversed() { value = value << 8 | UInt64(page[offset + index]) }
        return value
    }

    /// The system's text for `code` (`strerror(3)`).
    static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
}
