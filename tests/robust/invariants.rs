//! The invariants every input must keep, shared by the property tests (`tests/properties.rs`)
//! and the fuzz targets (`fuzz/`, which include this file by path).
//!
//! - nothing panics;
//! - every diagnostic's line/column leads back (counted here, independently of the crate)
//!   to its byte offset, and that offset lies in the value its pointer names (or in the
//!   nearest enclosing value that exists, when the pointer names something missing);
//! - every verdict (validate, upgrade, the release view, the cross-arch comparison) is
//!   `valid` exactly when no diagnostic is an error, so `valid: false` always comes with
//!   at least one error that says why;
//! - upgrade is idempotent, leaves no fixable finding, reports the findings of its output,
//!   returns the input when it changes nothing;
//! - outside the entries it changed, the output bytes equal the input bytes, and when both
//!   parse as JSON (serde_json) their values are equal once those entries are set aside.

use oscontainer::json::{self, Keep, Node, Value};
use oscontainer::{
    check_build, compare_arches, compare_arches_with, release_view, release_view_bytes,
    upgrade_bytes, validate, validate_bytes, ArchDocument, ArchReport, Diagnostic, Options,
    Presence, PresencePolicy, Profile, Severity,
};

/// Both profiles, no user schema.
pub const PROFILES: [Profile; 2] = [Profile::Canonical, Profile::Compat];

fn options(profile: Profile) -> Options<'static> {
    Options {
        profile,
        ..Options::default()
    }
}

/// Checks everything for one input, under both profiles.
pub fn check_bytes(input: &[u8]) {
    for profile in PROFILES {
        check_validate(input, profile);
        check_upgrade(input, profile);
        check_release(input, profile);
        check_arches(input, profile);
    }
}

/// The one rule every verdict keeps: `valid` is "no diagnostic is an error", so an
/// invalid result always carries at least one error saying why (a bare `valid: false`, or
/// one with only warnings and infos, leaves the user nothing to act on). `what` names the
/// call in the failure message.
pub fn check_verdict<'d>(
    what: &str,
    valid: bool,
    diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
) {
    let all: Vec<&Diagnostic> = diagnostics.into_iter().collect();
    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    assert!(
        valid || errors > 0,
        "{what}: valid is false but no diagnostic is an error: {all:?}"
    );
    assert!(
        !valid || errors == 0,
        "{what}: valid is true with {errors} error(s): {all:?}"
    );
}

/// Build ids for the release view: none given (the document's own, if any), and one that
/// makes some of the generator's tags build tags (`36.20221014.3.0`) and others floating.
pub const BUILD_IDS: [Option<&str>; 2] = [None, Some("36.20221014.3.0")];

/// The release view, of the bytes and of the text, with and without a build id: the
/// verdict rule, and for text the positions.
pub fn check_release(input: &[u8], profile: Profile) {
    for build_id in BUILD_IDS {
        let opts = Options {
            build_id,
            ..options(profile)
        };
        let view = release_view_bytes(input, &opts);
        check_verdict(
            &format!("release_view_bytes ({profile:?}, build id {build_id:?})"),
            view.valid,
            &view.diagnostics,
        );
        check_positions(input, &view.diagnostics);
        if let Ok(text) = std::str::from_utf8(input) {
            let view = release_view(text, &opts);
            check_verdict(
                &format!("release_view ({profile:?}, build id {build_id:?})"),
                view.valid,
                &view.diagnostics,
            );
        }
    }
}

/// A meta.json every check passes on its own (the digest is the FCOS fixture's of the
/// corpus): for comparing the input with a healthy architecture of the same build.
pub const HEALTHY: &str = r#"{
    "buildid": "36.20221014.3.0",
    "coreos-assembler.basearch": "aarch64",
    "base-oscontainer": {
        "image": "quay.io/fedora/fedora-coreos",
        "digest": "sha256:ce58e8511ff27842d95df47557dc2e4c37363449b1f410d1f231c86ebee71b4b",
        "tags": ["stable", "36.20221014.3.0"]
    }
}
"#;

