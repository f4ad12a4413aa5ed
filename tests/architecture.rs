//! The layers hold by construction: the engine (`gazette-core`) and the
//! editor queries (`gazette-ide`) know no editor protocol, no async runtime
//! and no command line, and the engine's modules depend on each other
//! without cycles.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// Crates only the edge (`gazette-lsp`, the binary) may use.
const EDGE_ONLY: &[&str] = &[
    "tokio",
    "tower",
    "tower-lsp-server",
    "lsp-types",
    "ls-types",
    "lsp-server",
    "clap",
    // The archive's database clients (gazette-archive).
    "postgres",
    "tokio-postgres",
];

fn dependencies(krate: &str) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-e",
            "normal",
            "--prefix",
            "none",
            "-p",
            krate,
        ])
        .current_dir(common::repo())
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

#[test]
fn core_and_ide_know_no_protocol_runtime_or_command_line() {
    for krate in ["gazette-core", "gazette-ide"] {
        let deps = dependencies(krate);
        assert!(deps.len() > 10, "{krate}: {deps:?}");
        let edge: Vec<_> = EDGE_ONLY.iter().filter(|d| deps.contains(**d)).collect();
        assert!(edge.is_empty(), "{krate} depends on {edge:?}");
    }
    assert!(dependencies("gazette-lsp").contains("tower-lsp-server"));
}

/// The top-level modules of `gazette-core` that the file or folder `path`
/// uses (`crate::corpus::…`); test modules and comments left out.
fn module_uses(path: &Path, out: &mut BTreeSet<String>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            module_uses(&e.unwrap().path(), out);
        }
        return;
    }
    if path.extension().is_none_or(|x| x != "rs") || path.file_name().unwrap() == "tests.rs" {
        return;
    }
    let text = std::fs::read_to_string(path).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for part in line.split("crate::").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
}

#[test]
fn core_modules_form_no_cycle() {
    let src = common::repo().join("crates/core/src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "lib" {
            continue;
        }
        let mut uses = BTreeSet::new();
        module_uses(&p, &mut uses);
        uses.remove(&name);
        uses.remove("");
        graph.insert(name, uses);
    }
    assert!(graph.len() >= 10, "{graph:?}");
    // Depth-first search for a back edge.
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(n) {
            return;
        }
        if let Some(i) = stack.iter().position(|s| s == n) {
            panic!("module cycle: {} -> {n}", stack[i..].join(" -> "));
        }
        stack.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            visit(m, graph, stack, done);
        }
        stack.pop();
        done.insert(n.to_string());
    }
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        visit(n, &graph, &mut Vec::new(), &mut done);
    }
}
