//! The tests are one binary: every Rust file under tests/ is a module of
//! tests/main.rs, so none is left out of `cargo test` (Cargo.toml builds
//! only main.rs) and none is linked as a binary of its own.

use std::path::Path;

/// The `mod name;` lines of a module file.
fn declared(module_file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(module_file).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.trim().trim_start_matches("pub ").strip_prefix("mod ")?.strip_suffix(';').map(str::to_string))
        .collect()
}

/// Files and folders of `dir` (holding Rust files) that `module_file` does
/// not declare.
fn undeclared(dir: &Path, module_file: &Path) -> Vec<String> {
    let mods = declared(module_file);
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a tests folder").flatten() {
        let path = entry.path();
        let name = path.file_stem().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if path.is_dir() {
            let inner = path.join("mod.rs");
            if inner.exists() {
                if !mods.contains(&name) {
                    missing.push(path.display().to_string());
                }
                missing.extend(undeclared(&path, &inner));
            } else if std::fs::read_dir(&path).expect("a folder").flatten().any(|e| is_rust(&e.path())) {
                missing.push(format!("{} (no mod.rs)", path.display()));
            }
        } else if is_rust(&path) && path != module_file && !mods.contains(&name) {
            missing.push(path.display().to_string());
        }
    }
    missing
}

fn is_rust(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "rs")
}

#[test]
fn every_file_under_tests_is_a_module_of_the_one_binary() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let missing = undeclared(&tests, &tests.join("main.rs"));
    assert!(missing.is_empty(), "not a module of tests/main.rs (declare it with `mod`): {missing:?}");
}

#[test]
fn a_file_left_out_is_found() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("main.rs"), "mod kept;\n").expect("written");
    std::fs::write(dir.path().join("kept.rs"), "").expect("written");
    std::fs::write(dir.path().join("forgotten.rs"), "").expect("written");
    std::fs::create_dir(dir.path().join("area")).expect("folder");
    std::fs::write(dir.path().join("area").join("loose.rs"), "").expect("written");
    let mut missing = undeclared(dir.path(), &dir.path().join("main.rs"));
    missing.sort();
    let shown: Vec<String> =
        missing.iter().map(|m| m.trim_start_matches(&dir.path().display().to_string()).to_string()).collect();
    assert_eq!(shown, ["/area (no mod.rs)", "/forgotten.rs"]);
}
