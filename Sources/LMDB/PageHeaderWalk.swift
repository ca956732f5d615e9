internal import FileSystem
internal import Foundation

/// A walk of LMDB's B-trees, page by page, read from the data file with `pread`, checking each reachable
/// page's header (the layout of liblmdb 0.9, little-endian, 64-bit).
///
/// liblmdb trusts a page's flags once the bit it tests holds: a branch page that also carries `P_KEEP` or
/// `P_LOOSE` reads as any branch, but the commit (`mdb_page_flush`) skips pages with those flags, so the
/// copy-on-write copy of it (which inherits them) is never written and the next write breaks the store.
/// Reads cannot see such damage; this walk does. It trusts nothing it reads: every page number is bounded by
/// the meta page's last page, every offset by the page, and the recursion by each tree's recorded depth
/// (at most 64), so a damaged page gives a fault, never a crash. Pages are read into one buffer per level
/// with `pread`, not through the map; the walk keeps one bit a page of the file (each is reached once) and the
/// page numbers the free list names (checked to lie in no tree: a commit frees the number a page's header
/// says, so a write on a page whose number was damaged frees a page still in use, or none).
///
/// The file is read through the environment's own descriptor (the file liblmdb maps, whatever its path has
/// become) with `pread` and sized with `fstat`, neither of which moves its offset: liblmdb 0.9 writes several
/// pages with `lseek` then `writev` on it, so moving that offset while another thread commits would send the
/// commit's pages to the wrong place.
///
/// The meta page's last page may lie past the file's end in a sound store: the pages a write transaction took
/// from the end of the file and freed again before its commit (a value written then deleted) are listed free
/// but never written. Only a page that a tree reaches must be in the file. So the walk's memory is sized by
/// the file, never by the meta page's last page (a damaged number there must not cost gigabytes): the free
/// pages past the end are kept apart, as many as the free list names.
///
/// A read of the file that fails (`pread` or `fstat` returning an error, a disk's `EIO`) says nothing of the
/// store's pages: it is not damage but an I/O error, a ``ReadFailure`` thrown, so that the caller reports it
/// as such (the CLI's exit 74, not `verify`'s fault or a refusal of the store as truncated). A short read at
/// the file's end stays a fault: the file lacks the page.
struct PageHeaderWalk {
    /// A damaged page, in words; or a read that failed, with its `errno` (see ``ReadFailure``).
    struct Fault: Error {
        let problem: String
        /// The `errno` of a `pread` or `fstat` that failed, nil for damage.
        var failedRead: Int32?
    }

    /// A read of the data file that failed (not a short read at its end, which is truncation): the file could
    /// not be read, which says nothing of its pages.
    struct ReadFailure: Error {
        /// What could not be read and the system's reason: `page 7 of the store's file cannot be read:
        /// Input/output error`.
        let problem: String
        /// The `errno` of the call that failed.
        let code: Int32
    }

    /// A database's record (`MDB_db`): in a meta page, in the main database for a named one, or in a leaf
    /// node for a key's sub-database of duplicates.
    private struct Tree {
        let name: String
        let pad: UInt32
        let flags: UInt16
        let depth: UInt16
        let root: UInt64
        /// Whether this is a key's sub-database of duplicates (whose leaves are `P_LEAF2` under `MDB_DUPFIXED`).
        let isDuplicates: Bool
        /// Whether this is the main database (whose `F_SUBDATA` nodes are the named databases).
        let isMain: Bool
        /// Whether this is LMDB's free list (whose values list free page numbers).
        var isFreeList = false
    }

    private static let branch: UInt16 = 0x01
    private static let leaf: UInt16 = 0x02
    private static let overflow: UInt16 = 0x04
    private static let meta: UInt16 = 0x08
    private static let leaf2: UInt16 = 0x20
    private static let bigData: UInt16 = 0x01
    private static let subData: UInt16 = 0x02
    private static let dupData: UInt16 = 0x04
    private static let dupFixed: UInt16 = 0x10
    private static let headerSize = 16
    private static let nodeHeaderSize = 8
    private static let databaseRecordSize = 48
    private static let maximumDepth: UInt16 = 64

