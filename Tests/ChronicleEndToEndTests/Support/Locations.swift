import Foundation
import Testing

/// Where the package's files and the `chronicle` binary under test are.
enum Locations {
    /// The package root: the nearest directory above this file that holds `Package.swift`.
    static let packageRoot: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The JSON Schema validator, written independently of the Swift code.
    static var validator: URL { packageRoot.appendingPathComponent("scripts/validate_json.py") }

    /// The schema file for a name such as `output/record.v1`.
    static func schema(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Schemas/\(name).schema.json")
    }

    /// The built `chronicle` executable: next to the test bundle (SwiftPM puts every product of a
    /// build in one directory), else `$CHRONICLE_BIN`.
    static func chronicleBinary() throws -> URL {
        var directories: [URL] = []
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        for bundle in [Bundle.main] + Bundle.allBundles {
            directories.append(bundle.bundleURL)
            directories.append(bundle.bundleURL.deletingLastPathComponent())
            if let executable = bundle.executableURL { directories.append(executable.deletingLastPathComponent()) }
        }
        let manager = FileManager.default
        for directory in directories {
            let candidate = directory.appendingPathComponent("chronicle")
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                manager.isExecutableFile(atPath: candidate.path)
            {
                return candidate
            }
        }
        if let path = ProcessInfo.processInfo.environment["CHRONICLE_BIN"], manager.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        throw LocationError(
            message: "no chronicle binary next to the test bundle (looked in \(directories.map(\.path))) "
                + "and $CHRONICLE_BIN is not set to an executable")
    }
}

/// The binary under test could not be found.
struct LocationError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
