//! A published release.json (stream metadata for one release) checked against the
//! meta.json files of the build it was published from: [`check_release`], its findings
//! located in the release.json text and pointing at the meta.json values they compare.
//! Apart from `check_build` because it reads a second kind of document, with its own
//! layout (`architectures.<arch>.oci-image`, `media.kubevirt.image`, `release`).

use serde::Serialize;

use super::{check_build, released_pair, under, BuildReport};
use crate::arches::{ArchDocument, PresencePolicy};
use crate::diagnostic::{quote, Code, Diagnostic, Diagnostics};
use crate::document::{finish, Options};
use crate::json::{self, last_member, push_token, Keep, Kind, Member, Node, Span};
use crate::position::LineIndex;
use crate::release::ReleaseMetadata;

/// The findings about a release.json, located in its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseFindings {
    /// True when none is an error.
    pub valid: bool,
    /// The release.json's `release` (the build id it was published from), when a string.
    pub release: Option<String>,
    /// Findings in the release.json, in text order; `related` places are in the meta.json
    /// files (with their `document`, `arch` and `name`).
    pub diagnostics: Vec<Diagnostic>,
}

/// A release.json checked against the build it was published from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseCheck {
    /// True when neither the release nor the build has an error.
    pub valid: bool,
    /// The findings in the release.json.
    pub release: ReleaseFindings,
    /// The build's own report, as [`check_build`] gives it.
    pub build: BuildReport,
}

/// Checks a published release.json (stream metadata for one release) against the
/// meta.json files of the build: the `oci-image` and `media.kubevirt.image` pairs of each
/// architecture, the architectures on both sides, and `release` against the build id.
pub fn check_release(
    release: &[u8],
    documents: &[ArchDocument<'_>],
    options: &Options<'_>,
    policy: &PresencePolicy,
) -> ReleaseCheck {
    let build = check_build(documents, options, policy);
    let release = release_findings(release, documents, &build, options);
    ReleaseCheck {
        valid: release.valid && build.valid,
        release,
        build,
    }
}

fn release_findings(
    input: &[u8],
    documents: &[ArchDocument<'_>],
    build: &BuildReport,
    options: &Options<'_>,
) -> ReleaseFindings {
    let mut diags = Diagnostics::new(options.profile);
    let text = json::decode(input);
    let parsed = text.and_then(|text| json::parse(text, Keep::All).map(|p| (text, p)));
    let mut release = None;
    let lines = match parsed {
        Err(error) => {
            let code = if error.too_deep {
                Code::NestingTooDeep
            } else {
                Code::JsonSyntax
            };
            let at = Span::new(error.offset, error.offset);
            diags.push_span(code, "", at, format!("release.json: {}", error.message));
            None
        }
        Ok((text, mut parsed)) => {
            let mut checker = ReleaseChecker {
                diags: &mut diags,
                documents,
                build,
            };
            release = checker.check(&parsed.root);
            duplicate_keys(&mut diags, &parsed, text);
            Some(LineIndex::from_starts(std::mem::take(
                &mut parsed.line_starts,
            )))
        }
    };
    let report = finish(input, diags, Vec::new(), options.profile, lines);
    ReleaseFindings {
        valid: report.valid,
        release,
        diagnostics: report.diagnostics,
    }
}

/// The same key twice in one object of the release.json: its consumers, like JSON.parse,
/// read the last, and so does this check; the first is not what anyone sees.
fn duplicate_keys(diags: &mut Diagnostics, parsed: &json::Parsed<'_>, text: &str) {
    for duplicate in &parsed.duplicates {
        diags
            .push_span(
                Code::DuplicateKey,
                &duplicate.pointer,
                json::string_token(text, duplicate.offset),
                format!(
                    "key {} appears more than once in this object of the release.json; JSON.parse keeps only the last",
                    quote(&duplicate.key)
                ),
            )
            .hint("remove one of them")
            .related(
                &duplicate.pointer,
                json::string_token(text, duplicate.first_offset),
                "the first occurrence, which JSON.parse drops",
            );
    }
}

/// Where a pair sits in an architecture of release.json, and the entry it is made from.
struct PairPlace {
    /// `oci-image` or `media.kubevirt.image`, as messages name it.
    label: &'static str,
    /// The path from the architecture's object.
    path: &'static [&'static str],
    /// The meta.json entry key.
    key: &'static str,
}

const PAIRS: [PairPlace; 2] = [
    PairPlace {
        label: "oci-image",
        path: &["oci-image"],
        key: "base-oscontainer",
    },
    PairPlace {
        label: "media.kubevirt.image",
        path: &["media", "kubevirt", "image"],
        key: "kubevirt",
    },
];

struct ReleaseChecker<'c, 'd> {
    diags: &'c mut Diagnostics,
    documents: &'c [ArchDocument<'d>],
    build: &'c BuildReport,
}