    /// The environment's descriptor of the data file (read with `pread` only).
    let descriptor: Int32
    /// The environment's page size.
    let pageSize: Int
    /// The transaction id of the snapshot to walk: the meta page naming it is chosen (else the newer one).
    let snapshot: UInt64
    /// The last page in use, from the chosen meta page.
    private var lastPage: UInt64 = 0
    /// The pages the file holds.
    private var filePages: UInt64 = 0
    /// One bit per page of the file: reached by the walk or listed as free (an eighth of a byte a page).
    private var seen: [UInt64] = []
    /// The free pages past the file's end (each listed once).
    private var freePastTheEnd: Set<UInt64> = []
    /// The page numbers the free list's values name, checked once every tree has been walked.
    private var freePages: [UInt64] = []
    /// Called once the meta page is read, before any tree is: where a test lets another writer commit.
    var metaRead: () -> Void = {}

    init(descriptor: Int32, pageSize: Int, snapshot: UInt64) {
        self.descriptor = descriptor
        self.pageSize = pageSize
        self.snapshot = snapshot
    }

    /// The first damaged page found, in words, or nil when every reachable page's header is sound; throws
    /// when the file cannot be read.
    mutating func run() throws(ReadFailure) -> String? { try walkFromMeta(throughMainTree: true) }

    /// Nil when every page between the file's end and the meta page's last page is listed in the free list
    /// (pages freed before they were ever written: a sound store), else why not, in words. Only the free list
    /// is walked, so that opening a store whose file is that short costs one walk of its free list. Throws
    /// when the file cannot be read.
    mutating func pagesPastTheEndProblem() throws(ReadFailure) -> String? { try walkFromMeta(throughMainTree: false) }

    /// Walks the free list, and the main database's tree (with every named database and sub-database) when
    /// `throughMainTree`, from the snapshot's meta page; then checks the free pages and those past the end.
    private mutating func walkFromMeta(throughMainTree: Bool) throws(ReadFailure) -> String? {
        try checking { walk throws(Fault) in
            let meta = try walk.readMeta()
            walk.metaRead()
            var freeList = Self.tree(meta, at: 40, name: "(free list)", isDuplicates: false, isMain: false)
            freeList.isFreeList = true
            try walk.walk(tree: freeList)
            if throughMainTree {
                try walk.walk(tree: Self.tree(meta, at: 88, name: "(main)", isDuplicates: false, isMain: true))
            }
            try walk.checkFreePages()
            try walk.checkPastTheEnd()
        }
    }

    /// Checks that every page between the file's end and the last page is listed free (after
    /// ``checkFreePages()``). Each number counted lies in that range, once: all are there when the counts agree;
    /// otherwise the first one missing is named.
    private func checkPastTheEnd() throws(Fault) {
        let pastTheEnd = lastPage >= filePages ? lastPage - filePages + 1 : 0
        guard UInt64(freePastTheEnd.count) != pastTheEnd else { return }
        var missing = filePages
        for number in freePastTheEnd.sorted() where number == missing { missing += 1 }
        throw Fault(problem: "page \(missing), past the file's end, is in use (the free list omits it)")
    }

    /// Runs `body`: the problem it found, or nil; a read that failed is thrown.
    private mutating func checking(_ body: (inout Self) throws(Fault) -> Void) throws(ReadFailure) -> String? {
        do {
            try body(&self)
            return nil
        } catch {
            if let code = error.failedRead { throw ReadFailure(problem: error.problem, code: code) }
            return error.problem
        }
    }

