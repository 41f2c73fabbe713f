//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The corpus of real documents beside the checkout (`../shared/corpus`).
///
/// Missing corpus: fails under CI (the folder is part of the CI set-up), otherwise
/// returns `None` after printing why the test is skipped.
pub fn corpus(sub: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("corpus folder {} is missing and CI is set", dir.display());
    }
    eprintln!("skipped: corpus folder {} is missing", dir.display());
    None
}

/// Every `*.json` file in a corpus folder, sorted by name, with its text.
pub fn corpus_files(sub: &str) -> Vec<(String, String)> {
    let Some(dir) = corpus(sub) else {
        return Vec::new();
    };
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, text)
        })
        .collect();
    files.sort();
    files
}

/// The text of one corpus file.
pub fn corpus_file(sub: &str, name: &str) -> Option<String> {
    let dir = corpus(sub)?;
    Some(std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")))
}

/// Each finding as `code pointer line:column` (an empty pointer as `""`), for assertions
/// that read like the CLI's output.
pub fn rows(diagnostics: &[oscontainer::Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let pointer = if d.pointer.is_empty() {
                "\"\""
            } else {
                &d.pointer
            };
            format!(
                "{} {pointer} {}:{}",
                d.code.as_str(),
                d.line.unwrap_or(0),
                d.column.unwrap_or(0)
            )
        })
        .collect()
}

/// The trimmed lines of the object that follows `"key": ` in `text` (an object without
/// nested objects): to compare a corpus file's object with one written by serde_json.
pub fn object_lines_after(text: &str, key: &str) -> Vec<String> {
    let start = text.find(&format!("\"{key}\": {{")).expect("key") + key.len() + 4;
    let end = start + text[start..].find('}').expect("end") + 1;
    text[start..end]
        .lines()
        .map(|l| l.trim().to_owned())
        .collect()
}

/// `value` as pretty JSON, one trimmed line each (see [`object_lines_after`]).
pub fn pretty(value: &impl serde::Serialize) -> Vec<String> {
    let text = serde_json::to_string_pretty(value).expect("serialises");
    text.lines().map(|l| l.trim().to_owned()).collect()
}

/// Every `.rs` file under `dir`, at any depth, sorted (the structure tests walk `src/`
/// with it, subfolders included).
pub fn rust_sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        for entry in std::fs::read_dir(&at).expect("directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}
