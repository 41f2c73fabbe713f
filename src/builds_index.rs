//! builds.json, read once for every consumer (issue 21).
//!
//! coreos-assembler's builds directory lists its builds, newest first, in `builds.json`.
//! The CLI's directory walk (`pkg/fs.js`) and the page's builds view (`www/src/builds.js`)
//! used to read it each with rules of their own: one reported each bad entry, the other
//! silently left it out. The rules live here now, and both show the same findings.
//!
//! The layouts (domain.md, "Published builds"):
//!
//! - schema 1.x: `{"schema-version": "1.x.y", "builds": [{"id", "arches", "policy-cleanup"?}],
//!   "tombstone-builds"?: [...], "timestamp"?}`, each build's metadata at
//!   `<id>/<arch>/meta.json`;
//! - the legacy layout (before 2019-10): no `schema-version`, `builds` a list of id
//!   strings, the metadata at `<id>/meta.json`. cosa reads a missing `schema-version` as
//!   0.0.1, so a written major version 0 is this layout too;
//! - any other major version, which cosa refuses ("Builds schema too new"): its own code,
//!   `builds-schema-unsupported`, and no builds.
//!
//! The messages, pointers and the choice of which entries are left out are those the CLI's
//! results have always had (tests/node/fs.test.mjs): a value is quoted as `JSON.stringify`
//! writes what `JSON.parse` made of it ([`shown`]), since that is what they quoted. Both
//! forms of entry (an id string, an object) are read in either layout, as the CLI did, so
//! that no builds.json it read is read differently now. A build listed twice is kept once
//! (the first) without a finding, as before; the model lists the repeats.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Profile, Severity};
use crate::json::{self, Keep, Node, Parsed, Value};
use crate::position::LineIndex;

/// The top-level members this reads; the rest of builds.json is only syntax-checked.
const KEPT: [&str; 4] = ["schema-version", "builds", "tombstone-builds", "timestamp"];

/// What builds.json says, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildsIndex {
    /// False when builds.json is not JSON at all (then `diagnostics` holds that one finding).
    pub json: bool,
    /// False when no builds could be read from it: not JSON, not an object, a
    /// `schema-version` that is unreadable or refused, no `builds` array.
    pub usable: bool,
    /// No finding of severity `error`.
    pub valid: bool,
    /// The layout, once the version is known.
    pub layout: Option<Layout>,
    /// `schema-version` as written, when it is a string.
    pub schema_version: Option<String>,
    /// `timestamp` as written, when it is a string (cosa's time of the last change).
    pub timestamp: Option<String>,
    /// The builds to check, newest first (builds.json's order), each id once.
    pub builds: Vec<ListedBuild>,
    /// The fully pruned builds of `tombstone-builds`: listed, but their folders are gone.
    pub tombstones: Vec<Tombstone>,
    /// Entries of `builds` naming a build listed before them, left out without a finding.
    pub duplicates: Vec<Duplicate>,
    /// How many entries of `builds` were left out: those with a finding and the repeats.
    pub skipped: usize,
    /// The findings, in document order, located in builds.json.
    pub diagnostics: Vec<Diagnostic>,
}

/// Which of cosa's builds.json layouts a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Layout {
    /// `schema-version` 1.x: each build's meta.json files at `<id>/<arch>/meta.json`.
    #[serde(rename = "schema-1")]
    Schema1,
    /// No `schema-version` (or 0.x): ids alone, the meta.json at `<id>/meta.json`.
    #[serde(rename = "legacy")]
    Legacy,
}

/// One build of `builds`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedBuild {
    /// The build id, a directory name below the builds directory.
    pub id: String,
    /// The architectures listed, each a directory below the build's; `None` when the entry
    /// names none (an id string, or no `arches`): the build's directory says.
    pub arches: Option<Vec<String>>,
    /// `policy-cleanup` as written (an object when cosa's pruning wrote it): the build's
    /// meta.json then names artifacts and container tags that are gone on purpose.
    pub policy_cleanup: Option<serde_json::Value>,
    /// Where the entry is in builds.json.
    pub pointer: String,
}

