import ArgumentParser
import Foundation
import Testing

@testable import ChronicleCLI
@testable import Collaboratives

/// Issue 18, item 3: an event's fields are spelled by its codec (`init(reading:)`), the flags of its
/// `chronicle record` command and its JSON Schema (`Schemas/events`); these tests hold the three to each
/// other, so that none can gain, lose or rename a field, a limit or a value alone.
@Suite struct RecordFieldsTests {
    /// Every catalog type, in catalog order.
    static let eventTypes: [any CatalogEvent.Type] = [
        CollaborativeFormed.self, MemberJoined.self, MemberDetailsChanged.self, MemberLeft.self, RoleAssigned.self,
        RoleEnded.self, SubGroupFormed.self, SubGroupMemberJoined.self, SubGroupMemberLeft.self,
        SubGroupRedefined.self, SubGroupStatusChanged.self, MilestoneReached.self, WorkshopHeld.self,
        CoachingSessionHeld.self, SurveyWaveClosed.self, EventRetracted.self, PersonalDataErased.self,
    ]

    /// Each `record` subcommand and the type it records.
    static let recordCommands: [(command: any ParsableCommand.Type, event: any CatalogEvent.Type)] = [
        (RecordCollaborativeFormedCommand.self, CollaborativeFormed.self),
        (RecordMemberJoinedCommand.self, MemberJoined.self),
        (RecordMemberDetailsChangedCommand.self, MemberDetailsChanged.self),
        (RecordMemberLeftCommand.self, MemberLeft.self), (RecordRoleAssignedCommand.self, RoleAssigned.self),
        (RecordRoleEndedCommand.self, RoleEnded.self), (RecordSubgroupFormedCommand.self, SubGroupFormed.self),
        (RecordSubgroupMemberJoinedCommand.self, SubGroupMemberJoined.self),
        (RecordSubgroupMemberLeftCommand.self, SubGroupMemberLeft.self),
        (RecordSubgroupRedefinedCommand.self, SubGroupRedefined.self),
        (RecordSubgroupStatusChangedCommand.self, SubGroupStatusChanged.self),
        (RecordMilestoneReachedCommand.self, MilestoneReached.self), (RecordWorkshopCommand.self, WorkshopHeld.self),
        (RecordCoachingSessionCommand.self, CoachingSessionHeld.self),
        (RecordSurveyWaveClosedCommand.self, SurveyWaveClosed.self),
    ]

