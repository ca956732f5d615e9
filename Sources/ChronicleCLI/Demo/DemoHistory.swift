/// The built-in demo history: an NDJSON export embedded in the binary at build time
/// (`Demo/demo-history.ndjson`, made by `scripts/make-demo` through today's append path, so restoring it gives
/// a store as this build writes one: binary payloads, sealed personal fields and the members' keys).
enum DemoHistory {
    static var bytes: [UInt8] { PackageResources.demo_history_ndjson }
}
