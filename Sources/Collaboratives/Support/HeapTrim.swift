#if canImport(Glibc)
    internal import Glibc
#endif

/// Gives the heap's free pages back to the system, where the C library can (glibc's `malloc_trim(0)`,
/// looked up when first used: it is not part of the `Glibc` module, and another C library has none).
///
/// Why a program that frees its memory needs it: glibc keeps what is freed for later allocations, and
/// gives back only the free space at the top of each heap. A streamed import drafts its lines on other
/// threads, whose allocations come from heaps of their own (glibc's arenas), so what the drafting freed
/// stays resident while the main thread builds the rule model in its heap; and the model, once let go, stays
/// resident while the checkpoint is copied and the transaction commits. `malloc_trim(0)` releases every
/// whole free page of every arena (`madvise(MADV_DONTNEED)`), which is what the import asks for between
/// those phases (README, "Memory and append cost (issue 19)", for the figures).
struct HeapTrim: Sendable {
    /// Gives the free pages back (a test's records that it was asked to).
    let trim: @Sendable () -> Void

    /// glibc's `malloc_trim(0)`; nothing where there is none.
    static let system = HeapTrim { _ = SystemTrim.function?(0) }

    /// Whether ``system`` does anything here (glibc's `malloc_trim` found).
    static var systemTrimIsAvailable: Bool { SystemTrim.function != nil }

    /// `malloc_trim`, found once in the process's global symbols.
    private enum SystemTrim {
        typealias Function = @convention(c) (Int) -> Int32

        static let function: Function? = {
            #if canImport(Glibc)
                guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "malloc_trim") else {
                    return nil
                }
                return unsafeBitCast(symbol, to: Function.self)
            #else
                return nil
            #endif
        }()
    }
}
