//! The module graph of `src/` has no cycle (ARCHITECTURE.md, "What may depend on what"):
//! each module's `crate::` imports, read from its source before its test module, must
//! form layers. A cycle fails with the modules on it.
//!
//! `src/` is walked to any depth. A module is named by its first path component under
//! `src/`: `src/entry.rs`, `src/entry/mod.rs` and `src/entry/tags.rs` are all module
//! `entry`, and their imports are pooled. The files of a folder module see each other
//! through `super::`, which is not a layer boundary; what `entry`'s files import from the
//! rest of the crate is what puts `entry` in its layer.

mod common;
use common::rust_sources as sources;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The module a source file under `src` belongs to: its first component, without `.rs`.
fn module_of(src: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(src).expect("under src/");
    let first = relative.components().next().expect("a component");
    let first = Path::new(first.as_os_str());
    let name = if relative.components().count() == 1 {
        first.file_stem().expect("stem")
    } else {
        first.as_os_str()
    };
    name.to_string_lossy().into_owned()
}

/// The names `crate::` is followed by in `code` (the part of a file before its tests).
fn crate_names(code: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        names.insert(ident(&code[at + "crate::".len()..]));
    }
    // `use crate::{a, b::c}` names several.
    for (at, _) in code.match_indices("use crate::{") {
        let list = &code[at + "use crate::{".len()..];
        let list = &list[..list.find("};").unwrap_or(list.len())];
        for item in list.split(',') {
            names.insert(ident(item.trim()));
        }
    }
    names
}

/// Module name → the crate modules its code (not its tests) names, for the crate whose
/// sources are in `src`.
fn imports_in(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files = sources(src);
    let modules: BTreeSet<String> = files.iter().map(|p| module_of(src, p)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in &files {
        let name = module_of(src, path);
        let text = std::fs::read_to_string(path).expect("source");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let used: Vec<String> = crate_names(code)
            .into_iter()
            .filter(|m| modules.contains(m) && *m != name)
            .collect();
        graph.entry(name).or_default().extend(used);
    }
    graph
}

/// Module name → the crate modules its code (not its tests) names.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    imports_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

/// A cycle through `start`, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn walk(
        graph: &BTreeMap<String, BTreeSet<String>>,
        at: &str,
        start: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in graph.get(at).into_iter().flatten() {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, next, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_owned()];
    let mut seen = BTreeSet::new();
    walk(graph, start, start, &mut path, &mut seen).then_some(path)
}

#[test]
fn the_modules_form_layers() {
    let graph = imports();
    assert!(graph.len() >= 15, "{graph:?}");
    // The root and the wasm boundary name every module; everything else must be acyclic.
    let mut layered = graph.clone();
    layered.remove("lib");
    for module in layered.keys() {
        if let Some(found) = cycle(&layered, module) {
            panic!("import cycle: {} -> {module}", found.join(" -> "));
        }
    }
}

#[test]
fn the_check_finds_a_cycle() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    graph.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
    graph.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(
        cycle(&graph, "a"),
        Some(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()])
    );
}

/// A crate in a temporary directory: `files` as (path under `src/`, text).
fn scratch_crate(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let src = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("modules-{name}-{}", std::process::id()))
        .join("src");
    let _ = std::fs::remove_dir_all(&src);
    for (path, text) in files {
        let path = src.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    src
}

#[test]
fn folder_modules_are_one_module_with_their_files_imports() {
    // `b` exists only as a folder, and the import that closes the cycle is in `b/c.rs`:
    // reading only `src/*.rs`, or only a folder's `mod.rs`, finds no cycle here.
    let src = scratch_crate(
        "folder",
        &[
            ("lib.rs", "pub mod a;\npub mod b;\n"),
            ("a.rs", "use crate::b::Thing;\n"),
            ("b/mod.rs", "//! b\nmod c;\npub struct Thing;\n"),
            (
                "b/c.rs",
                "use super::Thing;\nuse crate::{a::f, b::Other};\n#[cfg(test)]\nuse crate::lib;\n",
            ),
        ],
    );
    let graph = imports_in(&src);
    let _ = std::fs::remove_dir_all(src.parent().expect("crate dir"));
    let names: Vec<&str> = graph.keys().map(String::as_str).collect();
    assert_eq!(names, ["a", "b", "lib"]);
    assert_eq!(graph["b"], BTreeSet::from(["a".to_owned()]));
    assert_eq!(
        cycle(&graph, "a"),
        Some(vec!["a".to_owned(), "b".to_owned()])
    );
}

#[test]
fn the_files_of_src_entry_count_for_entry() {
    let graph = imports();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    assert!(
        sources(&src)
            .iter()
            .any(|p| p.starts_with(src.join("entry"))),
        "no file under src/entry/"
    );
    // `fix` names `crate::entry`, which is a folder: it must still be an edge.
    assert!(graph["fix"].contains("entry"), "{graph:?}");
    // Only the field files of entry/ import these.
    for module in ["build_id", "suggest"] {
        assert!(
            graph["entry"].contains(module),
            "entry -> {module}: {graph:?}"
        );
    }
}