    /// Reads the meta page of the snapshot, checks it and sizes the walk's memory by its last page.
    private mutating func readMeta() throws(Fault) -> [UInt8] {
        guard pageSize >= 512 else { throw Fault(problem: "the store's page size \(pageSize) is impossible") }
        let metas = [try read(page: 0), try read(page: 1)]
        let txnids = metas.map { Self.u64($0, 144) }
        let chosen = txnids.firstIndex(of: snapshot) ?? (txnids[1] > txnids[0] ? 1 : 0)
        let page = metas[chosen]
        try checkNumber(page, UInt64(chosen))
        let flags = Self.u16(page, 10)
        guard flags == Self.meta else { throw Fault(problem: flagsProblem(UInt64(chosen), flags, "a meta page's")) }
        lastPage = Self.u64(page, 136)
        let length: Int
        do {
            length = try FileSystem.sizeOfOpenFile(descriptor)
        } catch {
            throw Fault(problem: "the store's file cannot be sized: \(error.reason)", failedRead: error.code)
        }
        filePages = UInt64(max(length, 0)) / UInt64(pageSize)
        guard lastPage >= 1 else { throw Fault(problem: "the meta page names last page \(lastPage)") }
        // Sized by the file (one bit a page), not by `lastPage`, which only free pages may exceed the file by.
        seen = [UInt64](repeating: 0, count: Int(filePages / 64) + 1)
        return page
    }

    /// Checks that each page the free list names is in the file, in no tree and listed once. A commit frees the
    /// page number a page's header says, not the one it was read from, so a write on a page whose number was
    /// damaged puts a wrong number in the free list: a page still in use, to be written over later.
    private mutating func checkFreePages() throws(Fault) {
        for number in freePages {
            guard number >= 2, number <= lastPage else {
                throw Fault(problem: "the free list names page \(number), past the last page \(lastPage)")
            }
            let isNew = number < filePages ? !isSeen(number) : freePastTheEnd.insert(number).inserted
            guard isNew else {
                throw Fault(problem: "the free list names page \(number), which is in use or listed twice")
            }
            if number < filePages { markSeen(number) }
        }
    }

    private func isSeen(_ number: UInt64) -> Bool { seen[Int(number / 64)] & (1 << (number % 64)) != 0 }

    private mutating func markSeen(_ number: UInt64) { seen[Int(number / 64)] |= 1 << (number % 64) }

    /// Takes the page numbers of a free-list value (`MDB_IDL`: a count, then as many page numbers; a record
    /// LMDB reserved may hold more room than that) from the `size` bytes at `start` of `page`.
    private mutating func collectFree(_ page: [UInt8], at start: Int, size: Int, _ number: UInt64) throws(Fault) {
        let listed = Self.u64(page, start)
        guard size >= 8, listed <= UInt64(size / 8 - 1) else {
            throw Fault(
                problem: "page \(number) of the store's file: a free-list entry of \(size) bytes lists \(listed)")
        }
        for index in 0..<Int(listed) { freePages.append(Self.u64(page, start + 8 + 8 * index)) }
    }

    /// ``collectFree(_:at:size:_:)`` for a value of `size` bytes in the run of overflow pages from `first`,
    /// read a page at a time.
    private mutating func collectFree(run first: UInt64, size: UInt64) throws(Fault) {
        let end = UInt64(Self.headerSize) + size
        var position = UInt64(Self.headerSize)
        var listed: UInt64?
        var taken: UInt64 = 0
        while position + 8 <= end {
            let page = try read(page: first + position / UInt64(pageSize))
            var offset = Int(position % UInt64(pageSize))
            while offset + 8 <= pageSize, position + 8 <= end {
                let word = Self.u64(page, offset)
                if let count = listed {
                    if taken < count {
                        freePages.append(word)
                        taken += 1
                    }
                } else {
                    listed = word
                }
                offset += 8
                position += 8
            }
        }
        guard let listed, listed == taken else {
            throw Fault(
                problem: "page \(first) of the store's file: a free-list entry of \(size) bytes lists \(listed ?? 0)")
        }
    }