    @Test func theListsOfTypesAndCommandsHereAreTheCatalogsAndRecordsOwn() {
        #expect(Self.eventTypes.map { $0.typeName } == DomainEvent.typeNames)
        #expect(
            Self.recordCommands.map { $0.command._commandName }
                == RecordCommand.configuration.subcommands.map { $0._commandName })
        // The two left out are recorded by `retract` and `erase member`, from an id and a reason.
        let recorded = Set(Self.recordCommands.map { $0.event.typeName })
        #expect(Set(DomainEvent.typeNames).subtracting(recorded) == ["EventRetracted", "PersonalDataErased"])
    }

    @Test(arguments: RecordFieldsTests.eventTypes.map { $0.typeName })
    func theSchemaOfEachTypeDescribesTheFieldsItsCodecReads(_ typeName: String) throws {
        let type = try #require(Self.eventTypes.first { $0.typeName == typeName })
        let fields = try FieldShapes.of(type)
        let schema = try EventSchema(typeName)
        #expect(fields.map(\.key) == type.fieldNames, "fieldNames is the order init(reading:) reads them in")
        #expect(Set(schema.properties.keys) == Set(type.fieldNames))
        #expect(schema.required == Set(fields.filter { !$0.optional }.map(\.key)))
        for field in fields {
            let property = try #require(schema.property(field.key), "\(typeName).\(field.key)")
            switch field.kind {
            case .slug:
                #expect(property["pattern"] as? String == "^[a-z0-9][a-z0-9-]*$", "\(typeName).\(field.key)")
                #expect(property["maxLength"] as? Int == Slug.maximumLength, "\(typeName).\(field.key)")
            case .slugList(nonEmpty: let nonEmpty):
                #expect(property["type"] as? String == "array", "\(typeName).\(field.key)")
                #expect(
                    (property["items"] as? [String: Any])?["$ref"] as? String == "#/$defs/slug",
                    "\(typeName).\(field.key)")
                #expect(property["uniqueItems"] as? Bool == true, "\(typeName).\(field.key)")
                #expect((property["minItems"] as? Int ?? 0) == (nonEmpty ? 1 : 0), "\(typeName).\(field.key)")
            case .text(maximum: let maximum):
                #expect(property["minLength"] as? Int == 1, "\(typeName).\(field.key)")
                #expect(property["maxLength"] as? Int == maximum, "\(typeName).\(field.key)")
            case .value(allowed: let allowed):
                #expect(property["enum"] as? [String] == allowed, "\(typeName).\(field.key)")
            case .count:
                #expect(property["type"] as? String == "integer", "\(typeName).\(field.key)")
                #expect(property["minimum"] as? Int == 0, "\(typeName).\(field.key)")
            case .day:
                #expect(property["format"] as? String == "date", "\(typeName).\(field.key)")
            case .identifier:
                #expect(property["format"] as? String == "uuid", "\(typeName).\(field.key)")
            }
        }
    }

    @Test(arguments: RecordFieldsTests.recordCommands.map { $0.command._commandName })
    func eachRecordCommandHasOneFlagPerFieldAndOffersEachClosedListsValues(_ name: String) throws {
        let (command, type) = try #require(Self.recordCommands.first { $0.command._commandName == name })
        let options = try CommandOptions(command)
        let common = try CommandOptions(RecordCommonFlags.self)
        let eventFlags = Set(options.flags).subtracting(common.flags)
        #expect(eventFlags == Set(type.fieldNames.map { FlagNames.flag(for: $0) }))
        for field in try FieldShapes.of(type) {
            let flag = FlagNames.flag(for: field.key)
            let values = options.values[flag] ?? []
            if case .value(allowed: let allowed) = field.kind {
                #expect(values == allowed, "\(name) \(flag)")
                let listed = allowed.dropLast().joined(separator: ", ") + " or " + (allowed.last ?? "") + "."
                #expect(options.abstracts[flag]?.hasSuffix(": " + listed) == true, "\(name) \(flag)")
            } else {
                #expect(values.isEmpty, "\(name) \(flag)")
            }
        }
    }

    @Test func aMistypedValueIsRefusedNamingTheNearestValueWhenThereIsOne() {
        do throws(DomainError) {
            _ = try WorkshopMode.named("on-line", field: "data.mode")
            Issue.record("on-line was accepted")
        } catch {
            #expect(error.kind == .valueNotAllowed)
            #expect(
                FlagNames.describe(error)
                    == #"--mode: value "on-line" is not allowed (allowed: in-person, online); did you mean "online"?"#)
        }
        do throws(DomainError) {
            _ = try CoachingKind.named("chat", field: "data.kind")
            Issue.record("chat was accepted")
        } catch {
            #expect(!error.message.contains("did you mean"), "nothing is near chat: \(error)")
        }
    }
}

/// The options every `record` subcommand shares, as a command of their own.
private struct RecordCommonFlags: ParsableCommand {
    @OptionGroup var options: RecordOptions
}

/// A command's options as argument-parser describes them (`--experimental-dump-help`).
private struct CommandOptions {
    /// Every long name, with its dashes (`--attendee`).
    var flags: [String] = []
    /// The values completion offers for each flag that has a closed list.
    var values: [String: [String]] = [:]
    /// The help of each flag.
    var abstracts: [String: String] = [:]

    init(_ command: any ParsableArguments.Type) throws {
        let dump = try #require(
            try JSONSerialization.jsonObject(with: Data(command._dumpHelp().utf8)) as? [String: Any])
        let arguments = try #require((dump["command"] as? [String: Any])?["arguments"] as? [[String: Any]])
        for argument in arguments {
            for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                guard let text = name["name"] as? String, text != "help", text != "version" else { continue }
                flags.append("--" + text)
                abstracts["--" + text] = argument["abstract"] as? String
                let completion = argument["completionKind"] as? [String: Any]
                if let list = (completion?["list"] as? [String: Any])?["values"] as? [String] {
                    values["--" + text] = list
                }
            }
        }
    }
}

