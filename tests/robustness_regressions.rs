//! Reproducers of what the property tests and the fuzz targets found, one test each.
//!
//! Each was a bug; the test keeps it fixed.

use oscontainer::{release_view, upgrade, validate, Options, Severity};

const D: &str = "sha256:abababababababababababababababababababababababababababababababab";

fn codes(text: &str) -> Vec<(String, String, bool)> {
    validate(text, &Options::default())
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str().to_owned(), d.pointer.clone(), d.fixable))
        .collect()
}

/// Found by `generated_documents_keep_every_invariant` (tests/properties.rs). A `tags`
/// array with a non-string item and a repeated tag: upgrade removes the repeat and drops
/// the non-string item `0` with it, without saying so (data loss outside what it fixes).
/// Expected: the non-string item is kept (or the repeat is not fixable while the array
/// has an item upgrade cannot keep, as for a tag in image: `tags_appendable`).
#[test]
fn removing_a_repeated_tag_keeps_the_items_that_are_not_strings() {
    let input = format!(
        r#"{{"kubevirt": {{"image": "quay.io/x/y", "digest": "{D}", "tags": [0, "a", "a"]}}}}"#
    );
    let result = upgrade(&input, &Options::default());
    assert!(
        result.output.contains("[0, \"a\"]") || result.output == input,
        "the item 0 was dropped: {}",
        result.output
    );
}

/// The same bug, seen as a second upgrade changing more: the first one rewrote `tags`
/// but could not move the image's tag (the non-string item made tags not appendable);
/// once the item was gone the image tag is fixable.
#[test]
fn upgrade_with_a_non_string_tag_and_a_repeat_is_idempotent() {
    let input = format!(
        r#"{{"kubevirt": {{"image": "quay.io/x/y:stable", "digest": "{D}", "tags": [0, "stable", "stable"]}}}}"#
    );
    let first = upgrade(&input, &Options::default());
    assert!(
        first.diagnostics.iter().all(|d| !d.fixable),
        "{:?}",
        first.diagnostics
    );
    assert_eq!(
        upgrade(&first.output, &Options::default()).output,
        first.output
    );
}

/// What the bug's inputs report before upgrade: the non-string item is `tag-invalid`, the
/// repeat `tag-duplicate` (fixable), and the image tag is fixable too (a rewritten array
/// keeps items that are not strings as written).
#[test]
fn a_non_string_tag_and_a_repeat_are_both_reported() {
    let input = format!(
        r#"{{"kubevirt": {{"image": "quay.io/x/y:stable", "digest": "{D}", "tags": [0, "stable", "stable"]}}}}"#
    );
    let s = |c: &str, p: &str, f: bool| (c.to_owned(), p.to_owned(), f);
    assert_eq!(
        codes(&input),
        [
            s("image-has-tag", "/kubevirt/image", true),
            s("tag-invalid", "/kubevirt/tags/0", false),
            s("tag-duplicate", "/kubevirt/tags/2", true),
        ]
    );
}

/// Found by the `upgrade_bytes` fuzz target (fuzz/artifacts, minimised by hand): in a
/// fragment whose first key is followed by a line break before its colon, the line break
/// is counted twice (`Parser::looks_like_member` scans ahead with `skip_ws`, which records
/// line starts, then rewinds without forgetting them), so every finding after it is one
/// line too low: here "3:3" in a text of two lines.
#[test]
fn fragment_with_a_line_break_before_the_first_colon() {
    let text = "\"kubevirt\"\n: {\"image\": \"quay.io/a/b\"}";
    let report = validate(text, &Options::default());
    let at: Vec<(&str, Option<u32>, Option<u32>)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line, d.column))
        .collect();
    assert_eq!(at, [("digest-missing", Some(2), Some(3))]);
    // The fuzzer's input, as found.
    let found = "\"extensions-container\"\n: {\"image\": \"fedot:0123ef\", \"digets\": 1, \"tags\": [\"a\", \"a\", \"b\"]},\n";
    let first = &validate(found, &Options::default()).diagnostics[0];
    assert_eq!(
        (first.offset, first.line, first.column),
        (25, Some(2), Some(3))
    );
    // The same, found by the `validate_bytes` target with a lone `\r`.
    let found = "\"extensions-container\"\r: {\"iiaag~\": \"qway89cdef\"}";
    let first = &validate(found, &Options::default()).diagnostics[0];
    assert_eq!(
        (first.offset, first.line, first.column),
        (25, Some(2), Some(3))
    );
}

/// Issue 11 (found by hand; the verdict invariant of tests/robust/invariants.rs finds it
/// too): a `base-oscontainer` with tags but no digest, with the build id given, made a
/// release view with `valid: false` and no diagnostic at all, so `oscontainer release`
/// exited 1 printing nothing. Invalid must come with an error that says why, at the entry
/// (the exact code is the release view's to choose).
#[test]
fn a_release_view_without_a_digest_says_why_it_is_invalid() {
    let input = r#"{"base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "tags": ["stable", "40.1"]}}"#;
    let options = Options {
        build_id: Some("40.1"),
        ..Options::default()
    };
    let view = release_view(input, &options);
    assert!(!view.valid, "{view:?}");
    assert!(
        view.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error && d.pointer.starts_with("/base-oscontainer")),
        "no error at the entry: {view:?}"
    );
}
