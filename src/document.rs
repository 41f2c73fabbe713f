//! A whole input: which of the accepted forms it is, where its entries are, and the
//! report on it.

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Profile, Severity};
use crate::entry::{is_artifact, Checked, Entry, EntryChecker, ENTRY_FIELDS, ENTRY_KEYS};
use crate::json::{self, Keep, Kind, Member, Node, Parsed, Span, Value};
use crate::position::LineIndex;
use crate::schema::UserSchema;

/// How to validate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'s> {
    /// Which rules apply.
    pub profile: Profile,
    /// An extra JSON Schema for the whole document (e.g. cosa's `v1.json`).
    pub schema: Option<&'s UserSchema>,
    /// The build id, to tell floating tags from build tags; defaults to the document's
    /// `buildid`. An empty one counts as none (every tag would contain it).
    pub build_id: Option<&'s str>,
}

/// The result of validating one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// True when no diagnostic is an error.
    pub valid: bool,
    /// The profile used.
    pub profile: Profile,
    /// Findings in document order.
    pub diagnostics: Vec<Diagnostic>,
    /// The container entries found, additional images included, in document order.
    pub entries: Vec<Entry>,
}

/// The top-level key holding the build id.
pub(crate) const BUILD_ID_KEY: &str = "buildid";
/// The top-level key holding the architecture.
pub(crate) const ARCH_KEY: &str = "coreos-assembler.basearch";

/// Keys whose values the scanner keeps: the entries, the fields of a bare entry, and
/// the build id and architecture.
const KEPT_KEYS: [&str; 12] = [
    BUILD_ID_KEY,
    ARCH_KEY,
    ENTRY_KEYS[0],
    ENTRY_KEYS[1],
    ENTRY_KEYS[2],
    ENTRY_KEYS[3],
    ENTRY_FIELDS[0],
    ENTRY_FIELDS[1],
    ENTRY_FIELDS[2],
    ENTRY_FIELDS[3],
    ENTRY_FIELDS[4],
    ENTRY_FIELDS[5],
];

/// Everything learnt from one text; `upgrade` works from this too.
pub(crate) struct Analysis<'a> {
    pub text: &'a str,
    /// The build id given, or else the document's `buildid`.
    pub build_id: Option<String>,
    pub parsed: Option<Parsed<'a>>,
    pub diagnostics: Diagnostics,
    pub checked: Checked,
}

impl<'a> Analysis<'a> {
    /// Line starts from the scan, when the text scanned completely, handed over rather
    /// than copied: for a 100 MB document they are millions of offsets (16 MB), and
    /// positions are the last thing worked out.
    pub fn take_line_index(&mut self) -> Option<LineIndex> {
        self.parsed
            .as_mut()
            .map(|p| LineIndex::from_starts(std::mem::take(&mut p.line_starts)))
    }

    /// A copy of the line starts from the scan, for a second report on the same analysis.
    pub fn line_index(&self) -> Option<LineIndex> {
        self.parsed
            .as_ref()
            .map(|p| LineIndex::from_starts(p.line_starts.clone()))
    }

    /// The report `validate` gives for this analysis, leaving the analysis as it is.
    pub fn report(&self, profile: Profile) -> Report {
        finish(
            self.text.as_bytes(),
            self.diagnostics.clone(),
            self.checked.entries.clone(),
            profile,
            self.line_index(),
        )
    }

    /// The root node (for a fragment, the object it stands for).
    pub fn root(&self) -> Option<&Node<'a>> {
        self.parsed.as_ref().map(|p| &p.root)
    }
}

/// Validates UTF-8 `input` (bytes that are not UTF-8 give a `json-syntax` finding).
pub fn validate_bytes(input: &[u8], options: &Options<'_>) -> Report {
    match json::decode(input) {
        Ok(text) => validate(text, options),
        Err(error) => {
            let mut diagnostics = Diagnostics::new(options.profile);
            let span = error.span(input);
            diagnostics.push_span(Code::JsonSyntax, "", span, error.message);
            finish(input, diagnostics, Vec::new(), options.profile, None)
        }
    }
}

/// Validates `text`.
pub fn validate(text: &str, options: &Options<'_>) -> Report {
    let mut analysis = analyze(text, options);
    let lines = analysis.take_line_index();
    finish(
        text.as_bytes(),
        analysis.diagnostics,
        analysis.checked.entries,
        options.profile,
        lines,
    )
}