/// What `init(reading:)` asks of a payload, field by field: which kind, required or not, its limits.
private struct FieldShapes: PayloadFieldReading {
    enum Kind: Equatable {
        case slug, count, day, identifier
        case slugList(nonEmpty: Bool)
        case text(maximum: Int)
        case value(allowed: [String])
    }

    struct Field {
        let key: String
        let kind: Kind
        let optional: Bool
    }

    private(set) var fields: [Field] = []

    static func of(_ type: any CatalogEvent.Type) throws -> [Field] {
        var shapes = FieldShapes()
        _ = try type.init(reading: &shapes)
        return shapes.fields
    }

    func fieldPath(_ key: String) -> String { "data.\(key)" }

    private mutating func note(_ key: String, _ kind: Kind, optional: Bool) {
        fields.append(Field(key: key, kind: kind, optional: optional))
    }

    mutating func slug(_ key: String) throws(DomainError) -> Slug {
        note(key, .slug, optional: false)
        return Slug(trusted: "a")
    }

    mutating func optionalSlug(_ key: String) throws(DomainError) -> Slug? {
        note(key, .slug, optional: true)
        return Slug(trusted: "a")
    }

    mutating func day(_ key: String) throws(DomainError) -> Day {
        note(key, .day, optional: false)
        return Day(daysSinceEpoch: 0)
    }

    mutating func identifier(_ key: String) throws(DomainError) -> UUID {
        note(key, .identifier, optional: false)
        return UUID()
    }

    mutating func value<Value: StoredEnumeration>(_ key: String, as type: Value.Type) throws(DomainError) -> Value {
        note(key, .value(allowed: Value.allCases.map(\.rawValue)), optional: false)
        return try Self.first(Value.self, key)
    }

    mutating func optionalValue<Value: StoredEnumeration>(
        _ key: String, as type: Value.Type
    ) throws(DomainError) -> Value? {
        note(key, .value(allowed: Value.allCases.map(\.rawValue)), optional: true)
        return try Self.first(Value.self, key)
    }

    private static func first<Value: StoredEnumeration>(_ type: Value.Type, _ key: String) throws(DomainError)
        -> Value
    {
        guard let first = Value.allCases.first else {
            throw DomainError(.valueNotAllowed, field: key, message: "an enumeration without cases")
        }
        return first
    }

    mutating func count(_ key: String) throws(DomainError) -> Int {
        note(key, .count, optional: false)
        return 0
    }

    mutating func optionalCount(_ key: String) throws(DomainError) -> Int? {
        note(key, .count, optional: true)
        return 0
    }

    mutating func slugList(_ key: String, nonEmpty: Bool) throws(DomainError) -> [Slug] {
        note(key, .slugList(nonEmpty: nonEmpty), optional: false)
        return []
    }

    mutating func text(_ key: String, maximum: Int) throws(DomainError) -> String {
        note(key, .text(maximum: maximum), optional: false)
        return "a"
    }

    mutating func optionalText(_ key: String, maximum: Int) throws(DomainError) -> String? {
        note(key, .text(maximum: maximum), optional: true)
        return "a"
    }

    mutating func optionalPersonalText(_ key: String, maximum: Int) throws(DomainError) -> PersonalText? {
        note(key, .text(maximum: maximum), optional: true)
        return "a"
    }
}

/// `Schemas/events/<type>.v1.schema.json`, its `$ref`s to `$defs` resolved.
private struct EventSchema {
    let properties: [String: [String: Any]]
    let definitions: [String: [String: Any]]
    let required: Set<String>

    init(_ typeName: String) throws {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            try #require(directory.path != "/", "no package root above \(#filePath)")
            directory = directory.deletingLastPathComponent()
        }
        let url = directory.appendingPathComponent("Schemas/events/\(typeName).v1.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        properties = try #require(schema["properties"] as? [String: [String: Any]])
        definitions = schema["$defs"] as? [String: [String: Any]] ?? [:]
        required = Set(schema["required"] as? [String] ?? [])
    }

    /// The property `key`, with the definition its `$ref` names merged in (its own keys win).
    func property(_ key: String) -> [String: Any]? {
        guard var property = properties[key] else { return nil }
        if let reference = property["$ref"] as? String, let name = reference.split(separator: "/").last,
            let definition = definitions[String(name)]
        {
            property.merge(definition) { own, _ in own }
        }
        return property
    }
}
