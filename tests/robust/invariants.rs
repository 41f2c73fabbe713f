//! The invariants every input must keep, shared by the property tests (`tests/properties.rs`)
//! and the fuzz targets (`fuzz/`, which include this file by path).
//!
//! - nothing panics;
//! - every diagnostic's line/column leads back (counted here, independently of the crate)
//!   to its byte offset, and that offset lies in the value its pointer names (or in the
//!   nearest enclosing value that exists, when the pointer names something missing);
//! - `valid` is "no error";
//! - upgrade is idempotent, leaves no fixable finding, reports the findings of its output,
//!   returns the input when it changes nothing;
//! - outside the entries it changed, the output bytes equal the input bytes, and when both
//!   parse as JSON (serde_json) their values are equal once those entries are set aside.

use oscontainer::json::{self, Keep, Node, Value};
use oscontainer::{
    upgrade_bytes, validate, validate_bytes, Diagnostic, Options, Profile, Severity,
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
    }
}

/// Validation alone: positions and verdict.
pub fn check_validate(input: &[u8], profile: Profile) {
    let report = validate_bytes(input, &options(profile));
    check_positions(input, &report.diagnostics);
    assert_eq!(
        report.valid,
        !report
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error),
        "valid disagrees with the severities"
    );
    assert!(
        !report.diagnostics.is_empty() || report.valid,
        "invalid without a finding"
    );
}

/// Upgrade: idempotence, nothing fixable left, nothing lost outside the changed entries.
pub fn check_upgrade(input: &[u8], profile: Profile) {
    let opts = options(profile);
    let result = upgrade_bytes(input, &opts);
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
    }
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