/// Scans and checks `text`.
pub(crate) fn analyze<'a>(text: &'a str, options: &Options<'_>) -> Analysis<'a> {
    let mut diagnostics = Diagnostics::new(options.profile);
    // A user schema needs the whole document as a value; the tree built for it also
    // locates the violations.
    let keep = if options.schema.is_some() {
        Keep::All
    } else {
        Keep::TopLevel(&KEPT_KEYS)
    };
    let parsed = match json::parse(text, keep) {
        Ok(parsed) => parsed,
        Err(error) => {
            let code = if error.too_deep {
                Code::NestingTooDeep
            } else {
                Code::JsonSyntax
            };
            let span = error.span(text.as_bytes());
            diagnostics.push_span(code, "", span, error.message);
            return Analysis {
                text,
                build_id: given_build_id(options),
                parsed: None,
                diagnostics,
                checked: Checked::default(),
            };
        }
    };
    document_findings(&mut diagnostics, &parsed, text);
    let duplicate_offsets: Vec<usize> = parsed.duplicates.iter().map(|d| d.offset).collect();
    let build_id = given_build_id(options)
        .or_else(|| top_level_string(&parsed.root, BUILD_ID_KEY))
        .filter(|id| !id.is_empty());
    let mut checked = Checked::default();
    let mut checker = EntryChecker {
        diags: &mut diagnostics,
        text,
        duplicate_offsets: &duplicate_offsets,
        build_id: build_id.as_deref(),
    };
    let root = &parsed.root;
    match &root.value {
        Value::Object(members) => check_members(&mut checker, members, root, &mut checked),
        other => {
            checker.diags.push_span(
                Code::NotAnObject,
                "",
                root.span,
                format!(
                    "the document is {}; expected a meta.json object or a container entry",
                    other.kind().article_name()
                ),
            );
        }
    }
    let source = crate::fix::Source {
        text,
        root: &parsed.root,
    };
    crate::fix::attach(&source, &checked.plans, diagnostics.items_mut());
    if let Some(user_schema) = options.schema {
        check_user_schema(&mut diagnostics, &parsed, text, user_schema);
    }
    Analysis {
        text,
        build_id,
        parsed: Some(parsed),
        diagnostics,
        checked,
    }
}

/// The findings about the text as a whole, from the scan: a byte-order mark, duplicate
/// keys, and numbers or escapes that the consumers read as something else.
fn document_findings(diagnostics: &mut Diagnostics, parsed: &Parsed<'_>, text: &str) {
    if parsed.base > 0 {
        diagnostics
            .push_span(
                Code::JsonSyntax,
                "",
                Span::new(0, parsed.base),
                "the text starts with a byte-order mark, which JSON.parse and Python's json reject"
                    .to_owned(),
            )
            .hint("save the file as UTF-8 without BOM");
    }
    let index =
        (!parsed.duplicates.is_empty()).then(|| LineIndex::from_starts(parsed.line_starts.clone()));
    for duplicate in &parsed.duplicates {
        let line = index
            .as_ref()
            .map_or(0, |i| i.position(text.as_bytes(), duplicate.first_offset).0);
        let first = json::string_token(text, duplicate.first_offset);
        diagnostics
            .push_span(
                Code::DuplicateKey,
                &duplicate.pointer,
                json::string_token(text, duplicate.offset),
                format!(
                    "key {} appears more than once in this object (first on line {line}); JSON.parse keeps only the last",
                    crate::diagnostic::quote(&duplicate.key)
                ),
            )
            .hint("remove one of them")
            .related(
                &duplicate.pointer,
                first,
                "the first occurrence, which JSON.parse drops",
            );
    }
    for oddity in &parsed.oddities {
        // As written: a number or a `\uXXXX` escape, both ASCII; a long number is cut.
        let shown = match oddity.text.get(..24) {
            Some(head) if oddity.text.len() > 40 => {
                format!("{head}… ({} characters)", oddity.text.len())
            }
            _ => oddity.text.clone(),
        };
        match oddity.kind {
            json::OddityKind::NumberOutOfRange => diagnostics
                .push_span(
                    Code::NumberOutOfRange,
                    &oddity.pointer,
                    oddity.span(),
                    format!(
                        "the number {shown} is beyond the range of a double: JSON.parse and Python read it as infinity, which neither writes back as JSON"
                    ),
                )
                .hint("write the value it stands for, or make it a string"),
            json::OddityKind::LoneSurrogate => diagnostics
                .push_span(
                    Code::LoneSurrogate,
                    &oddity.pointer,
                    oddity.span(),
                    format!(
                        "{shown} is half of a UTF-16 surrogate pair, alone: not a character; JSON.parse and Python keep it, but it has no UTF-8 form (Rust's serde_json rejects the document, Go reads U+FFFD)"
                    ),
                )
                .hint("write the character that was meant (both halves of the pair, or the character itself)"),
        };
    }
}