    private mutating func walk(tree: Tree) throws(Fault) {
        guard tree.root != UInt64.max else { return }
        guard (1...Self.maximumDepth).contains(tree.depth) else {
            throw Fault(problem: "the \(tree.name) database records a depth of \(tree.depth)")
        }
        try walk(page: tree.root, level: 1, in: tree)
    }

    /// Checks page `number` at `level` (1 is the root) of `tree`, and every page below it.
    private mutating func walk(page number: UInt64, level: UInt16, in tree: Tree) throws(Fault) {
        try checkInFile(number, tree)
        guard !isSeen(number) else { throw fault(number, "reached twice", tree) }
        markSeen(number)
        let page = try read(page: number)
        try checkNumber(page, number)
        let isLeaf = level >= tree.depth
        let expected: UInt16
        let place: String
        if !isLeaf {
            (expected, place) = (Self.branch, "a branch page's")
        } else if tree.isDuplicates && tree.flags & Self.dupFixed != 0 {
            (expected, place) = (Self.leaf | Self.leaf2, "a fixed-size leaf page's")
        } else {
            (expected, place) = (Self.leaf, "a leaf page's")
        }
        let flags = Self.u16(page, 10)
        guard flags == expected else { throw Fault(problem: flagsProblem(number, flags, place) + inside(tree)) }
        let lower = Int(Self.u16(page, 12))
        let upper = Int(Self.u16(page, 14))
        guard lower >= Self.headerSize, lower <= upper, upper <= pageSize, lower % 2 == 0 else {
            throw fault(number, "impossible bounds \(lower)…\(upper)", tree)
        }
        let count = (lower - Self.headerSize) / 2
        if expected & Self.leaf2 != 0 {
            guard Self.headerSize + count * Int(tree.pad) <= pageSize else {
                throw fault(number, "more keys than fit in it", tree)
            }
            return
        }
        for index in 0..<count {
            let offset = Int(Self.u16(page, Self.headerSize + 2 * index))
            let keySize = Int(Self.u16(page, offset + 6))
            guard offset >= upper, offset + Self.nodeHeaderSize + keySize <= pageSize else {
                throw fault(number, "node \(index) lies outside the page", tree)
            }
            let low = UInt64(Self.u16(page, offset))
            let high = UInt64(Self.u16(page, offset + 2))
            let nodeFlags = Self.u16(page, offset + 4)
            let dataStart = offset + Self.nodeHeaderSize + keySize
            if !isLeaf {
                try walk(page: low | high << 16 | UInt64(nodeFlags) << 32, level: level + 1, in: tree)
            } else if nodeFlags & Self.bigData != 0 {
                guard dataStart + 8 <= pageSize else {
                    throw fault(number, "node \(index) lies outside the page", tree)
                }
                let first = Self.u64(page, dataStart)
                try checkOverflow(first, holding: low | high << 16, in: tree)
                if tree.isFreeList { try collectFree(run: first, size: low | high << 16) }
            } else {
                guard dataStart + Int(low | high << 16) <= pageSize else {
                    throw fault(number, "node \(index) lies outside the page", tree)
                }
                if tree.isFreeList {
                    try collectFree(page, at: dataStart, size: Int(low | high << 16), number)
                    continue
                }
                guard nodeFlags & Self.subData != 0, low | high << 16 == UInt64(Self.databaseRecordSize) else {
                    continue
                }
                if nodeFlags & Self.dupData != 0 && !tree.isDuplicates {
                    try walk(tree: Self.tree(page, at: dataStart, name: tree.name, isDuplicates: true, isMain: false))
                } else if tree.isMain {
                    let key = page[(offset + Self.nodeHeaderSize)..<dataStart]
                    let name = String(decoding: key, as: UTF8.self)
                    try walk(tree: Self.tree(page, at: dataStart, name: name, isDuplicates: false, isMain: false))
                }
            }
        }
    }