/// The last member named `key` of an object node (JSON.parse keeps the last).
fn member<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<&'n Member<'a>> {
    node.members().and_then(|m| last_member(m, key))
}

fn child(pointer: &str, token: &str) -> String {
    let mut at = pointer.to_owned();
    push_token(&mut at, token);
    at
}

impl ReleaseChecker<'_, '_> {
    /// Checks the whole release.json; returns its `release`.
    fn check(&mut self, root: &Node<'_>) -> Option<String> {
        if root.members().is_none() {
            let message = format!(
                "the release.json is {}; expected an object with \"release\" and \"architectures\"",
                root.value.kind().article_name()
            );
            self.diags
                .push_span(Code::ReleaseInvalid, "", root.span, message);
            return None;
        }
        let release = self.check_release_id(root);
        match member(root, "architectures") {
            Some(m) if m.value.value.kind() == Kind::Object => self.check_arches(m),
            Some(m) => {
                let message = format!(
                    "\"architectures\" is {}; a release.json has an object of architectures",
                    m.value.value.kind().article_name()
                );
                self.diags.push_span(
                    Code::ReleaseInvalid,
                    "/architectures",
                    m.value.span,
                    message,
                );
            }
            None => {
                self.diags.push_span(
                    Code::ReleaseInvalid,
                    "",
                    Span::new(root.span.start, root.span.start),
                    "the release.json has no \"architectures\"; it is not a release.json (stream metadata for one release)".to_owned(),
                );
            }
        }
        release
    }

    /// `release` must be the build id of the meta.json files.
    fn check_release_id(&mut self, root: &Node<'_>) -> Option<String> {
        let Some(m) = member(root, "release") else {
            self.diags.push_span(
                Code::ReleaseInvalid,
                "",
                Span::new(root.span.start, root.span.start),
                "the release.json has no \"release\" (the build id it was published from)"
                    .to_owned(),
            );
            return None;
        };
        let Some(release) = m.value.as_str() else {
            let message = format!(
                "\"release\" is {}; it must be the build id as a string",
                m.value.value.kind().article_name()
            );
            self.diags
                .push_span(Code::ReleaseInvalid, "/release", m.value.span, message);
            return None;
        };
        if let Some(expected) = &self.build.build_id {
            if release != expected {
                let message = format!(
                    "release.json is release {}, but the meta.json files are of build {}",
                    quote(release),
                    quote(expected)
                );
                let source = self.document_with_build_id(expected);
                let d = self.diags.push_span(
                    Code::ReleaseBuildMismatch,
                    "/release",
                    m.value.span,
                    message,
                );
                if let Some(i) = source {
                    related_in(d, self.documents, self.build, i, "/buildid", "the build id");
                }
            }
        }
        Some(release.to_owned())
    }

    /// The first document that records `id` as its `buildid`.
    fn document_with_build_id(&self, id: &str) -> Option<usize> {
        self.documents.iter().position(|d| {
            json::decode(d.input)
                .ok()
                .and_then(|text| json::parse(text, Keep::TopLevel(&["buildid"])).ok())
                .and_then(|p| {
                    member(&p.root, "buildid").and_then(|m| m.value.as_str().map(str::to_owned))
                })
                .is_some_and(|b| b == id)
        })
    }

    /// The document of `arch` (the first, when there are two).
    fn document_of(&self, arch: &str) -> Option<usize> {
        self.build
            .arches
            .iter()
            .position(|a| a.arch.as_deref() == Some(arch))
    }

