import Foundation
import Testing

/// The files Chronicle writes (exports, HTML reports, backups), its standard output, stores it cannot write,
/// and how system errors read. Some tests need root (mknod, mount namespaces): the suite runs as root here
/// and in CI.
@Suite struct FilesWrittenTests {
    // MARK: - Targets that are not regular files

    @Test func exportToAFIFOWritesThroughItAndKeepsTheFIFO() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await shell(
            sandbox,
            """
            mkfifo fifo
            cat fifo > got &
            "$CHRONICLE" export fifo || exit 9
            wait
            test -p fifo && echo still-a-fifo
            wc -l < got
            """)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "still-a-fifo\n\(BaseHistory.count)\n", "\(result)")
    }

    @Test func exportToADeviceNodeWritesThroughItAndKeepsTheDevice() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        // A null device of our own, so that a regression cannot replace the system's /dev/null.
        let result = try await shell(
            sandbox,
            """
            mknod null c 1 3 || exit 9
            "$CHRONICLE" export null || exit 8
            test -c null && echo still-a-device
            ls | grep -c partial
            """)
        #expect(result.stdout == "still-a-device\n0\n", "\(result)")
    }

    @Test func reportHTMLToADeviceNodeWritesThroughItAndKeepsTheDevice() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await shell(
            sandbox,
            """
            mknod stdout-like c 1 3 || exit 9
            "$CHRONICLE" report html --out stdout-like || exit 8
            test -c stdout-like && echo still-a-device
            """)
        #expect(result.stdout.hasSuffix("still-a-device\n"), "\(result)")
    }

    @Test func generateToADeviceNodeWritesThroughItAndKeepsTheDevice() async throws {
        let sandbox = try Sandbox()
        let result = try await shell(
            sandbox,
            """
            mknod null c 1 3 || exit 9
            "$CHRONICLE" generate --events 20 --out null || exit 8
            test -c null && echo still-a-device
            """)
        #expect(result.stdout == "still-a-device\n", "\(result)")
    }

    @Test func reportHTMLToADashWritesThePageToStandardOutput() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.succeed(["report", "html", "--out", "-"])
        #expect(result.stdout.hasPrefix("<!DOCTYPE html>"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent("-").path))
    }

    @Test func exportThroughASymbolicLinkKeepsTheLinkAndReplacesTheFileItNames() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await shell(
            sandbox,
            """
            echo old > target
            ln -s target link
            "$CHRONICLE" export link || exit 8
            test -L link && echo still-a-link
            wc -l < target
            """)
        #expect(result.stdout == "still-a-link\n\(BaseHistory.count)\n", "\(result)")
    }

    @Test func exportCreatesItsFileWithMode0600WhateverTheUmask() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await shell(
            sandbox,
            """
            umask 022
            "$CHRONICLE" export new.ndjson || exit 8
            stat -c %a new.ndjson
            """)
        #expect(result.stdout == "600\n", "\(result)")
    }

    @Test func exportToADashWritesStandardOutput() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.succeed(["export", "-"])
        #expect(result.stdout.split(separator: "\n").count == BaseHistory.count, "\(result)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent("-").path))
    }

    // MARK: - Standard output and full disks

    @Test func logToAFullDeviceSaysSoInOneLineAndExits74() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await shell(sandbox, #""$CHRONICLE" log > /dev/full"#)
        #expect(result.status == 74, "\(result)")
        #expect(result.stderrLines == ["chronicle: error: cannot write to standard output: No space left on device"])
    }

    @Test func logToAClosedPipeWithSIGPIPEIgnoredExitsQuietlyWithTheStatusOfSIGPIPE() async throws {
        let sandbox = try Sandbox()
        // Output far larger than a pipe's buffer, to a reader that leaves after one byte: a write must fail.
        let result = try await shell(
            sandbox,
            """
            "$CHRONICLE" demo --store demo-store > /dev/null 2>&1 || exit 9
            trap '' PIPE
            "$CHRONICLE" log --store demo-store --json 2> err | head -c 1 > /dev/null
            echo "status ${PIPESTATUS[0]}"
            cat err
            """,
            bash: true)
        #expect(result.stdout == "status 141\n", "\(result)")
    }

    @Test func exportToDevStdoutAppendedToAFileKeepsWhatTheFileHeld() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await shell(
            sandbox,
            """
            echo "first line" > out
            "$CHRONICLE" export /dev/stdout >> out || exit 9
            "$CHRONICLE" export /dev/fd/1 >> out || exit 9
            head -n 1 out
            wc -l < out
            """)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "first line", "\(result)")
        let exported = try await sandbox.succeed(["export", "-"]).stdout.split(separator: "\n").count
        #expect(exported > 0)
        #expect(lines.last.map { Int($0.trimmingCharacters(in: .whitespaces)) } == 1 + 2 * exported, "\(result)")
    }

    @Test func exportToAFullDeviceNamesTheDeviceAndTheReason() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await shell(
            sandbox,
            """
            mknod full c 1 7 || exit 9
            "$CHRONICLE" export full
            echo "status $?"
            test -c full && echo still-a-device
            """)
        #expect(result.stdout == "status 74\nstill-a-device\n", "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("cannot write full: No space left on device"), "\(result)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"), "\(result)")
    }

    // MARK: - Backups

    @Test(.lmdbOnly("an LMDB store's directory backup on a full disk"))
    func backupThatRunsOutOfSpaceLeavesNothingBehindAndARetrySucceeds() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await shell(
            sandbox,
            """
            mkdir small
            unshare -m sh -c '
              mount -t tmpfs -o size=16k tmpfs small || exit 9
              "$CHRONICLE" backup small/dest; echo "first $?"
              ls -A small
              mount -o remount,size=8m small || exit 9
              "$CHRONICLE" backup small/dest >/dev/null; echo "retry $?"
              ls small/dest; stat -c %a small/dest/data.mdb'
            """)
        #expect(result.stdout == "first 74\nretry 0\ndata.mdb\nlock.mdb\n600\n", "\(result)")
        #expect(result.stderr.contains("No space left on device"), "\(result)")
        #expect(result.stderr.contains("small/dest/data.mdb.partial"), "\(result)")
    }

    // MARK: - Stores this process cannot write

    @Test(.lmdbOnly("a read-only mount of the store's directory"))
    func readOnlyStoreCanBeQueriedAndVerifiedButRecordingIsRefusedClearly() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await shell(
            sandbox,
            """
            unshare -m sh -c '
              mount --bind "$CHRONICLE_STORE" "$CHRONICLE_STORE" || exit 9
              mount -o remount,bind,ro "$CHRONICLE_STORE" || exit 9
              "$CHRONICLE" log > /dev/null; echo "log $?"
              "$CHRONICLE" status > /dev/null; echo "status $?"
              "$CHRONICLE" export - | wc -l
              "$CHRONICLE" verify > /dev/null; echo "verify $?"
              "$CHRONICLE" record member-left --collaborative oldham --member ol-17 --on 2024-01-01 \\
                --reason capacity 2> record-error; echo "record $?"'
            cat record-error
            """)
        #expect(
            result.stdout.hasPrefix("log 0\nstatus 0\n\(BaseHistory.count)\nverify 0\nrecord 74\n"), "\(result)")
        #expect(result.stdout.contains("the store at \(sandbox.store.path) is read-only"), "\(result)")
    }

    @Test(.lmdbOnly("an LMDB store's file permissions"))
    func recordingIntoAStoreThisUserMayNotWriteIsRefusedAsAPermission() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        // Root is not bound by file modes, so as root the commands run as nobody (who may read the store).
        let result = try await shell(
            sandbox,
            """
            chmod 755 .; chmod 444 "$CHRONICLE_STORE"/*; chmod 555 "$CHRONICLE_STORE"
            as=""; if [ "$(id -u)" = 0 ]; then as="setpriv --reuid=65534 --regid=65534 --clear-groups"; fi
            $as "$CHRONICLE" log > /dev/null; echo "log $?"
            $as "$CHRONICLE" record member-left --collaborative oldham --member ol-17 --on 2024-01-01 \\
              --reason capacity 2> record-error; echo "record $?"
            chmod 000 "$CHRONICLE_STORE"
            $as "$CHRONICLE" log > /dev/null 2> log-error; echo "unreadable $?"
            chmod 700 "$CHRONICLE_STORE"; chmod 600 "$CHRONICLE_STORE"/*
            cat record-error log-error
            """)
        #expect(result.stdout.hasPrefix("log 0\nrecord 77\nunreadable 77\n"), "\(result)")
        #expect(
            result.stdout.contains(
                "chronicle: error: the store at \(sandbox.store.path) is read-only (this process cannot write it)"),
            "\(result)")
        #expect(
            result.stdout.contains(
                "chronicle: error: cannot open the store at \(sandbox.store.path): Permission denied"),
            "\(result)")
        #expect(try await sandbox.head().seq == BaseHistory.count)
    }

    @Test(.lmdbOnly("LMDB's lock.mdb"))
    func storeWhoseLockFileCannotBeCreatedIsStillReadable() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await shell(
            sandbox,
            """
            rm "$CHRONICLE_STORE/lock.mdb"
            unshare -m sh -c '
              mount --bind "$CHRONICLE_STORE" "$CHRONICLE_STORE" || exit 9
              mount -o remount,bind,ro "$CHRONICLE_STORE" || exit 9
              "$CHRONICLE" verify > /dev/null; echo "verify $?"'
            """)
        #expect(result.stdout == "verify 0\n", "\(result)")
    }

    // MARK: - Damaged stores

    @Test(.lmdbOnly("patches bytes of data.mdb"))
    func exportOfADamagedStoreNamesTheLastGoodSeqAndLeavesNoCompleteLookingFile() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let dataFile = sandbox.store.appendingPathComponent("data.mdb")
        var bytes = try Data(contentsOf: dataFile)
        let range = try #require(
            bytes.range(of: Data("Smooth Year".utf8)), "the payload of seq 9 is not stored as plain text")
        // Not UTF-8: the payload of seq 9 no longer decodes.
        bytes.replaceSubrange(range.prefix(4), with: [0xFF, 0xFE, 0xFF, 0xFE])
        try bytes.write(to: dataFile)

        let file = sandbox.root.appendingPathComponent("out.ndjson")
        let toFile = try await sandbox.run(["export", file.path])
        #expect(toFile.status == 74, "\(toFile)")
        #expect(toFile.stderrLines.count == 1, "\(toFile)")
        #expect(toFile.stderr.contains("seq 9"), "\(toFile)")
        #expect(toFile.stderr.contains("the last event exported is seq 8"), "\(toFile)")
        #expect(!FileManager.default.fileExists(atPath: file.path), "\(toFile)")
        let kept = file.path + ".incomplete-through-seq-8"
        let keptLines = try String(contentsOfFile: kept, encoding: .utf8).split(separator: "\n")
        #expect(keptLines.count == 8)

        let toStdout = try await sandbox.run(["export"])
        #expect(toStdout.status == 74, "\(toStdout)")
        #expect(toStdout.stdout.split(separator: "\n").count == 8, "\(toStdout)")
        #expect(toStdout.stderr.contains("the last event exported is seq 8"), "\(toStdout)")
    }

    // MARK: - init, the default store, and how system errors read

    @Test(.lmdbOnly("the mode of the store's directory"))
    func initIntoAnEmptyDirectoryOpenToEveryoneMakesIt0700() async throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(at: sandbox.store, withIntermediateDirectories: true)
        #expect(chmod(sandbox.store.path, 0o777) == 0)
        try await sandbox.succeed(["init"])
        let mode = try FileManager.default.attributesOfItem(atPath: sandbox.store.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }

    @Test(.lmdbOnly("the mode of the store's directory"))
    func initRefusesADirectoryOpenToEveryoneThatHoldsOtherFiles() async throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(at: sandbox.store, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: sandbox.store.appendingPathComponent("notes.txt"))
        #expect(chmod(sandbox.store.path, 0o777) == 0)
        let result = try await sandbox.run(["init"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("open to other users (mode 777)"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.store.appendingPathComponent("data.mdb").path))
    }

    @Test func theDefaultStoreIsUnderHOME() async throws {
        let sandbox = try Sandbox()
        let home = sandbox.root.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        var environment = CommandRunner.cleanEnvironment
        environment["HOME"] = home.path
        environment["CHRONICLE_NOW"] = Sandbox.defaultNow
        let result = try await CommandRunner.run(
            try Locations.chronicleBinary(), ["init"], environment: environment, workDirectory: sandbox.root)
        let store = home.path + "/.local/share/chronicle"
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "created an empty store at \(store)\n", "\(result)")
        #expect(FileManager.default.fileExists(atPath: store + "/data.mdb"))
    }

    @Test func aWriteToAStoreOnAFullDiskSaysWhatFailedInWords() async throws {
        let sandbox = try Sandbox()
        let history = try sandbox.file("history.ndjson", BaseHistory.ndjson)
        let result = try await shell(
            sandbox,
            """
            mkdir tiny
            unshare -m sh -c '
              mount -t tmpfs -o size=72k tmpfs tiny || exit 9
              "$CHRONICLE" init --store tiny/store > /dev/null || exit 8
              "$CHRONICLE" import --store tiny/store \(history); echo "import $?"'
            """)
        #expect(result.stdout == "import 74\n", "\(result)")
        // LMDB reports a short write as EIO, a failed one as ENOSPC: either way, in words with the path.
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(
            result.stderr.hasPrefix("chronicle: error: storage error: cannot write to the store at tiny/store: "),
            "\(result)")
        #expect(!result.stderr.contains("errno") && !result.stderr.contains("mdb_"), "\(result)")
    }

    @Test func anImportUnderAFileSizeLimitWritesTheStoreAsWithoutOne() async throws {
        // An import writes its pages through the store's map, whose file LMDB makes as long as the map (1 GiB
        // or more): under a file-size limit that would end the process with SIGXFSZ and no word.
        let sandbox = try Sandbox()
        let history = try sandbox.file("history.ndjson", BaseHistory.ndjson)
        let result = try await shell(
            sandbox,
            """
            "$CHRONICLE" init --store store > /dev/null || exit 8
            (ulimit -f 100000; "$CHRONICLE" import --store store \(history) > /dev/null); echo "import $?"
            "$CHRONICLE" verify --store store > /dev/null; echo "verify $?"
            """)
        #expect(result.stdout == "import 0\nverify 0\n", "\(result)")
    }

    @Test func aStoreThatCannotBeCreatedSaysWhatFailedInWords() async throws {
        let sandbox = try Sandbox()
        let file = try sandbox.file("plain", "not a directory")
        let result = try await sandbox.run(["init", "--store", file + "/store"])
        #expect(result.status == 74, "\(result)")
        #expect(
            result.stderrLines == [
                "chronicle: error: storage error: cannot create the directory \(file)/store: Not a directory"
            ], "\(result)")
    }

    // MARK: - Support

    /// Runs `script` with `sh` (or `bash`) in the sandbox's directory, with the environment the binary sees
    /// there and `$CHRONICLE` naming the binary.
    private func shell(_ sandbox: Sandbox, _ script: String, bash: Bool = false) async throws -> CommandResult {
        var environment = sandbox.environment()
        environment["CHRONICLE"] = try Locations.chronicleBinary().path
        let shell = URL(fileURLWithPath: bash ? "/bin/bash" : "/bin/sh")
        return try await CommandRunner.run(
            shell, ["-c", script], environment: environment, workDirectory: sandbox.root)
    }
}
