//! docs/cmdlets.md is generated from the signatures; this fails when it is
//! stale (`UPDATE_DOCS=1 cargo test --test main docs::` rewrites it).

#[test]
fn cmdlet_reference_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cmdlets.md");
    let generated = mailsh::cmdlets::cmdlets_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &generated).expect("docs/cmdlets.md written");
        return;
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(current == generated, "docs/cmdlets.md is stale: run UPDATE_DOCS=1 cargo test --test main docs::");
}