fn given_build_id(options: &Options<'_>) -> Option<String> {
    options
        .build_id
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

/// A top-level string member of the document.
pub(crate) fn top_level_string(root: &Node<'_>, key: &str) -> Option<String> {
    root.members()
        .and_then(|m| json::last_member(m, key))
        .and_then(|m| m.value.as_str())
        .map(str::to_owned)
}

/// Finds the entries among the members of the root object (or fragment).
fn check_members(
    checker: &mut EntryChecker<'_>,
    members: &[Member<'_>],
    root: &Node<'_>,
    out: &mut Checked,
) {
    let mut found = false;
    for (index, member) in members.iter().enumerate() {
        let key = member.key.as_ref();
        if !ENTRY_KEYS.contains(&key) {
            continue;
        }
        // JSON.parse keeps the last of duplicate keys, so that is the one consumers see.
        if members
            .get(index + 1..)
            .unwrap_or_default()
            .iter()
            .any(|m| m.key == key)
        {
            continue;
        }
        found = true;
        let mut pointer = String::new();
        json::push_token(&mut pointer, key);
        checker.check(&member.value, &pointer, Some(key), out);
    }
    if found {
        return;
    }
    if members.iter().any(|m| m.key == "image") {
        checker.check(root, "", None, out);
        return;
    }
    let (message, hint) = no_entries_message(members, checker.text);
    let d = checker
        .diags
        // The document as a whole: its first character, not an underline of all of it.
        .push_span(
            Code::NoEntries,
            "",
            json::char_span(
                checker.text.as_bytes(),
                first_token(checker.text, root.span.start),
            ),
            message,
        );
    if let Some(hint) = hint {
        d.hint(hint);
    }
}

/// Where the first token at or after `offset` starts (a fragment of members may begin
/// with whitespace).
fn first_token(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|rest| rest.find(|c: char| !c.is_ascii_whitespace()))
        .map_or(offset, |skip| offset + skip)
}

/// The `no-entries` message, and a hint. What was pasted from `images` (an artifact, a
/// few of them, or `images` itself) is named: taking a file artifact for a container
/// entry is the likely mistake.
fn no_entries_message(members: &[Member<'_>], text: &str) -> (String, Option<&'static str>) {
    const ENTRIES: &str = "container entries are the top-level keys oscontainer, base-oscontainer, extensions-container and kubevirt, each naming an image pushed to a registry";
    if is_artifact(members) {
        return (
            format!("the document is a file artifact (path, sha256, size) as listed under \"images\" in meta.json, not a container entry; {ENTRIES}"),
            None,
        );
    }
    if let Some(kind) = metadata_kind(members, text) {
        return (kind.message().to_owned(), Some(METADATA_HINT));
    }
    let from_images = |m: &Member<'_>| {
        (m.key == "images" && m.value.value.kind() == Kind::Object) || member_is_artifact(m, text)
    };
    if members.is_empty() || !members.iter().all(from_images) {
        return (
            "the document has no container entry (oscontainer, base-oscontainer, extensions-container or kubevirt)".to_owned(),
            None,
        );
    }
    if members.iter().any(|m| m.key == "images") {
        return (
            format!("\"images\" lists file artifacts (path, sha256, size), not container entries; {ENTRIES}"),
            None,
        );
    }
    let names: Vec<String> = members
        .iter()
        .map(|m| crate::diagnostic::quote(&m.key))
        .collect();
    let (what, entry) = if names.len() == 1 {
        ("is a file artifact", "a container entry")
    } else {
        ("are file artifacts", "container entries")
    };
    let hint = members
        .iter()
        .any(|m| m.key == "legacy-oscontainer")
        .then_some("the image pushed from images.legacy-oscontainer is described by the top-level \"oscontainer\"");
    (
        format!(
            "{} {what} (path, sha256, size) as listed under \"images\" in meta.json, not {entry}; {ENTRIES}",
            names.join(", ")
        ),
        hint,
    )
}

/// Where a build's container entries are, for a document that is stream metadata.
const METADATA_HINT: &str =
    "a build's meta.json is builds/<build id>/<arch>/meta.json in cosa's build directory";

/// The stream metadata documents published from builds (coreos/stream-metadata-go): none
/// has container entries of its own, and pasting one where a meta.json is expected is an
/// easy mistake, since release metadata carries pull specs too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MetadataKind {
    /// `release.json`: one release (`release`, `stream`, `architectures.<arch>`).
    Release,
    /// `releases.json`: a stream's release index (`stream`, a `releases` list).
    ReleaseIndex,
    /// `stream.json`: a stream's current artifacts (`stream`,
    /// `architectures.<arch>.artifacts` and `images`).
    Stream,
}

