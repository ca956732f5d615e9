/// Rewrites the `data` of one event type from one schema version to the next.
///
/// Old events are never edited in the log; they are upcast when read. Register
/// upcasters in an ``UpcasterChain`` and pass it to ``EventCodec/decode(type:schemaVersion:data:upcasters:)``.
///
/// ```swift
/// struct MemberJoinedV0: Upcaster {
///     let eventType = "MemberJoined"
///     let fromVersion = 0
///     func upcast(_ data: JSONValue) throws(DomainError) -> JSONValue { … rename org to organisation … }
/// }
/// ```
public protocol Upcaster: Sendable {
    /// The catalog type it applies to (`MemberJoined`).
    var eventType: String { get }
    /// The version it reads; it produces `fromVersion + 1`.
    var fromVersion: Int { get }
    /// Transforms a `data` object of version `fromVersion` into one of version `fromVersion + 1`.
    func upcast(_ data: JSONValue) throws(DomainError) -> JSONValue
}

/// The upcasters known to this build, applied one version at a time up to the latest.
public struct UpcasterChain: Sendable {
    private struct Step: Hashable {
        let eventType: String
        let fromVersion: Int
    }

    private let steps: [Step: any Upcaster]

    /// No upcasters: only the latest version of each type is readable (the default, as only v1 exists).
    public static let empty = UpcasterChain()

    /// Creates a chain; when two upcasters share a type and version, the later one wins.
    public init(_ upcasters: [any Upcaster] = []) {
        var steps: [Step: any Upcaster] = [:]
        for upcaster in upcasters {
            steps[Step(eventType: upcaster.eventType, fromVersion: upcaster.fromVersion)] = upcaster
        }
        self.steps = steps
    }

    /// Whether `data` of `type` at `version` can be brought to ``DomainEvent/latestSchemaVersion``.
    public func canRead(type: String, version: Int) -> Bool {
        guard version <= DomainEvent.latestSchemaVersion else { return false }
        var current = version
        while current < DomainEvent.latestSchemaVersion {
            guard steps[Step(eventType: type, fromVersion: current)] != nil else { return false }
            current += 1
        }
        return true
    }

    /// Applies the upcasters from `version` up to ``DomainEvent/latestSchemaVersion``.
    ///
    /// - Throws: ``DomainError`` of kind `.unsupportedSchemaVersion` when a step is
    ///   missing or the version is newer than the latest; whatever an upcaster throws.
    public func upcast(type: String, from version: Int, data: JSONValue) throws(DomainError) -> JSONValue {
        try requireReadable(type: type, version: version)
        let latest = DomainEvent.latestSchemaVersion
        var current = version
        var value = data
        while current < latest, let step = steps[Step(eventType: type, fromVersion: current)] {
            value = try step.upcast(value)
            current += 1
        }
        return value
    }

    /// Throws the `.unsupportedSchemaVersion` error when ``canRead(type:version:)`` is false.
    func requireReadable(type: String, version: Int) throws(DomainError) {
        guard canRead(type: type, version: version) else {
            let latest = DomainEvent.latestSchemaVersion
            let reason =
                version > latest
                ? "is newer than this build reads (latest \(latest))"
                : "has no upcaster to version \(latest)"
            throw DomainError(
                .unsupportedSchemaVersion, field: "schemaVersion",
                message: "schemaVersion \(version) of \(type) \(reason)")
        }
    }
}