/// One entry of `tombstone-builds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tombstone {
    /// The pruned build's id.
    pub id: String,
    /// Where the entry is in builds.json.
    pub pointer: String,
}

/// An entry of `builds` whose id an earlier entry has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    /// The repeated id.
    pub id: String,
    /// Where the repeat is.
    pub pointer: String,
    /// Where the entry that is kept is.
    pub first: String,
}

/// Reads builds.json from its bytes. Never fails: what is wrong is in the findings.
pub fn read_builds_index(input: &[u8]) -> BuildsIndex {
    let mut index = BuildsIndex {
        json: false,
        usable: false,
        valid: false,
        layout: None,
        schema_version: None,
        timestamp: None,
        builds: Vec::new(),
        tombstones: Vec::new(),
        duplicates: Vec::new(),
        skipped: 0,
        diagnostics: Vec::new(),
    };
    // Severities are the same in both profiles for these codes.
    let mut diags = Diagnostics::new(Profile::default());
    let parsed =
        json::decode(input).and_then(|text| json::parse_value(text, Keep::TopLevel(&KEPT)));
    let lines = match parsed {
        Err(error) => {
            let message = if error.too_deep {
                format!("builds.json cannot be read: {}", error.message)
            } else {
                format!("builds.json is not JSON: {}", error.message)
            };
            diags.push_span(Code::BuildsJsonInvalid, "", error.span(input), message);
            None
        }
        Ok(parsed) => {
            index.json = true;
            read_document(&parsed, &mut index, &mut diags);
            Some(LineIndex::from_starts(parsed.line_starts))
        }
    };
    let mut diagnostics = diags.into_vec();
    diagnostics.sort_by_key(|d| d.offset);
    crate::position::locate(input, lines, &mut diagnostics);
    index.valid = !diagnostics.iter().any(|d| d.severity == Severity::Error);
    index.diagnostics = diagnostics;
    index
}

/// The document once it is JSON: its version, then its lists.
fn read_document(parsed: &Parsed<'_>, index: &mut BuildsIndex, diags: &mut Diagnostics) {
    let text = parsed.text;
    let root = &parsed.root;
    let Value::Object(members) = &root.value else {
        let what = if root.value.kind() == json::Kind::Array {
            "an array".to_owned()
        } else {
            shown(root, text)
        };
        let message = format!(
            "builds.json must be an object {{\"schema-version\", \"builds\": [...]}}, not {what}"
        );
        diags.push_span(Code::BuildsJsonInvalid, "", root.span, message);
        return;
    };
    let member = |key: &str| json::last_member(members, key).map(|m| &m.value);
    let Some(layout) = read_version(member("schema-version"), text, index, diags) else {
        return;
    };
    index.layout = Some(layout);
    index.timestamp = member("timestamp")
        .and_then(Node::as_str)
        .map(str::to_owned);
    let Some(Node {
        value: Value::Array(items),
        ..
    }) = member("builds")
    else {
        let what = member("builds").map_or_else(|| "missing".to_owned(), |n| shown(n, text));
        let span = member("builds").map_or(root.span, |n| n.span);
        let message = format!(
            "builds.json: \"builds\" must be an array of {{\"id\", \"arches\"}}, not {what}"
        );
        diags.push_span(Code::BuildsJsonInvalid, "/builds", span, message);
        return;
    };
    index.usable = true;
    read_builds(items, text, index, diags);
    if let Some(node) = member("tombstone-builds") {
        read_tombstones(node, text, index, diags);
    }
}