/// `compare_arches` over small sets built from the input: alone, twice (the arches from
/// the documents, or from file names), beside a healthy document (both orders, and with
/// the arches given under the pipelines' presence rules and under strict and lenient
/// ones). The verdict rule over all findings, and each finding located in its own
/// document.
pub fn check_arches(input: &[u8], profile: Profile) {
    let opts = options(profile);
    let doc = |input, arch, name| ArchDocument { arch, name, input };
    let healthy = HEALTHY.as_bytes();
    let sets = [
        ("the input alone", vec![doc(input, None, None)]),
        (
            "the input twice",
            vec![doc(input, None, None), doc(input, None, None)],
        ),
        (
            "the input twice, arches in file names",
            vec![
                doc(input, None, Some("builds/40.1/x86_64/meta.json")),
                doc(input, None, Some("rhcos-ppc64le.json")),
            ],
        ),
        (
            "input, healthy",
            vec![doc(input, None, None), doc(healthy, None, None)],
        ),
        (
            "healthy, input",
            vec![
                doc(healthy, None, None),
                doc(input, None, Some("meta.json")),
            ],
        ),
    ];
    for (name, documents) in &sets {
        check_compared(
            &format!("{profile:?}, {name}"),
            documents,
            compare_arches(documents, &opts),
        );
        check_built(&format!("{profile:?}, {name}"), documents, &opts);
    }
    // Which entries must be on which architectures matters where the documents differ in
    // their entries: the input beside the healthy one.
    let mut strict = PresencePolicy::default();
    let mut lenient = PresencePolicy::default();
    for key in [
        "oscontainer",
        "base-oscontainer",
        "extensions-container",
        "kubevirt",
    ] {
        strict.set(key, Presence::All).expect("an entry key");
        lenient
            .set(key, Presence::On(vec!["x86_64".to_owned()]))
            .expect("an entry key");
    }
    lenient
        .set("kubevirt", Presence::Any)
        .expect("an entry key");
    let documents = [
        doc(input, Some("x86_64"), None),
        doc(healthy, Some("aarch64"), None),
    ];
    for (rules, policy) in [
        ("default", PresencePolicy::default()),
        ("strict", strict),
        ("lenient", lenient),
    ] {
        check_compared(
            &format!("{profile:?}, input, healthy, arches given, {rules} presence"),
            &documents,
            compare_arches_with(&documents, &opts, &policy),
        );
    }
}

/// `check_build` shares one analysis per document among its views: each must be what the
/// view's own function gives, and the verdict the rule.
fn check_built(what: &str, documents: &[ArchDocument<'_>], opts: &Options<'_>) {
    let build = check_build(documents, opts, &PresencePolicy::default());
    assert_eq!(build.arches.len(), documents.len(), "check_build ({what})");
    for (built, document) in build.arches.iter().zip(documents) {
        assert_eq!(
            built.report,
            validate_bytes(document.input, opts),
            "check_build ({what}): a report differs from validate's"
        );
        assert_eq!(
            built.release,
            release_view_bytes(document.input, opts),
            "check_build ({what}): a release view differs from release_view's"
        );
    }
    let compared = compare_arches(documents, opts);
    assert_eq!(
        build.diagnostics, compared.diagnostics,
        "check_build ({what})"
    );
    let all = build
        .arches
        .iter()
        .flat_map(|a| a.report.diagnostics.iter().chain(&a.release.diagnostics))
        .chain(build.diagnostics.iter().map(|d| &d.diagnostic));
    check_verdict(&format!("check_build ({what})"), build.valid, all);
}

/// One comparison: the verdict rule, and each finding in a document that is there, at a
/// position of that document.
fn check_compared(what: &str, documents: &[ArchDocument<'_>], report: ArchReport) {
    check_verdict(
        &format!("compare_arches ({what})"),
        report.valid,
        report.diagnostics.iter().map(|d| &d.diagnostic),
    );
    assert_eq!(report.arches.len(), documents.len(), "{what}");
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.document < documents.len()),
        "compare_arches ({what}): a finding for a document that is not there"
    );
    for (i, document) in documents.iter().enumerate() {
        let own: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.document == i)
            .map(|d| d.diagnostic.clone())
            .collect();
        check_positions(document.input, &own);
    }
}

