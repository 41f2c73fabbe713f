//! The differential test of `src/structure.rs` against the embedded schema as
//! jsonschema reads it (`tests/robust/structure.rs`): generated entries of every shape,
//! the corpus, and a few written out; the bad-input catalogue and the property tests run
//! the same comparison on their documents.

mod common;
mod robust;

use oscontainer::entry::ENTRY_FIELDS;
use robust::structure::check_structure;

/// A small deterministic generator (splitmix64), so a failure names its seed.
fn next(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A value of any JSON type, entries and arrays of entries among them.
fn value(seed: &mut u64, depth: u32) -> String {
    match next(seed) % 8 {
        0 => "\"x\"".to_owned(),
        1 => "1".to_owned(),
        2 => "null".to_owned(),
        3 if depth > 0 => format!("[{}]", entry(seed, depth - 1)),
        3 => "[\"a\", \"b\"]".to_owned(),
        4 => "[\"a\", 2, {}]".to_owned(),
        5 if depth > 0 => entry(seed, depth - 1),
        6 => "true".to_owned(),
        _ => "\"quay.io/a/b\"".to_owned(),
    }
}

/// One entry object from the known fields, misspelt and foreign ones, duplicates, and
/// values that half the time have the right type.
fn entry(seed: &mut u64, depth: u32) -> String {
    let keys: Vec<&str> = ENTRY_FIELDS
        .into_iter()
        .chain(["digets", "image", "path", "sha256"])
        .collect();
    let mut members = Vec::new();
    if next(seed) % 2 == 0 {
        members.push("\"image\": \"quay.io/a/b\"".to_owned());
    }
    for _ in 0..(next(seed) % 6) {
        let key = keys[(next(seed) % keys.len() as u64) as usize];
        let fitting = match key {
            "tags" => "[\"a\"]".to_owned(),
            "additional-images" if depth > 0 => {
                format!("[{}, {}]", entry(seed, depth - 1), value(seed, 0))
            }
            _ => "\"x\"".to_owned(),
        };
        let v = if next(seed) % 2 == 0 {
            fitting
        } else {
            value(seed, depth)
        };
        members.push(format!("\"{key}\": {v}"));
    }
    format!("{{{}}}", members.join(", "))
}

#[test]
fn generated_entries_get_the_schemas_findings() {
    let mut seed = 11;
    let (mut sound, mut unsound) = (0, 0);
    for _ in 0..20_000 {
        let text = format!("{{\"kubevirt\": {}}}", entry(&mut seed, 2));
        assert_eq!(check_structure(text.as_bytes()), 1, "{text}");
        let report = oscontainer::validate(&text, &oscontainer::Options::default());
        let structural = report.diagnostics.iter().any(|d| {
            matches!(
                d.code.as_str(),
                "image-missing"
                    | "unknown-field"
                    | "image-not-string"
                    | "tags-not-array"
                    | "additional-images-not-array"
                    | "additional-image-not-object"
                    | "comment-not-string"
            )
        });
        if structural {
            unsound += 1;
        } else {
            sound += 1;
        }
    }
    // Both answers are exercised often.
    assert!(
        sound > 2_000 && unsound > 2_000,
        "{sound} sound, {unsound} not"
    );
}

#[test]
fn written_out_cases_get_the_schemas_findings() {
    let cases = [
        r#"{"oscontainer": {}}"#,
        r#"{"oscontainer": {"image": 1, "digest": [], "tags": "stable", "comment": {}, "manifest-list-digest": null}}"#,
        r#"{"base-oscontainer": {"image": "a", "tags": [1, "b", null], "additional-images": [1, {}, {"image": "b", "comment": "c", "additional-images": []}]}}"#,
        r#"{"base-oscontainer": {"image": "a", "image": 2, "digets": "x", "Image": "y"}}"#,
        r#"{"extensions-container": {"path": "x.ociarchive", "sha256": "ab", "size": 1}}"#,
        r#"{"kubevirt": {"image": "a", "additional-images": {}}}"#,
        r#"{"kubevirt": {"image": "a", "additional-images": [{"image": "b", "tags": {}}]}}"#,
        r#"{"kubevirt": {"image": "", "digest": "sha256:AB", "tags": ["-bad"]}}"#,
    ];
    for text in cases {
        assert_eq!(check_structure(text.as_bytes()), 1, "{text}");
    }
}

#[test]
fn the_corpus_entries_get_the_schemas_findings() {
    let files = common::corpus_files("meta");
    let compared: usize = files
        .iter()
        .map(|(_, text)| check_structure(text.as_bytes()))
        .sum();
    if !files.is_empty() {
        // The installer's and cosa's RHCOS documents each have an oscontainer entry.
        assert!(compared >= 8, "{compared} entries compared");
    }
}
