//! The diagnostics cases of tests/cases/diagnostics.json, the one list both suites run
//! (tests/node/diagnostics.test.mjs runs it through the package): per case, every finding's
//! code, severity, pointer, fixability, message, hint, start, end and related places, under
//! each profile the case names; the same report from bytes; upgrade fixing exactly the
//! fixable findings. The file's "about" says how a case is written.

use oscontainer::diagnostic::{Diagnostic, FixedByUpgrade, Related};
use oscontainer::{
    compare_arches, release_view, upgrade, validate, validate_bytes, ArchDocument, Code, Options,
    Profile, UserSchema,
};
use serde_json::{Map, Value};

const CASES: &str = include_str!("cases/diagnostics.json");

/// A place marked in a case's text: 1-based line and UTF-16 column of its start, and of its
/// end when the mark is a range (`⟦…⟧`) rather than a point (`‸`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Mark {
    document: usize,
    start: (u32, u32),
    end: Option<(u32, u32)>,
}

/// Removes the marks from `source`, returning the text and the marks in the order they
/// open. Counted here, not by the code under test: lines break at \r\n, \n and \r.
fn unmark(source: &str, document: usize, marks: &mut Vec<Mark>) -> String {
    let mut text = String::with_capacity(source.len());
    let (mut line, mut column) = (1u32, 1u32);
    let mut open: Vec<usize> = Vec::new();
    let mut chars = source.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '‸' | '⟦' => {
                if ch == '⟦' {
                    open.push(marks.len());
                }
                marks.push(Mark {
                    document,
                    start: (line, column),
                    end: None,
                });
            }
            '⟧' => {
                let index = open.pop().expect("a ⟧ without its ⟦");
                marks[index].end = Some((line, column));
            }
            _ => {
                text.push(ch);
                if ch == '\n' || (ch == '\r' && chars.peek() != Some(&'\n')) {
                    line += 1;
                    column = 1;
                } else {
                    column += ch.len_utf16() as u32;
                }
            }
        }
    }
    assert!(open.is_empty(), "a ⟦ without its ⟧");
    text
}

/// A text as the file writes it: a string, or an array of lines joined with \n.
fn text_of(value: &Value, vars: &Map<String, Value>) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Array(lines) => lines
            .iter()
            .map(|l| l.as_str().expect("a line is a string"))
            .collect::<Vec<_>>()
            .join("\n"),
        other => panic!("a text is a string or an array of lines, not {other}"),
    };
    substitute(&text, vars)
}

/// `${NAME}` replaced by the file's `vars`.
fn substitute(text: &str, vars: &Map<String, Value>) -> String {
    let mut out = text.to_owned();
    for (name, value) in vars {
        out = out.replace(
            &format!("${{{name}}}"),
            value.as_str().expect("a var is a string"),
        );
    }
    assert!(!out.contains("${"), "an unknown var in {text}");
    out
}

fn str_field<'a>(object: &'a Value, key: &str) -> Option<&'a str> {
    object.get(key).map(|v| v.as_str().expect("a string"))
}

/// Checks `message` against a finding's `message` (exact), `messageStarts`, `messageHas`
/// (one part or several, in order) and `messageEnds`.
fn check_message(
    message: &str,
    expected: &Value,
    vars: &Map<String, Value>,
    what: &str,
) -> Result<(), String> {
    let get = |key| str_field(expected, key).map(|s| substitute(s, vars));
    if let Some(exact) = get("message") {
        if message != exact {
            return Err(format!("{what}: message {message:?}, expected {exact:?}"));
        }
    }
    let mut rest = message;
    if let Some(prefix) = get("messageStarts") {
        rest = rest
            .strip_prefix(prefix.as_str())
            .ok_or_else(|| format!("{what}: message {message:?} does not start with {prefix:?}"))?;
    }
    let parts: Vec<String> = match expected.get("messageHas") {
        None => Vec::new(),
        Some(Value::Array(parts)) => parts
            .iter()
            .map(|p| substitute(p.as_str().expect("a string"), vars))
            .collect(),
        Some(part) => vec![substitute(part.as_str().expect("a string"), vars)],
    };
    for part in parts {
        let at = rest
            .find(part.as_str())
            .ok_or_else(|| format!("{what}: message {message:?} lacks {part:?} (in order)"))?;
        rest = &rest[at + part.len()..];
    }
    if let Some(suffix) = get("messageEnds") {
        if !rest.ends_with(suffix.as_str()) {
            return Err(format!(
                "{what}: message {message:?} does not end with {suffix:?}"
            ));
        }
    }
    Ok(())
}

/// The start, and end when the mark gives one, of a finding or related place.
fn check_place(
    line: Option<u32>,
    column: Option<u32>,
    end: (Option<u32>, Option<u32>),
    mark: &Mark,
    what: &str,
) -> Result<(), String> {
    let start = (line.unwrap_or(0), column.unwrap_or(0));
    if start != mark.start {
        return Err(format!(
            "{what}: starts at {start:?}, marked at {:?}",
            mark.start
        ));
    }
    if let Some(marked) = mark.end {
        let actual = (end.0.unwrap_or(0), end.1.unwrap_or(0));
        if actual != marked {
            return Err(format!("{what}: ends at {actual:?}, marked at {marked:?}"));
        }
    }
    Ok(())
}