/// Validation alone: positions and verdict, of the bytes and (when UTF-8) of the text.
pub fn check_validate(input: &[u8], profile: Profile) {
    let report = validate_bytes(input, &options(profile));
    check_positions(input, &report.diagnostics);
    check_verdict(
        &format!("validate_bytes ({profile:?})"),
        report.valid,
        &report.diagnostics,
    );
    if let Ok(text) = std::str::from_utf8(input) {
        let report = validate(text, &options(profile));
        check_verdict(
            &format!("validate ({profile:?})"),
            report.valid,
            &report.diagnostics,
        );
    }
}

/// Upgrade: its verdict, idempotence, nothing fixable left, nothing lost outside the
/// changed entries.
pub fn check_upgrade(input: &[u8], profile: Profile) {
    let opts = options(profile);
    let result = upgrade_bytes(input, &opts);
    check_verdict(
        &format!("upgrade_bytes ({profile:?})"),
        result.valid,
        &result.diagnostics,
    );
    let fixable: Vec<&Diagnostic> = result.diagnostics.iter().filter(|d| d.fixable).collect();
    assert!(
        fixable.is_empty(),
        "fixable findings remain after upgrade: {fixable:?}"
    );
    let Ok(text) = std::str::from_utf8(input) else {
        assert!(!result.changed, "bytes that are not UTF-8 were changed");
        assert!(result.changes.is_empty());
        return;
    };
    assert_eq!(
        result.changed,
        result.output != text,
        "changed flag is wrong"
    );
    if !result.changed {
        assert_eq!(result.output, text);
    }
    // What changed is exactly what was fixable: one change per fixable finding of the
    // input, with its code and pointer.
    let mut fixable: Vec<(&str, &str)> = Vec::new();
    let before = validate(text, &opts);
    for d in before.diagnostics.iter().filter(|d| d.fixable) {
        fixable.push((d.code.as_str(), &d.pointer));
    }
    let mut changes: Vec<(&str, &str)> = result
        .changes
        .iter()
        .map(|c| (c.code.as_str(), c.pointer.as_str()))
        .collect();
    fixable.sort_unstable();
    changes.sort_unstable();
    assert_eq!(changes, fixable, "the changes are not the fixable findings");
    check_fixes(text, &before.diagnostics, &result.output);
    // The findings reported are those of the output, at the output's positions.
    let after = validate(&result.output, &opts);
    assert_eq!(
        after.diagnostics, result.diagnostics,
        "upgrade reports other findings than its output has"
    );
    assert_eq!(after.valid, result.valid);
    check_positions(result.output.as_bytes(), &result.diagnostics);
    // Idempotent.
    let again = upgrade_bytes(result.output.as_bytes(), &opts);
    assert_eq!(again.output, result.output, "upgrade is not idempotent");
    assert!(!again.changed, "a second upgrade changed something");
    if !result.changed {
        return;
    }
    assert!(
        !result.changes.is_empty(),
        "changed without a change listed"
    );
    check_outside_unchanged(text, &result.output, &result.changes, &opts);
}

/// The entries (objects, additional images included) the changes fall in, outermost
/// only: each change's pointer lies under exactly one entry of the input.
pub fn changed_entries(
    text: &str,
    changes: &[oscontainer::Change],
    opts: &Options<'_>,
) -> Vec<String> {
    let entries = validate(text, opts).entries;
    let mut found: Vec<String> = Vec::new();
    for change in changes {
        let owner = entries
            .iter()
            .map(|e| e.pointer.as_str())
            .filter(|p| is_under(&change.pointer, p))
            .max_by_key(|p| p.len())
            .unwrap_or_else(|| panic!("change at {} is in no entry", change.pointer));
        if !found.iter().any(|f| f == owner) {
            found.push(owner.to_owned());
        }
    }
    // Keep the outermost: an additional image inside a changed entry is covered by it.
    let all = found.clone();
    found.retain(|p| !all.iter().any(|q| q != p && is_under(p, q)));
    found
}