/// The layout `schema-version` says, or `None` (and the finding) when cosa would not read
/// the file.
fn read_version(
    node: Option<&Node<'_>>,
    text: &str,
    index: &mut BuildsIndex,
    diags: &mut Diagnostics,
) -> Option<Layout> {
    let Some(node) = node else {
        return Some(Layout::Legacy);
    };
    let written = node.as_str();
    index.schema_version = written.map(str::to_owned);
    match written.and_then(major_version) {
        None => {
            let message = format!(
                "builds.json: \"schema-version\" must be a version string such as \"1.0.0\" (major.minor.patch), not {}",
                shown(node, text)
            );
            diags.push_span(
                Code::BuildsJsonInvalid,
                "/schema-version",
                node.span,
                message,
            );
            None
        }
        Some(0) => Some(Layout::Legacy),
        Some(1) => Some(Layout::Schema1),
        Some(_) => {
            let message = format!(
                "builds.json has schema-version {}: coreos-assembler reads major version 1 only and refuses this file (\"Builds schema too new\"), so its builds are not read",
                shown(node, text)
            );
            diags.push_span(
                Code::BuildsSchemaUnsupported,
                "/schema-version",
                node.span,
                message,
            );
            None
        }
    }
}

/// The major version of a semantic version (`1.0.0`, `1.2.3-rc.1+b5`), as Python's
/// `semver.parse_version_info`, which cosa uses, accepts it; `None` for anything else.
fn major_version(version: &str) -> Option<u64> {
    let core_end = version.find(['-', '+']).unwrap_or(version.len());
    let (core, rest) = version.split_at_checked(core_end).unwrap_or((version, ""));
    let suffix_ok = rest
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-+.".contains(c))
        && !rest.ends_with(['-', '+', '.']);
    let numbers: Vec<&str> = core.split('.').collect();
    let numeric = |n: &&str| {
        !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
            && (n.len() == 1 || !n.starts_with('0'))
    };
    if numbers.len() != 3 || !numbers.iter().all(numeric) || !suffix_ok {
        return None;
    }
    numbers.first().and_then(|n| n.parse().ok())
}