    fn check_arches(&mut self, architectures: &Member<'_>) {
        let members = architectures.value.members().unwrap_or_default();
        let mut listed: Vec<&str> = Vec::new();
        for (index, m) in members.iter().enumerate() {
            let arch = m.key.as_ref();
            // JSON.parse keeps the last of duplicate keys; the earlier ones are not read.
            if members
                .get(index + 1..)
                .unwrap_or_default()
                .iter()
                .any(|n| n.key == arch)
            {
                continue;
            }
            listed.push(arch);
            let pointer = child("/architectures", arch);
            match self.document_of(arch) {
                Some(i) => self.check_arch(arch, &pointer, m, i),
                None => {
                    let known: Vec<&str> = self
                        .build
                        .arches
                        .iter()
                        .filter_map(|a| a.arch.as_deref())
                        .collect();
                    let given = if known.is_empty() {
                        "none was given".to_owned()
                    } else {
                        format!("the build's are for {}", known.join(", "))
                    };
                    let message = format!(
                        "release.json lists {arch}, but no meta.json for {arch} was given ({given})"
                    );
                    self.diags
                        .push_span(Code::ReleaseArchMissing, &pointer, m.key_span, message);
                }
            }
        }
        self.check_extra_arches(architectures, &listed);
    }

    /// Each meta.json whose architecture the release does not list.
    fn check_extra_arches(&mut self, architectures: &Member<'_>, listed: &[&str]) {
        let mut seen: Vec<&str> = Vec::new();
        for (i, a) in self.build.arches.iter().enumerate() {
            let Some(arch) = a.arch.as_deref() else {
                continue; // arch-unknown in the build's findings
            };
            if listed.contains(&arch) || seen.contains(&arch) {
                continue;
            }
            seen.push(arch);
            let message = format!(
                "{} is for {arch}, which release.json does not list: the release does not offer {arch}",
                file_name(self.build, i)
            );
            let d = self.diags.push_span(
                Code::ReleaseArchExtra,
                "/architectures",
                architectures.key_span,
                message,
            );
            related_in(
                d,
                self.documents,
                self.build,
                i,
                "/coreos-assembler.basearch",
                "its architecture",
            );
        }
    }

    fn check_arch(&mut self, arch: &str, pointer: &str, m: &Member<'_>, i: usize) {
        if m.value.members().is_none() {
            let message = format!(
                "architectures.{arch} is {}; expected an object",
                m.value.value.kind().article_name()
            );
            self.diags
                .push_span(Code::ReleaseInvalid, pointer, m.value.span, message);
            return;
        }
        for place in &PAIRS {
            let mut node = Some(&m.value);
            let mut at = pointer.to_owned();
            for token in place.path {
                node = node.and_then(|n| member(n, token)).map(|m| &m.value);
                push_token(&mut at, token);
            }
            let expected = self
                .build
                .arches
                .get(i)
                .and_then(|a| released_pair(&a.release, place.key));
            match (node, expected) {
                (None, None) => {}
                (Some(node), Some(pair)) => self.compare_pair(arch, place, &at, node, &pair, i),
                (Some(node), None) => self.unexpected_pair(arch, place, &at, node, i),
                (None, Some(pair)) => self.missing_pair(arch, place, pointer, m, &pair, i),
            }
        }
    }

    /// The pair of the release against the one the meta.json gives.
    fn compare_pair(
        &mut self,
        arch: &str,
        place: &PairPlace,
        pointer: &str,
        node: &Node<'_>,
        pair: &ReleaseMetadata,
        i: usize,
    ) {
        let file = file_name(self.build, i);
        if node.members().is_none() {
            let message = format!(
                "{} for {arch} is {}, but {file}'s {} gives {{\"image\": {}, \"digest-ref\": {}}}",
                place.label,
                node.value.kind().article_name(),
                place.key,
                quote(&pair.image),
                quote(&pair.digest_ref)
            );
            let d = self
                .diags
                .push_span(Code::ReleaseImageMismatch, pointer, node.span, message);
            let what = format!("{} in {file}", place.key);
            related_in(
                d,
                self.documents,
                self.build,
                i,
                &child("", place.key),
                &what,
            );
            return;
        }
        let fields = [
            ("image", &pair.image, Code::ReleaseImageMismatch, "image"),
            (
                "digest-ref",
                &pair.digest_ref,
                Code::ReleaseDigestMismatch,
                "digest",
            ),
        ];
        for (field, want, code, source) in fields {
            let found = member(node, field);
            if found.and_then(|m| m.value.as_str()) == Some(want.as_str()) {
                continue;
            }
            let gives = format!("{file}'s {} gives {}", place.key, quote(want));
            let (at, span, message) = match found {
                Some(m) => {
                    let got = match m.value.as_str() {
                        Some(s) => quote(s),
                        None => m.value.value.kind().article_name().to_owned(),
                    };
                    (
                        child(pointer, field),
                        m.value.span,
                        format!("{}.{field} for {arch} is {got}, but {gives}", place.label),
                    )
                }
                None => (
                    pointer.to_owned(),
                    node.span,
                    format!("{} for {arch} has no {field}, but {gives}", place.label),
                ),
            };
            let d = self.diags.push_span(code, &at, span, message);
            let related = child(&child("", place.key), source);
            let what = format!("{}.{source} in {file}", place.key);
            related_in(d, self.documents, self.build, i, &related, &what);
        }
    }