/// Whether `pointer` is `ancestor` or below it, token-wise.
pub fn is_under(pointer: &str, ancestor: &str) -> bool {
    pointer == ancestor
        || pointer
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn span_of(text: &str, pointer: &str) -> json::Span {
    let parsed = json::parse(text, Keep::All).unwrap_or_else(|e| panic!("does not scan: {e:?}"));
    let (node, _) = parsed
        .root
        .locate(pointer)
        .unwrap_or_else(|| panic!("entry {pointer:?} not found"));
    node.span
}

pub fn check_outside_unchanged(
    text: &str,
    output: &str,
    changes: &[oscontainer::Change],
    opts: &Options<'_>,
) {
    let pointers = changed_entries(text, changes, opts);
    let mut pairs: Vec<(json::Span, json::Span, &str)> = pointers
        .iter()
        .map(|p| (span_of(text, p), span_of(output, p), p.as_str()))
        .collect();
    pairs.sort_by_key(|(before, _, _)| before.start);
    let (mut at_in, mut at_out) = (0, 0);
    for (before, after, pointer) in &pairs {
        assert!(
            before.start >= at_in,
            "changed entries overlap at {pointer}"
        );
        assert_eq!(
            text.get(at_in..before.start),
            output.get(at_out..after.start),
            "bytes before the entry {pointer} differ"
        );
        at_in = before.end;
        at_out = after.end;
    }
    assert_eq!(
        text.get(at_in..),
        output.get(at_out..),
        "bytes after the last changed entry differ"
    );

    // The JSON values, with the changed entries set aside.
    let Ok(mut before) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    let mut after: serde_json::Value = serde_json::from_str(output)
        .expect("the input parses with serde_json but the output does not");
    for pointer in &pointers {
        for value in [&mut before, &mut after] {
            if let Some(v) = value.pointer_mut(pointer) {
                *v = serde_json::Value::Null;
            }
        }
    }
    assert_eq!(
        before, after,
        "the JSON value changed outside the changed entries"
    );
}

/// Line and UTF-16 column of byte `offset`, counted the way editors do (`\n`, `\r\n`
/// and a lone `\r` break lines; an invalid byte is one unit, like U+FFFD).
pub fn line_column(bytes: &[u8], offset: usize) -> (u32, u32) {
    let offset = offset.min(bytes.len());
    let (mut line, mut start) = (1u32, 0usize);
    let mut i = 0;
    while i < offset {
        match bytes[i] {
            b'\n' => {
                line += 1;
                start = i + 1;
            }
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                line += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let mut column = 1u32;
    for chunk in bytes[start..offset].utf8_chunks() {
        column += chunk.valid().encode_utf16().count() as u32 + chunk.invalid().len() as u32;
    }
    (line, column)
}

/// Every diagnostic: line/column lead back to the offset, the offset is on a character
/// boundary, and it lies in what the pointer names.
pub fn check_positions(bytes: &[u8], diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        // Nothing to check, and the parse below is most of the cost of the checks.
        return;
    }
    let text = std::str::from_utf8(bytes).ok();
    let parsed = text.and_then(|t| json::parse(t, Keep::All).ok());
    let mut last = 0;
    for d in diagnostics {
        assert!(
            d.offset >= last,
            "diagnostics out of document order: {diagnostics:?}"
        );
        last = d.offset;
        assert!(d.offset <= bytes.len(), "offset past the end: {d:?}");
        assert_eq!(
            (d.line, d.column),
            {
                let (l, c) = line_column(bytes, d.offset);
                (Some(l), Some(c))
            },
            "line/column do not match the offset: {d:?}"
        );
        if let Some(t) = text {
            assert!(
                t.is_char_boundary(d.offset),
                "offset inside a character: {d:?}"
            );
        }
        assert!(!d.message.is_empty());
        if let Some(parsed) = &parsed {
            assert!(
                d.pointer.is_empty() || within(&parsed.root, &tokens(&d.pointer), d.offset),
                "offset {} is not in {} ({d:?})",
                d.offset,
                d.pointer
            );
        }
        check_range(bytes, text, d.offset, d.end, (d.end_line, d.end_column), d);
        if let Some(parsed) = &parsed {
            assert!(
                d.pointer.is_empty() || within(&parsed.root, &tokens(&d.pointer), d.end),
                "end {} is not in {} ({d:?})",
                d.end,
                d.pointer
            );
        }
        for r in d.related.iter().filter(|r| r.document.is_none()) {
            assert_eq!(
                (r.line, r.column),
                {
                    let (l, c) = line_column(bytes, r.offset);
                    (Some(l), Some(c))
                },
                "related line/column do not match the offset: {d:?}"
            );
            check_range(bytes, text, r.offset, r.end, (r.end_line, r.end_column), d);
            assert!(!r.message.is_empty(), "a related place says nothing: {d:?}");
        }
    }
}

/// A finding is fixable exactly when it carries a fix; the fixes validate reports, each
/// distinct one applied once, give upgrade's output; every edit is a valid range of the
/// input and its UTF-16 offsets lead back to its bytes.
fn check_fixes(text: &str, diagnostics: &[Diagnostic], output: &str) {
    for d in diagnostics {
        assert_eq!(
            d.fixable,
            d.fix.is_some(),
            "fixable and fix disagree: {d:?}"
        );
    }
    let fixes: Vec<&oscontainer::diagnostic::Fix> =
        diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
    let edits = oscontainer::fix::merge(&fixes).expect("the fixes of one report never overlap");
    let mut applied = String::new();
    let mut at = 0;
    for edit in &edits {
        let bytes = edit.bytes.clone();
        assert!(at <= bytes.start && bytes.start <= bytes.end && bytes.end <= text.len());
        applied.push_str(&text[at..bytes.start]);
        applied.push_str(&edit.text);
        at = bytes.end;
    }
    applied.push_str(&text[at..]);
    assert_eq!(
        applied, output,
        "the report's fixes do not give upgrade's output"
    );
    for edit in fixes.iter().flat_map(|f| f.edits.iter().flatten()) {
        let units = |byte: usize| text[..byte].encode_utf16().count();
        assert_eq!(
            (edit.start, edit.end),
            (units(edit.bytes.start), units(edit.bytes.end)),
            "a fix edit's UTF-16 offsets do not match its bytes"
        );
    }
}

/// A range ends at or after its start, inside the text, on a character boundary, and its
/// end's line/column lead back to the end offset.
fn check_range(
    bytes: &[u8],
    text: Option<&str>,
    start: usize,
    end: usize,
    (end_line, end_column): (Option<u32>, Option<u32>),
    d: &Diagnostic,
) {
    assert!(
        start <= end && end <= bytes.len(),
        "bad range {start}..{end}: {d:?}"
    );
    if let Some(t) = text {
        assert!(
            t.is_char_boundary(end),
            "range end inside a character: {d:?}"
        );
    }
    let (line, column) = line_column(bytes, end);
    assert_eq!(
        (end_line, end_column),
        (Some(line), Some(column)),
        "endLine/endColumn do not match the end offset: {d:?}"
    );
}

fn tokens(pointer: &str) -> Vec<String> {
    json::pointer_tokens(pointer).collect()
}

/// Whether `offset` lies in what `tokens` name under `node`: for a member, anywhere from
/// its key to the end of its value (any of duplicate members); for a step that does not
/// exist, anywhere in the deepest value that does.
fn within(node: &Node<'_>, tokens: &[String], offset: usize) -> bool {
    let in_node = node.span.start <= offset && offset <= node.span.end;
    let Some((first, rest)) = tokens.split_first() else {
        return in_node;
    };
    match &node.value {
        Value::Object(members) => {
            let matching: Vec<_> = members.iter().filter(|m| m.key == first.as_str()).collect();
            if matching.is_empty() {
                return in_node;
            }
            matching.iter().any(|m| {
                if rest.is_empty() {
                    m.key_span.start <= offset && offset <= m.value.span.end
                } else {
                    within(&m.value, rest, offset)
                }
            })
        }
        Value::Array(items) => match first.parse::<usize>().ok().and_then(|i| items.get(i)) {
            Some(item) => within(&item.node, rest, offset),
            None => in_node,
        },
        _ => in_node,
    }
}