impl MetadataKind {
    fn message(self) -> &'static str {
        match self {
            MetadataKind::Release => "the document looks like a release.json (stream metadata for one release), not a meta.json; its oci-image and media.kubevirt.image pairs are made from the base-oscontainer and kubevirt entries of the build's meta.json files, so check those",
            MetadataKind::ReleaseIndex => "the document looks like a releases.json (the index of a stream's releases), not a meta.json; container entries are in the meta.json files of each build, so check those",
            MetadataKind::Stream => "the document looks like a stream.json (stream metadata: a stream's current artifacts and images per architecture), not a meta.json; container entries are in the meta.json files of each build, so check those",
        }
    }
}

/// Which stream metadata document the top-level members make, if any. Only the shape is
/// looked at (the keys, their types, and the keys of each architecture).
fn metadata_kind(members: &[Member<'_>], text: &str) -> Option<MetadataKind> {
    let kind_of = |key: &str| json::last_member(members, key).map(|m| m.value.value.kind());
    if kind_of("stream") != Some(Kind::String) {
        return None;
    }
    if kind_of("releases") == Some(Kind::Array) {
        return Some(MetadataKind::ReleaseIndex);
    }
    let architectures = json::last_member(members, "architectures")?;
    // Every architecture is an object; a stream's each has artifacts or images.
    let (all_objects, all_streams) = with_members(&architectures.value, text, |arches, text| {
        let all_objects = !arches.is_empty()
            && arches
                .iter()
                .all(|arch| arch.value.value.kind() == Kind::Object);
        let all_streams = all_objects
            && arches.iter().all(|arch| {
                with_members(&arch.value, text, |keys, _| {
                    keys.iter()
                        .any(|k| k.key == "artifacts" || k.key == "images")
                })
                .unwrap_or(false)
            });
        (all_objects, all_streams)
    })?;
    if kind_of("release") == Some(Kind::String) {
        return all_objects.then_some(MetadataKind::Release);
    }
    all_streams.then_some(MetadataKind::Stream)
}

/// Calls `f` with the members of an object value and the text their spans refer to: a
/// kept object's own members, or those of a skipped one read again (only its top level).
fn with_members<R>(
    node: &Node<'_>,
    text: &str,
    f: impl FnOnce(&[Member<'_>], &str) -> R,
) -> Option<R> {
    match &node.value {
        Value::Object(members) => Some(f(members, text)),
        Value::Skipped(Kind::Object) => {
            let value = text.get(node.span.start..node.span.end)?;
            let parsed = json::parse(value, Keep::TopLevel(&[])).ok()?;
            parsed.root.members().map(|members| f(members, value))
        }
        _ => None,
    }
}

/// Whether a top-level member's value is a file artifact. Values of keys the scan does not
/// keep are read again; an artifact is a few hundred bytes, so larger values are not.
fn member_is_artifact(member: &Member<'_>, text: &str) -> bool {
    const ARTIFACT_MAX_LEN: usize = 4096;
    match &member.value.value {
        Value::Object(members) => is_artifact(members),
        Value::Skipped(Kind::Object)
            if member
                .value
                .span
                .end
                .saturating_sub(member.value.span.start)
                <= ARTIFACT_MAX_LEN =>
        {
            text.get(member.value.span.start..member.value.span.end)
                .and_then(|value| json::parse(value, Keep::TopLevel(&[])).ok())
                .and_then(|parsed| parsed.root.members().map(is_artifact))
                .unwrap_or(false)
        }
        _ => false,
    }
}

fn check_user_schema(
    diagnostics: &mut Diagnostics,
    parsed: &Parsed<'_>,
    text: &str,
    user_schema: &UserSchema,
) {
    let root = &parsed.root;
    let instance = json::to_json(root, text);
    if user_schema.is_valid(&instance) {
        return;
    }
    for violation in user_schema.violations(&instance) {
        let span = match root.locate(&violation.pointer) {
            Some((_, Some(key))) if violation.at_key => key,
            Some((node, _)) => node.span,
            None => root.span,
        };
        diagnostics.push_span(
            Code::SchemaViolation,
            &violation.pointer,
            span,
            violation.message,
        );
    }
}

/// Sorts the findings into document order, fills in line/column and the verdict.
pub(crate) fn finish(
    text: &[u8],
    diagnostics: Diagnostics,
    entries: Vec<Entry>,
    profile: Profile,
    lines: Option<LineIndex>,
) -> Report {
    let mut diagnostics = diagnostics.into_vec();
    diagnostics.sort_by_key(|d| d.offset);
    crate::position::locate(text, lines, &mut diagnostics);
    let valid = !diagnostics.iter().any(|d| d.severity == Severity::Error);
    Report {
        valid,
        profile,
        diagnostics,
        entries,
    }
}