    /// The release has a pair where the meta.json gives none that cosa would write.
    fn unexpected_pair(
        &mut self,
        arch: &str,
        place: &PairPlace,
        pointer: &str,
        node: &Node<'_>,
        i: usize,
    ) {
        let file = file_name(self.build, i);
        let entry = child("", place.key);
        let view = self.build.arches.get(i).map(|a| &a.release);
        let has_entry = view.is_some_and(|v| v.entries.iter().any(|e| e.pointer == entry));
        let why = if has_entry {
            view.and_then(|v| v.diagnostics.iter().find(|d| under(&d.pointer, &entry)))
                .map_or_else(
                    || format!("cosa writes no pair from its {}", place.key),
                    |d| format!("cosa writes no right pair from it: {}", d.message),
                )
        } else {
            format!("it has no {}", place.key)
        };
        let message = format!(
            "release.json has {} for {arch}, but {file} gives none ({why})",
            place.label
        );
        let d = self
            .diags
            .push_span(Code::ReleaseImageMismatch, pointer, node.span, message);
        if has_entry {
            let what = format!("{} in {file}", place.key);
            related_in(d, self.documents, self.build, i, &entry, &what);
        }
    }

    /// The meta.json gives a pair that the release does not have.
    fn missing_pair(
        &mut self,
        arch: &str,
        place: &PairPlace,
        pointer: &str,
        m: &Member<'_>,
        pair: &ReleaseMetadata,
        i: usize,
    ) {
        let file = file_name(self.build, i);
        let message = format!(
            "release.json has no {} for {arch}, but {file}'s {} gives {} and {}",
            place.label,
            place.key,
            quote(&pair.image),
            quote(&pair.digest_ref)
        );
        let d = self
            .diags
            .push_span(Code::ReleaseImageMismatch, pointer, m.key_span, message);
        let entry = child("", place.key);
        let what = format!("{} in {file}", place.key);
        related_in(d, self.documents, self.build, i, &entry, &what);
    }
}

/// How messages name document `i`: its file name, else "the <arch> meta.json".
fn file_name(build: &BuildReport, i: usize) -> String {
    let arch = build.arches.get(i);
    match (
        arch.and_then(|a| a.name.as_deref()),
        arch.and_then(|a| a.arch.as_deref()),
    ) {
        (Some(name), _) => name.to_owned(),
        (None, Some(arch)) => format!("the {arch} meta.json"),
        (None, None) => format!("meta.json {}", i + 1),
    }
}

/// Adds the place `pointer` of document `i` (or, when it is not there, its nearest
/// parent) to `d`'s related places, located in that document's text.
fn related_in(
    d: &mut Diagnostic,
    documents: &[ArchDocument<'_>],
    build: &BuildReport,
    i: usize,
    pointer: &str,
    message: &str,
) {
    let Some(input) = documents.get(i).map(|doc| doc.input) else {
        return;
    };
    let Ok(text) = json::decode(input) else {
        return;
    };
    let first = json::pointer_tokens(pointer).next().unwrap_or_default();
    let Ok(parsed) = json::parse(text, Keep::TopLevel(&[first.as_str()])) else {
        return;
    };
    let mut at = pointer;
    let node = loop {
        if let Some((node, _)) = parsed.root.locate(at) {
            break node;
        }
        match at.rsplit_once('/') {
            Some((parent, _)) => at = parent,
            None => break &parsed.root,
        }
    };
    // Not there at all: the start of the document, not the whole of it.
    let span = if at.is_empty() {
        Span::new(node.span.start, node.span.start)
    } else {
        node.span
    };
    d.related(at, span, message);
    let arch = build.arches.get(i);
    if let Some(place) = d.related.last_mut() {
        place.document = Some(i);
        place.arch = arch.and_then(|a| a.arch.clone());
        place.name = arch.and_then(|a| a.name.clone());
        (place.line, place.column, place.end_line, place.end_column) =
            LineIndex::new(input).range(input, span.start, span.end);
    }
}