/// The entries of `builds`: each one a build, a finding, or a repeat.
fn read_builds(
    items: &[json::Item<'_>],
    text: &str,
    index: &mut BuildsIndex,
    diags: &mut Diagnostics,
) {
    let mut seen: FxHashMap<String, usize> = FxHashMap::default();
    for (i, item) in items.iter().enumerate() {
        let pointer = format!("/builds/{i}");
        let Some(build) = read_entry(i, &item.node, text, diags) else {
            index.skipped += 1;
            continue;
        };
        // Each id's entry in `builds`: a stream's builds.json lists thousands of builds.
        if let Some(&first) = seen.get(&build.id) {
            let first = index
                .builds
                .get(first)
                .map(|b| b.pointer.clone())
                .unwrap_or_default();
            index.duplicates.push(Duplicate {
                id: build.id,
                pointer,
                first,
            });
            index.skipped += 1;
            continue;
        }
        seen.insert(build.id.clone(), index.builds.len());
        index.builds.push(ListedBuild { pointer, ..build });
    }
}

/// One entry of `builds` as a build (its pointer left to the caller), or `None` after its
/// finding. The checks and messages are the CLI's, in its order: the entry, its id, its
/// arches.
fn read_entry(
    i: usize,
    node: &Node<'_>,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<ListedBuild> {
    let where_ = format!("builds.json: builds[{i}]");
    // cosa's first builds.json listed the ids alone.
    let (id_node, arches, policy_cleanup) = match &node.value {
        Value::String(_) => (Some(node), None, None),
        Value::Object(members) => {
            let get = |key: &str| json::last_member(members, key).map(|m| &m.value);
            let policy = get("policy-cleanup").map(|n| json::to_json(n, text));
            (get("id"), get("arches"), policy)
        }
        _ => {
            let message = format!(
                "{where_} must be an object {{\"id\", \"arches\"}}, not {}",
                shown(node, text)
            );
            diags.push_span(
                Code::BuildsJsonInvalid,
                &format!("/builds/{i}"),
                node.span,
                message,
            );
            return None;
        }
    };
    let Some(id) = id_node
        .and_then(Node::as_str)
        .filter(|id| is_directory_name(id))
    else {
        let what = id_node.map_or_else(|| "missing".to_owned(), |n| shown(n, text));
        let span = id_node.map_or(node.span, |n| n.span);
        let message = format!("{where_}: \"id\" must be a build id (a directory name), not {what}");
        diags.push_span(
            Code::BuildsJsonInvalid,
            &format!("/builds/{i}/id"),
            span,
            message,
        );
        return None;
    };
    let arches = match arches {
        None => None,
        Some(list) => match architectures(list) {
            Some(names) => Some(names),
            None => {
                let message = format!(
                    "{where_}: \"arches\" of {id} must be an array of architecture names, not {}",
                    shown(list, text)
                );
                diags.push_span(
                    Code::BuildsJsonInvalid,
                    &format!("/builds/{i}/arches"),
                    list.span,
                    message,
                );
                return None;
            }
        },
    };
    Some(ListedBuild {
        id: id.to_owned(),
        arches,
        policy_cleanup,
        pointer: String::new(),
    })
}

/// The names of an `arches` array when each is a directory name.
fn architectures(node: &Node<'_>) -> Option<Vec<String>> {
    let Value::Array(items) = &node.value else {
        return None;
    };
    items
        .iter()
        .map(|item| {
            item.node
                .as_str()
                .filter(|a| is_directory_name(a))
                .map(str::to_owned)
        })
        .collect()
}

/// `tombstone-builds`: the ids of the fully pruned builds.
fn read_tombstones(node: &Node<'_>, text: &str, index: &mut BuildsIndex, diags: &mut Diagnostics) {
    let Value::Array(items) = &node.value else {
        let message = format!(
            "builds.json: \"tombstone-builds\" must be an array of {{\"id\"}}, not {}",
            shown(node, text)
        );
        diags.push_span(
            Code::BuildsJsonInvalid,
            "/tombstone-builds",
            node.span,
            message,
        );
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let pointer = format!("/tombstone-builds/{i}");
        let Some(members) = item.node.members() else {
            let message = format!(
                "builds.json: tombstone-builds[{i}] must be an object {{\"id\"}}, not {}",
                shown(&item.node, text)
            );
            diags.push_span(Code::BuildsJsonInvalid, &pointer, item.node.span, message);
            continue;
        };
        let id_node = json::last_member(members, "id").map(|m| &m.value);
        match id_node
            .and_then(Node::as_str)
            .filter(|id| is_directory_name(id))
        {
            Some(id) => index.tombstones.push(Tombstone {
                id: id.to_owned(),
                pointer,
            }),
            None => {
                let what = id_node.map_or_else(|| "missing".to_owned(), |n| shown(n, text));
                let span = id_node.map_or(item.node.span, |n| n.span);
                let message =
                    format!("builds.json: tombstone-builds[{i}]: \"id\" must be a build id (a directory name), not {what}");
                diags.push_span(
                    Code::BuildsJsonInvalid,
                    &format!("{pointer}/id"),
                    span,
                    message,
                );
            }
        }
    }
}

/// A build id or architecture that names one directory below the builds directory, no
/// more: a path made from it cannot leave that directory.
pub fn is_directory_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// A value as the CLI's messages have always quoted it: what `JSON.stringify` writes for
/// what `JSON.parse` made of it (keys in JavaScript's property order, the last of
/// duplicate keys, numbers as JavaScript prints them).
pub fn shown(node: &Node<'_>, text: &str) -> String {
    let mut out = String::new();
    write_js(node, text, &mut out);
    out
}

/// Appends `JSON.stringify(JSON.parse(<node>))` to `out`. The scanner limits nesting, so
/// the recursion is bounded.
fn write_js(node: &Node<'_>, text: &str, out: &mut String) {
    match &node.value {
        Value::Object(members) => {
            out.push('{');
            for (n, (key, value)) in js_properties(members).into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_js_string(key, out);
                out.push(':');
                write_js(value, text, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_js(&item.node, text, out);
            }
            out.push(']');
        }
        Value::String(s) => write_js_string(s, out),
        Value::Number => {
            let raw = text.get(node.span.start..node.span.end).unwrap_or("0");
            out.push_str(&js_number(raw.parse().unwrap_or(f64::NAN)));
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // Only kept members are quoted, so a skipped value does not occur.
        Value::Null | Value::Skipped(_) => out.push_str("null"),
    }
}

/// An object's properties as JavaScript orders them: integer keys ascending, then the
/// others in the order they were first written, each with the last value written.
fn js_properties<'m, 'a>(members: &'m [json::Member<'a>]) -> Vec<(&'m str, &'m Node<'a>)> {
    let mut props: Vec<(&str, &Node<'_>)> = Vec::with_capacity(members.len());
    for member in members {
        match props.iter_mut().find(|(key, _)| *key == member.key) {
            Some(prop) => prop.1 = &member.value,
            None => props.push((&member.key, &member.value)),
        }
    }
    // A stable sort keeps the other keys in their order.
    props.sort_by_key(|(key, _)| array_index(key).map_or((1, 0), |i| (0, i)));
    props
}

/// The array index a key is to JavaScript (`"0"`, `"17"`; not `"01"` nor 2³²−1).
fn array_index(key: &str) -> Option<u32> {
    if key.len() > 1 && key.starts_with('0') || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u32>().ok().filter(|&i| i != u32::MAX)
}

/// A string as `JSON.stringify` writes it.
fn write_js_string(value: &str, out: &mut String) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A number as JavaScript's `Number.prototype.toString` writes it (ECMA-262,
/// Number::toString): the shortest digits that read back as the same double, written out
/// from 1e-7 to 1e21 and in exponent form beyond; infinity (`1e999`) as `JSON.stringify`
/// writes it, `null`.
fn js_number(value: f64) -> String {
    if !value.is_finite() {
        return "null".to_owned();
    }
    if value == 0.0 {
        return "0".to_owned();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    // Rust's `{:e}` writes the shortest round-trip digits: `1.2345e2`, `5e-7`.
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i64;
    let n = exponent.parse::<i64>().unwrap_or(0) + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at_checked(n as usize).unwrap_or((&digits, ""));
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let exp = if e >= 0 {
            format!("+{e}")
        } else {
            e.to_string()
        };
        let (first, rest) = digits.split_at_checked(1).unwrap_or((&digits, ""));
        if rest.is_empty() {
            format!("{first}e{exp}")
        } else {
            format!("{first}.{rest}e{exp}")
        }
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_javascript_writes_them() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("3", "3"),
            ("1.0", "1"),
            ("1e2", "100"),
            ("0.1", "0.1"),
            ("-2.5", "-2.5"),
            ("1e21", "1e+21"),
            ("123456789012345678901", "123456789012345680000"),
            ("1e-7", "1e-7"),
            ("0.000001", "0.000001"),
            ("1.5e-10", "1.5e-10"),
            ("12345678901234567890", "12345678901234567000"),
            ("1e999", "null"),
            ("2.5e300", "2.5e+300"),
        ];
        for (raw, js) in cases {
            assert_eq!(js_number(raw.parse().expect("number")), js, "{raw}");
        }
    }

    #[test]
    fn objects_in_javascript_property_order() {
        let text = r#"{"b": 1, "2": 2, "a": 3, "1": 4, "b": 5, "01": 6, "4294967295": 7}"#;
        let parsed = json::parse_value(text, Keep::All).expect("json");
        assert_eq!(
            shown(&parsed.root, text),
            r#"{"1":4,"2":2,"b":5,"a":3,"01":6,"4294967295":7}"#
        );
    }

    #[test]
    fn strings_as_json_stringify_escapes_them() {
        let text = r#"["a\u0041\/\"\\\n\u001f\u007f\u2028é"]"#;
        let parsed = json::parse_value(text, Keep::All).expect("json");
        assert_eq!(
            shown(&parsed.root, text),
            "[\"aA/\\\"\\\\\\n\\u001f\u{7f}\u{2028}é\"]"
        );
    }

    #[test]
    fn semantic_versions_as_cosa_reads_them() {
        for (version, major) in [
            ("1.0.0", Some(1)),
            ("2.10.3", Some(2)),
            ("0.0.1", Some(0)),
            ("1.0.0-rc.1+b5", Some(1)),
            ("1.0", None),
            ("01.0.0", None),
            ("1.0.0-", None),
            ("v1.0.0", None),
            ("", None),
        ] {
            assert_eq!(major_version(version), major, "{version}");
        }
    }
}