fn check_related(
    related: &[Related],
    expected: Option<&Value>,
    marks: &[Mark],
    vars: &Map<String, Value>,
    what: &str,
) -> Result<(), String> {
    let expected: &[Value] = expected.map_or(&[], |v| v.as_array().expect("an array"));
    if related.len() != expected.len() {
        return Err(format!(
            "{what}: {} related places, expected {}: {related:?}",
            related.len(),
            expected.len()
        ));
    }
    for (i, (place, want)) in related.iter().zip(expected).enumerate() {
        let what = format!("{what}, related {i}");
        let at = want["at"].as_u64().expect("related.at") as usize;
        let mark = marks.get(at).expect("related.at names a mark");
        if let Some(pointer) = str_field(want, "pointer") {
            if place.pointer != pointer {
                return Err(format!(
                    "{what}: pointer {:?}, expected {pointer:?}",
                    place.pointer
                ));
            }
        }
        // A place in another document of a cross-arch comparison says which.
        if place.document.unwrap_or(mark.document) != mark.document {
            return Err(format!(
                "{what}: in document {:?}, marked in {}",
                place.document, mark.document
            ));
        }
        check_message(&place.message, want, vars, &what)?;
        check_place(
            place.line,
            place.column,
            (place.end_line, place.end_column),
            mark,
            &what,
        )?;
    }
    Ok(())
}

/// Compares the findings of one run (each with the index of its document) with the case.
fn check_findings(
    actual: &[(usize, &Diagnostic)],
    case: &Value,
    profile: Profile,
    marks: &[Mark],
    vars: &Map<String, Value>,
) -> Result<(), String> {
    let expected = case["findings"].as_array().expect("findings");
    let summary: Vec<String> = actual
        .iter()
        .map(|(doc, d)| {
            format!(
                "{doc}: {} {} {:?}:{:?}",
                d.code.as_str(),
                d.pointer,
                d.line,
                d.column
            )
        })
        .collect();
    if actual.len() != expected.len() {
        return Err(format!(
            "{} findings, expected {}: {summary:#?}",
            actual.len(),
            expected.len()
        ));
    }
    for (i, ((document, d), want)) in actual.iter().zip(expected).enumerate() {
        let what = format!("finding {i} ({})", d.code.as_str());
        let code = str_field(want, "code").expect("code");
        let at = want
            .get("at")
            .map_or(i, |v| v.as_u64().expect("at") as usize);
        let mark = marks
            .get(at)
            .ok_or_else(|| format!("{what}: no mark {at} in the text"))?;
        let severity =
            str_field(want, "severity").unwrap_or_else(|| d.code.severity(profile).as_str());
        let fixable = want.get("fixable").is_some_and(|v| v == &Value::Bool(true));
        let got = (
            d.code.as_str(),
            d.severity.as_str(),
            d.pointer.as_str(),
            d.fixable,
            *document,
        );
        let wanted = (
            code,
            severity,
            str_field(want, "pointer").expect("pointer"),
            fixable,
            mark.document,
        );
        if got != wanted {
            return Err(format!(
                "{what}: (code, severity, pointer, fixable, document) {got:?}, expected {wanted:?}; all: {summary:#?}"
            ));
        }
        check_place(d.line, d.column, (d.end_line, d.end_column), mark, &what)?;
        check_message(&d.message, want, vars, &what)?;
        if let Some(hint) = want.get("hint") {
            let hint = hint.as_str().map(|h| substitute(h, vars));
            if d.hint != hint {
                return Err(format!("{what}: hint {:?}, expected {hint:?}", d.hint));
            }
        }
        check_related(&d.related, want.get("related"), marks, vars, &what)?;
        // The table's "fixed by upgrade" says whether a finding can be fixable at all.
        if d.fixable && d.code.fixed_by_upgrade() == FixedByUpgrade::No {
            return Err(format!(
                "{what}: fixable, but the code is never fixed by upgrade"
            ));
        }
    }
    Ok(())
}

/// The profiles a case runs under: the one it names, else both.
fn profiles(case: &Value) -> Vec<Profile> {
    match str_field(case, "profile") {
        Some(name) => vec![Profile::from_name(name).expect("a profile name")],
        None => vec![Profile::Canonical, Profile::Compat],
    }
}

