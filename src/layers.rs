//! The layers' dependency rule, checked on every `cargo test`: each layer
//! (a top-level folder of `src/`) may name only the layers below it, as the
//! table says. A `crate::x` path or a `super::` chain that leaves the layer
//! for one it may not use fails the test with the file and line, so an
//! arrow that runs back up cannot land. docs/architecture.md draws the same
//! table.

/// Each layer and the layers it may use, from the ground up.
pub const ALLOWED: &[(&str, &[&str])] = &[
    ("language", &[]),
    ("store", &[]),
    ("runtime", &["language", "store"]),
    ("format", &["runtime"]),
    ("engines", &["store"]),
    ("services", &["engines", "store"]),
    ("cmdlets", &["language", "runtime", "format", "store", "services", "engines"]),
    ("hosts", &["language", "runtime", "format", "store", "services", "cmdlets"]),
];

/// One use of another layer that the table does not allow.
#[derive(Debug, PartialEq, Eq)]
pub struct Violation {
    pub file: String,
    pub line: usize,
    pub from: String,
    pub to: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {} may not use {}", self.file, self.line, self.from, self.to)
    }
}

/// The module path of a file under `src/`: `runtime/exec/switch.rs` is
/// `[runtime, exec, switch]`, `runtime/exec/mod.rs` is `[runtime, exec]`.
fn module_path(relative: &str) -> Vec<String> {
    let without = relative.trim_end_matches(".rs");
    let mut parts: Vec<String> = without.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The layers a line of code names: after `crate::` (including the
/// `crate::{a, b}` form) and at the end of a `super::` chain that reaches
/// the crate's root.
fn layers_named(code: &str, module: &[String]) -> Vec<String> {
    let mut named = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + "crate::".len()..];
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            if let Some(group) = after.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    named.push(first_ident(item.trim()));
                }
            } else {
                named.push(first_ident(after));
            }
        }
        rest = after;
    }
    let mut rest = code;
    while let Some(at) = rest.find("super::") {
        let before = rest[..at].chars().next_back();
        let mut chain = &rest[at..];
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            let mut ups = 0;
            while let Some(next) = chain.strip_prefix("super::") {
                ups += 1;
                chain = next;
            }
            // A file's own module is the last part of its path: one
            // `super` leaves it, each further one climbs a folder.
            if ups >= module.len() {
                named.push(first_ident(chain));
            }
        }
        rest = &rest[at + "super::".len()..];
    }
    named.retain(|n| !n.is_empty());
    named
}

fn first_ident(text: &str) -> String {
    text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// The uses in `files` (path relative to `src/`, text) that the table does
/// not allow. Comments are not code: `//` lines are skipped.
pub fn violations(files: &[(String, String)]) -> Vec<Violation> {
    let mut found = Vec::new();
    for (path, text) in files {
        let module = module_path(path);
        let Some(layer) = module.first() else { continue };
        let Some((_, allowed)) = ALLOWED.iter().find(|(name, _)| name == layer) else { continue };
        for (index, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for to in layers_named(code, &module) {
                let known = ALLOWED.iter().any(|(name, _)| *name == to);
                if known && to != *layer && !allowed.contains(&to.as_str()) {
                    found.push(Violation { file: path.clone(), line: index + 1, from: layer.clone(), to });
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).expect("under src").to_string_lossy().replace('\\', "/");
                out.push((relative, std::fs::read_to_string(&path).expect("source is UTF-8")));
            }
        }
    }

    #[test]
    fn no_layer_uses_one_above_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&root, &root, &mut files);
        assert!(files.len() > 100, "the sources were found");
        let found: Vec<String> = violations(&files).iter().map(ToString::to_string).collect();
        assert!(found.is_empty(), "arrows that run back up:\n{}", found.join("\n"));
    }

    #[test]
    fn a_back_arrow_is_caught_in_every_spelling() {
        let file = |path: &str, text: &str| vec![(path.to_string(), text.to_string())];
        let one = |path: &str, text: &str| violations(&file(path, text));
        assert_eq!(
            one("store/enums.rs", "use crate::runtime::value::Value;"),
            vec![Violation { file: "store/enums.rs".into(), line: 1, from: "store".into(), to: "runtime".into() }]
        );
        assert_eq!(one("store/mod.rs", "    let t = crate::runtime::value::now_unix();").len(), 1);
        assert_eq!(one("runtime/session.rs", "use crate::{language, cmdlets::registry};").len(), 1);
        // From runtime/exec/switch.rs, three supers reach the root; two
        // stay in runtime (where a folder named like a layer is no layer).
        assert_eq!(one("runtime/exec/switch.rs", "use super::super::super::hosts::repl;").len(), 1);
        assert!(one("runtime/exec/switch.rs", "use super::super::format::composite;").is_empty());
        assert_eq!(one("runtime/exec/mod.rs", "use super::super::cmdlets::x;").len(), 1);
        // Downward, inside the layer, and in comments: allowed.
        assert!(one("cmdlets/service.rs", "use crate::services::ServiceControl;").is_empty());
        assert!(one("store/mail/mod.rs", "use crate::store::clock::now_unix;").is_empty());
        assert!(one("store/mod.rs", "// once used crate::runtime::value").is_empty());
        assert!(one("engines/net/x.rs", "let s = my_crate::cmdlets::y;").is_empty());
    }
}