    /// Checks the first page of a run of overflow pages holding a value of `size` bytes.
    private mutating func checkOverflow(_ number: UInt64, holding size: UInt64, in tree: Tree) throws(Fault) {
        try checkInFile(number, tree)
        let page = try read(page: number)
        try checkNumber(page, number)
        let flags = Self.u16(page, 10)
        guard flags == Self.overflow else {
            throw Fault(problem: flagsProblem(number, flags, "an overflow page's") + inside(tree))
        }
        let pages = UInt64(Self.u32(page, 12))
        guard pages >= 1, number + pages - 1 <= lastPage, number + pages <= filePages,
            pages * UInt64(pageSize) >= UInt64(Self.headerSize) + size
        else {
            throw fault(number, "a run of \(pages) overflow pages, impossible", tree)
        }
        for page in number..<(number + pages) {
            guard !isSeen(page) else { throw fault(page, "reached twice", tree) }
            markSeen(page)
        }
    }

    /// Checks that a page a tree reaches is a data page within the last page and the file (only free pages
    /// may lie past the file's end), which also keeps it inside the walk's bit set.
    private func checkInFile(_ number: UInt64, _ tree: Tree) throws(Fault) {
        guard number >= 2, number <= lastPage else {
            throw fault(number, "past the last page \(lastPage), yet a page points to it", tree)
        }
        guard number < filePages else {
            throw fault(number, "past the end of the file (\(filePages) pages), yet a page points to it", tree)
        }
    }

    private func checkNumber(_ page: [UInt8], _ number: UInt64) throws(Fault) {
        let stored = Self.u64(page, 0)
        guard stored == number else {
            throw Fault(problem: "page \(number) of the store's file: it says it is page \(stored)")
        }
    }

    private func flagsProblem(_ number: UInt64, _ flags: UInt16, _ place: String) -> String {
        "page \(number) of the store's file: flags 0x\(String(flags, radix: 16)), not \(place)"
    }

    private func inside(_ tree: Tree) -> String { " (in the \(tree.name) database)" }

    /// A fault of page `number` of `tree`: `problem`, with where it is.
    private func fault(_ number: UInt64, _ problem: String, _ tree: Tree) -> Fault {
        Fault(problem: "page \(number) of the store's file: \(problem)" + inside(tree))
    }

    /// Page `number` of the data file, or a fault when the file ends before it (damage) or the read fails (an
    /// I/O error, with its `errno`).
    private func read(page number: UInt64) throws(Fault) -> [UInt8] {
        let (offset, overflow) = number.multipliedReportingOverflow(by: UInt64(pageSize))
        guard !overflow, offset <= UInt64(Int64.max) else {
            throw Fault(problem: "page \(number) of the store's file: past the end of the file")
        }
        var page = [UInt8](repeating: 0, count: pageSize)
        var code: Int32 = 0
        let count = page.withUnsafeMutableBytes { buffer in
            let count = pread(descriptor, buffer.baseAddress, pageSize, off_t(offset))
            if count < 0 { code = errno != 0 ? errno : EIO }  // read at once, before any other call
            return count
        }
        if count < 0 {
            throw Fault(
                problem: "page \(number) of the store's file cannot be read: \(Self.text(code))", failedRead: code)
        }
        guard count == pageSize else {
            throw Fault(problem: "page \(number) of the store's file: cannot be read (the file ends before it)")
        }
        return page
    }

    private static func tree(_ page: [UInt8], at start: Int, name: String, isDuplicates: Bool, isMain: Bool) -> Tree {
        Tree(
            name: name, pad: u32(page, start), flags: u16(page, start + 4), depth: u16(page, start + 6),
            root: u64(page, start + 40), isDuplicates: isDuplicates, isMain: isMain)
    }
}