fn run_case(case: &Value, vars: &Map<String, Value>) -> Result<(), String> {
    let schema = case
        .get("schema")
        .map(|s| UserSchema::compile(&s.to_string()).expect("the case's schema compiles"));
    let build_id = str_field(case, "buildId");
    let mut marks = Vec::new();
    for profile in profiles(case) {
        marks.clear();
        let options = Options {
            profile,
            schema: schema.as_ref(),
            build_id,
        };
        let within = |e: String| format!("{}: {e}", profile.as_str());
        if let Some(arches) = case.get("arches") {
            let texts: Vec<(Option<&str>, String)> = arches
                .as_array()
                .expect("arches")
                .iter()
                .enumerate()
                .map(|(i, doc)| {
                    let text = unmark(&text_of(&doc["text"], vars), i, &mut marks);
                    (str_field(doc, "arch"), text)
                })
                .collect();
            let docs: Vec<ArchDocument<'_>> = texts
                .iter()
                .map(|(arch, text)| ArchDocument {
                    arch: *arch,
                    name: None,
                    input: text.as_bytes(),
                })
                .collect();
            let report = compare_arches(&docs, &options);
            let found: Vec<(usize, &Diagnostic)> = report
                .diagnostics
                .iter()
                .map(|d| (d.document, &d.diagnostic))
                .collect();
            check_findings(&found, case, profile, &marks, vars).map_err(within)?;
            let errors = found.iter().any(|(_, d)| d.severity.as_str() == "error");
            if report.valid == errors {
                return Err(format!("valid is {}", report.valid));
            }
            continue;
        }
        let text = unmark(&text_of(&case["text"], vars), 0, &mut marks);
        if str_field(case, "view") == Some("release") {
            let view = release_view(&text, &options);
            let found: Vec<(usize, &Diagnostic)> =
                view.diagnostics.iter().map(|d| (0, d)).collect();
            check_findings(&found, case, profile, &marks, vars).map_err(within)?;
            let errors = found.iter().any(|(_, d)| d.severity.as_str() == "error");
            if view.valid == errors {
                return Err(format!("valid is {}", view.valid));
            }
            continue;
        }
        let report = validate(&text, &options);
        let found: Vec<(usize, &Diagnostic)> = report.diagnostics.iter().map(|d| (0, d)).collect();
        check_findings(&found, case, profile, &marks, vars).map_err(within)?;
        let errors = found.iter().any(|(_, d)| d.severity.as_str() == "error");
        if report.valid == errors {
            return Err(format!("valid is {}", report.valid));
        }
        if validate_bytes(text.as_bytes(), &options) != report {
            return Err("the UTF-8 bytes give another report".to_owned());
        }
        let fixed = upgrade(&text, &options);
        let mut changed: Vec<&str> = fixed.changes.iter().map(|c| c.code.as_str()).collect();
        let mut fixable: Vec<&str> = report
            .diagnostics
            .iter()
            .filter(|d| d.fixable)
            .map(|d| d.code.as_str())
            .collect();
        changed.sort_unstable();
        fixable.sort_unstable();
        if changed != fixable {
            return Err(format!(
                "upgrade changed {changed:?}, the fixable findings are {fixable:?}"
            ));
        }
        if fixed.diagnostics.iter().any(|d| d.fixable) {
            return Err("something fixable remains after upgrade".to_owned());
        }
    }
    Ok(())
}

#[test]
fn every_case_of_the_diagnostics_file() {
    let file: Value = serde_json::from_str(CASES).expect("tests/cases/diagnostics.json parses");
    let vars = file["vars"].as_object().expect("vars");
    let mut failures = Vec::new();
    for case in file["cases"].as_array().expect("cases") {
        let name = str_field(case, "name").expect("name");
        if let Err(message) = run_case(case, vars) {
            failures.push(format!("{name}: {message}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_code_has_a_case() {
    let file: Value = serde_json::from_str(CASES).expect("parses");
    let mut seen = std::collections::BTreeSet::new();
    for case in file["cases"].as_array().expect("cases") {
        for finding in case["findings"].as_array().expect("findings") {
            seen.insert(str_field(finding, "code").expect("code").to_owned());
        }
    }
    // The release check's codes (a release.json against its meta.json files) and the
    // builds index's (builds.json; tests/builds_index.rs) are not reported by validate,
    // releaseView or compareArches, which this file's cases run.
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| {
            let summary = c.summary().trim_start();
            !summary.starts_with("Release check:") && !summary.starts_with("Builds index:")
        })
        .map(|c| c.as_str())
        .filter(|c| !seen.contains(*c))
        .collect();
    assert!(missing.is_empty(), "codes without a case: {missing:?}");
}

#[test]
fn marks_are_counted_in_utf16_columns_and_every_line_break() {
    let mut marks = Vec::new();
    let text = unmark("a\r\n😀‸⟦b\rc⟧\nd‸", 0, &mut marks);
    assert_eq!(text, "a\r\n😀b\rc\nd");
    assert_eq!(
        marks,
        [
            Mark {
                document: 0,
                start: (2, 3),
                end: None
            },
            Mark {
                document: 0,
                start: (2, 3),
                end: Some((3, 2))
            },
            Mark {
                document: 0,
                start: (4, 2),
                end: None
            },
        ]
    );
}
