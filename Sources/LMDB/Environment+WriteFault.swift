internal import Synchronization

extension Environment {
    /// How the process ends after a write faults inside LMDB (see ``write(_:)``): what it writes to standard
    /// error and the status it exits with.
    ///
    /// Only these two are a program's choice. That the process ends is not: the fault may have come with the
    /// allocator's lock held and the transaction half updated, so nothing after it may run that allocates,
    /// commits or aborts; the process ends at once with `_exit`, and nothing of the transaction reaches the file.
    public struct WriteFaultExit: Sendable, Hashable {
        /// What is written to standard error, as it is (end it with a newline); at most
        /// ``messageCapacity`` bytes of its UTF-8 are kept, cut at a character's boundary.
        public let message: String
        /// The exit status, 1 to 255.
        public let status: Int32
        /// What is written instead of ``message`` when the fault is a write through the map of an environment
        /// opened with ``Options/writeMap`` that the system refused (SIGBUS: a page of the sparse data file
        /// that could not be given a block, on a full or failing disk), with `{store}` replaced by the
        /// environment's path; empty for ``message``. Cut as ``message`` is.
        public let refusedMapWriteMessage: String

        /// The most bytes of a message kept.
        public static let messageCapacity = 1_024

        /// The Chronicle CLI's: one line saying the store is damaged and nothing was written, and status 74
        /// (`EX_IOERR`, its exit code for a damaged store). The default.
        public static let chronicle = WriteFaultExit(
            message: "chronicle: error: the store is damaged: LMDB faulted while writing to it; nothing was written "
                + "(run `chronicle verify` for where)\n",
            status: 74,
            refusedMapWriteMessage:
                "chronicle: error: storage error: cannot write to the store at {store}: No space left on device "
                + "(or the disk failed writing through the memory map); nothing was written\n")

        /// Creates the exit with `message` (cut to ``messageCapacity`` bytes of UTF-8 at a character's
        /// boundary) and `status`. A status outside 1...255 would read as success or be cut by the system
        /// (256 exits 0), so it is replaced by 74 (`EX_IOERR`).
        public init(message: String, status: Int32, refusedMapWriteMessage: String = "") {
            self.message = Self.cut(message)
            self.status = (1...255).contains(status) ? status : 74
            self.refusedMapWriteMessage = Self.cut(refusedMapWriteMessage)
        }

        /// `message` cut to ``messageCapacity`` bytes of UTF-8 at a character's boundary.
        private static func cut(_ message: String) -> String {
            var kept = ""
            var bytes = 0
            for character in message {
                bytes += character.utf8.count
                guard bytes <= Self.messageCapacity else { break }
                kept.append(character)
            }
            return kept
        }
    }

    /// The exit chosen, and whether the C guard holds it yet (it starts with none: an empty message and 74).
    private static let chosenWriteFaultExit = Mutex((exit: WriteFaultExit.chronicle, pushed: false))

    /// Hands the chosen exit to the C guard unless it holds it already (when the first environment opens), so
    /// that the message lives in one place, here.
    static func pushWriteFaultExitOnce() {
        chosenWriteFaultExit.withLock { chosen in
            guard !chosen.pushed else { return }
            FaultGuard.setWriteFaultExit(chosen.exit)
            chosen.pushed = true
        }
    }

    /// How the process ends after a write faults inside LMDB, for every environment of the process
    /// (``WriteFaultExit/chronicle`` unless set). Set it once, before the first write: a fault while it is
    /// being set may write part of either message.
    ///
    /// ```swift
    /// Environment.writeFaultExit = .init(message: "myapp: the event store is damaged\n", status: 70)
    /// ```
    public static var writeFaultExit: WriteFaultExit {
        get { chosenWriteFaultExit.withLock { $0.exit } }
        set {
            chosenWriteFaultExit.withLock { chosen in
                chosen = (exit: newValue, pushed: true)
                FaultGuard.setWriteFaultExit(newValue)
            }
        }
    }
}
