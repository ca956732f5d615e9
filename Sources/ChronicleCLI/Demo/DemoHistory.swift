/// The built-in demo history: an NDJSON export embedded in the binary at build time
/// (`Demo/demo-history.ndjson`, made by `scripts/make-demo`).
enum DemoHistory {
    static var bytes: [UInt8] { PackageResources.demo_history_ndjson }
}
