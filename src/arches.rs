//! Cross-architecture checks: the meta.json files of one build, one per architecture,
//! must agree on the repository, tags and manifest list, and must *not* share the
//! per-architecture digest (in 2022 every architecture recorded the manifest list's
//! digest, which pulls whatever architecture the puller runs on).
//!
//! Not every container is built on every architecture: `base-oscontainer`,
//! `oscontainer` and `extensions-container` are expected on all of them (in September
//! 2022 a cosa bug wrote `base-oscontainer` on one only), while FCOS builds `kubevirt` on
//! some (cosa's `push-container-manifest` allows missing arches for it). [`Presence`]
//! holds that policy, which callers can override per key.

use serde::Serialize;

use crate::diagnostic::{quote, Code, Diagnostic, Diagnostics, Related};
use crate::document::{
    analyze, finish, top_level_string, Analysis, Options, ARCH_KEY, BUILD_ID_KEY,
};
use crate::entry::{Entry, ENTRY_KEYS};
use crate::json::{self, push_token, Span};
use crate::position::LineIndex;
use crate::suggest::did_you_mean;

/// One meta.json of the build.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArchDocument<'a> {
    /// The architecture, used when the document does not record its
    /// `coreos-assembler.basearch`.
    pub arch: Option<&'a str>,
    /// The file name or path the document was read from: messages name it, and the
    /// architecture is taken from it (`…/<arch>/meta.json`, `rhcos-<arch>.json`) when
    /// neither the document nor `arch` gives one.
    pub name: Option<&'a str>,
    /// The document, UTF-8 (bytes that are not give a `json-syntax` finding).
    pub input: &'a [u8],
}

/// Where an entry must be present across the architectures of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// On every architecture, once it is on one.
    All,
    /// On any subset of the architectures.
    Any,
    /// On these architectures, once it is on one; optional on the others.
    On(Vec<String>),
}

/// The presence rule for each entry key: by default `All`, and `Any` for `kubevirt`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PresencePolicy {
    overrides: Vec<(String, Presence)>,
}

impl PresencePolicy {
    /// The rule for `key`: an override, else the pipelines' default.
    pub fn rule(&self, key: &str) -> &Presence {
        match self.overrides.iter().rev().find(|(k, _)| k == key) {
            Some((_, presence)) => presence,
            None if key == "kubevirt" => &Presence::Any,
            None => &Presence::All,
        }
    }

    /// Overrides the rule for `key`; an error names a key that is not an entry key.
    pub fn set(&mut self, key: &str, presence: Presence) -> Result<(), String> {
        if !ENTRY_KEYS.contains(&key) {
            let suggestion = did_you_mean(key, &ENTRY_KEYS)
                .map_or_else(String::new, |s| format!("; did you mean \"{s}\"?"));
            return Err(format!(
                "{} is not an entry key (expected one of {}){suggestion}",
                quote(key),
                ENTRY_KEYS.join(", ")
            ));
        }
        self.overrides.push((key.to_owned(), presence));
        Ok(())
    }

    /// Reads the policy from JSON: an object of entry keys to `"all"`, `"any"` or an
    /// array of architectures (the JS option `presence` and the CLI's `--presence`).
    pub fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        let serde_json::Value::Object(rules) = value else {
            return Err("presence must be an object of entry keys to \"all\", \"any\" or a list of architectures".to_owned());
        };
        let mut policy = PresencePolicy::default();
        for (key, rule) in rules {
            let presence = match rule {
                serde_json::Value::String(s) if s == "all" => Presence::All,
                serde_json::Value::String(s) if s == "any" => Presence::Any,
                serde_json::Value::Array(items) => {
                    let arches: Option<Vec<String>> = items
                        .iter()
                        .map(|i| i.as_str().filter(|a| !a.is_empty()).map(str::to_owned))
                        .collect();
                    Presence::On(arches.ok_or_else(|| {
                        format!("presence.{key} must list architectures as non-empty strings")
                    })?)
                }
                other => {
                    return Err(format!(
                        "presence.{key} must be \"all\", \"any\" or a list of architectures, not {other}"
                    ))
                }
            };
            policy
                .set(key, presence)
                .map_err(|e| format!("presence: {e}"))?;
        }
        Ok(policy)
    }
}

/// A finding about one of the documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchDiagnostic {
    /// The finding, located in that document.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    /// The document's architecture, when known.
    pub arch: Option<String>,
    /// The document's file name or path, when the caller gave one.
    pub name: Option<String>,
    /// The document's index in the input.
    pub document: usize,
}

/// The result of comparing the documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchReport {
    /// True when no finding is an error.
    pub valid: bool,
    /// Each document's architecture, in input order.
    pub arches: Vec<Option<String>>,
    /// Each document's build id, in input order.
    pub build_ids: Vec<Option<String>>,
    /// Findings, by document and then position.
    pub diagnostics: Vec<ArchDiagnostic>,
}

/// One document of a comparison.
pub(crate) struct Doc<'a> {
    input: &'a [u8],
    arch: Option<String>,
    arch_from_document: bool,
    /// The file name the caller gave.
    file: Option<String>,
    /// Its place in the input, for a document with neither architecture nor file name.
    index: usize,
    analysis: Analysis<'a>,
    diags: Diagnostics,
}

impl<'a> Doc<'a> {
    /// The document's analysis, when its bytes were text (else it was analysed as no text
    /// at all, and its one finding is the bad byte).
    pub(crate) fn text_analysis(&self) -> Option<&Analysis<'a>> {
        json::decode(self.input).is_ok().then_some(&self.analysis)
    }

    /// How messages name the document: its architecture, else its file, else its place.
    fn name(&self) -> String {
        match (&self.arch, &self.file) {
            (Some(arch), _) => arch.clone(),
            (None, Some(file)) => file.clone(),
            (None, None) => format!("input {}", self.index + 1),
        }
    }

    /// How messages name the file: its name, else its place in the input.
    fn file_name(&self) -> String {
        match &self.file {
            Some(file) => file.clone(),
            None => format!("input {}", self.index + 1),
        }
    }

    fn entry(&self, key: &str) -> Option<&Entry> {
        self.analysis
            .checked
            .entries
            .iter()
            .find(|e| e.key.as_deref() == Some(key) && is_top_level(e))
    }

    /// The value at `pointer`, else the first character of the nearest existing parent
    /// (what is missing has no text of its own).
    fn span(&self, pointer: &str) -> Span {
        let Some(root) = self.analysis.root() else {
            return Span::new(0, 0);
        };
        let text = self.analysis.text.as_bytes();
        let mut at = pointer;
        loop {
            match root.locate(at) {
                Some((node, _)) if at == pointer => return node.span,
                Some((node, _)) => return json::char_span(text, node.span.start),
                None => {}
            }
            match at.rsplit_once('/') {
                Some((parent, _)) => at = parent,
                None => return json::char_span(text, root.span.start),
            }
        }
    }

    fn push(&mut self, code: Code, pointer: &str, message: String) -> &mut Diagnostic {
        let span = self.span(pointer);
        self.diags.push_span(code, pointer, span, message)
    }

    /// The value at `pointer` in this document, as a related place of a finding about
    /// another document.
    fn place(&self, pointer: &str, message: String) -> Related {
        let span = self.span(pointer);
        let text = self.analysis.text.as_bytes();
        let (line, column, end_line, end_column) =
            LineIndex::up_to(text, span.end).range(text, span.start, span.end);
        Related {
            message,
            pointer: pointer.to_owned(),
            line,
            column,
            end_line,
            end_column,
            document: Some(self.index),
            arch: self.arch.clone(),
            name: self.file.clone(),
            offset: span.start,
            end: span.end,
        }
    }
}

/// Compares the meta.json files of one build across architectures, with the pipelines'
/// presence rules (see [`PresencePolicy`]).
pub fn compare_arches(documents: &[ArchDocument<'_>], options: &Options<'_>) -> ArchReport {
    compare_arches_with(documents, options, &PresencePolicy::default())
}

/// Compares the meta.json files of one build across architectures, with `policy` saying
/// which entries must be on which architectures.
pub fn compare_arches_with(
    documents: &[ArchDocument<'_>],
    options: &Options<'_>,
    policy: &PresencePolicy,
) -> ArchReport {
    compare_opened(open_documents(documents, options), options, policy)
}

/// The documents of a comparison, each scanned and checked once: `check_build` (a layer
/// above) takes their reports and release views from the same analyses before comparing
/// them.
pub(crate) fn open_documents<'a>(
    documents: &[ArchDocument<'a>],
    options: &Options<'_>,
) -> Vec<Doc<'a>> {
    documents
        .iter()
        .enumerate()
        .map(|(index, d)| {
            let mut diags = Diagnostics::new(options.profile);
            // Bytes that are not UTF-8 are analysed as no text at all (nothing to compare)
            // and report the bad byte instead.
            let analysis = match json::decode(d.input) {
                Ok(text) => analyze(text, options),
                Err(error) => {
                    diags.push_span(Code::JsonSyntax, "", error.span(d.input), error.message);
                    analyze("", options)
                }
            };
            if diags.items().is_empty() {
                for found in analysis.diagnostics.items() {
                    if matches!(
                        found.code,
                        Code::JsonSyntax | Code::NestingTooDeep | Code::NotAnObject
                    ) {
                        diags.push_copy(found);
                    }
                }
            }
            let recorded = analysis
                .root()
                .and_then(|r| top_level_string(r, ARCH_KEY))
                .filter(|a| !a.is_empty());
            let given = d.arch.filter(|a| !a.is_empty()).map(str::to_owned);
            Doc {
                input: d.input,
                arch_from_document: recorded.is_some(),
                arch: recorded
                    .or(given)
                    .or_else(|| d.name.and_then(arch_from_file_name).map(str::to_owned)),
                file: d.name.map(str::to_owned),
                index,
                analysis,
                diags,
            }
        })
        .collect()
}

/// Compares documents opened by [`open_documents`].
pub(crate) fn compare_opened(
    mut docs: Vec<Doc<'_>>,
    options: &Options<'_>,
    policy: &PresencePolicy,
) -> ArchReport {
    check_arches(&mut docs);
    check_builds(&mut docs);
    check_entries(&mut docs, policy);

    let arches = docs.iter().map(|d| d.arch.clone()).collect();
    let build_ids = docs.iter().map(|d| d.analysis.build_id.clone()).collect();
    let mut diagnostics = Vec::new();
    for (index, mut doc) in docs.into_iter().enumerate() {
        let lines = doc.analysis.take_line_index();
        let report = finish(doc.input, doc.diags, Vec::new(), options.profile, lines);
        diagnostics.extend(
            report
                .diagnostics
                .into_iter()
                .map(|diagnostic| ArchDiagnostic {
                    diagnostic,
                    arch: doc.arch.clone(),
                    name: doc.file.clone(),
                    document: index,
                }),
        );
    }
    let valid = !diagnostics
        .iter()
        .any(|d| d.diagnostic.severity == crate::Severity::Error);
    ArchReport {
        valid,
        arches,
        build_ids,
        diagnostics,
    }
}

fn check_arches(docs: &mut [Doc<'_>]) {
    for i in 0..docs.len() {
        let arch_pointer = if docs[i].arch_from_document {
            let mut p = String::new();
            push_token(&mut p, ARCH_KEY);
            p
        } else {
            String::new()
        };
        let Some(arch) = docs[i].arch.clone() else {
            let message = match &docs[i].file {
                Some(file) => format!(
                    "no architecture is known for {file}: it records no \"{ARCH_KEY}\", none was given, and its name does not say"
                ),
                None => format!(
                    "no architecture is known for {}: it records no \"{ARCH_KEY}\" and none was given",
                    docs[i].name()
                ),
            };
            docs[i].push(Code::ArchUnknown, "", message);
            continue;
        };
        if let Some(first) = docs[..i]
            .iter()
            .position(|d| d.arch.as_deref() == Some(arch.as_str()))
        {
            let message = format!(
                "{} and {} are both for {arch}; a build has exactly one meta.json per architecture",
                docs[first].file_name(),
                docs[i].file_name()
            );
            let other = docs[first].place(&arch_pointer, format!("the other document for {arch}"));
            docs[i]
                .push(Code::ArchDuplicate, &arch_pointer, message)
                .related
                .push(other);
        }
    }
}

/// The architecture a file name gives: the directory of `…/<arch>/meta.json` (cosa's
/// builds layout), else an architecture named in the file name (`rhcos-<arch>.json`,
/// the installer's Go names `amd64` and `arm64` included). `None` when it names none,
/// or several.
pub fn arch_from_file_name(name: &str) -> Option<&'static str> {
    const ARCHES: [(&str, &str); 7] = [
        ("x86_64", "x86_64"),
        ("aarch64", "aarch64"),
        ("s390x", "s390x"),
        ("ppc64le", "ppc64le"),
        ("riscv64", "riscv64"),
        ("amd64", "x86_64"),
        ("arm64", "aarch64"),
    ];
    let known = |word: &str| ARCHES.iter().find(|(n, _)| *n == word).map(|(_, a)| *a);
    let mut parts = name.rsplit(['/', '\\']);
    let file = parts.next().unwrap_or_default();
    if let Some(arch) = parts.next().and_then(known) {
        return Some(arch);
    }
    // Whole words of the file name: an architecture between separators.
    let mut found: Option<&'static str> = None;
    for (word, arch) in ARCHES {
        let named = file.match_indices(word).any(|(at, _)| {
            let before = file[..at].chars().next_back();
            let after = file[at + word.len()..].chars().next();
            let apart = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
            apart(before) && apart(after)
        });
        if named {
            match found {
                Some(other) if other != arch => return None,
                _ => found = Some(arch),
            }
        }
    }
    found
}

fn check_builds(docs: &mut [Doc<'_>]) {
    let Some(reference) = docs.iter().position(|d| d.analysis.build_id.is_some()) else {
        return;
    };
    let expected = docs[reference]
        .analysis
        .build_id
        .clone()
        .unwrap_or_default();
    let reference_name = docs[reference].name();
    let mut pointer = String::new();
    push_token(&mut pointer, BUILD_ID_KEY);
    let reference_place =
        docs[reference].place(&pointer, format!("build {expected} on {reference_name}"));
    for doc in docs.iter_mut().skip(reference + 1) {
        match doc.analysis.build_id.clone() {
            Some(id) if id != expected => {
                let message = format!(
                    "build {id} on {} differs from build {expected} on {reference_name}; these documents are not one build",
                    doc.name()
                );
                doc.push(Code::ArchBuildMismatch, &pointer, message)
                    .related
                    .push(reference_place.clone());
            }
            _ => {}
        }
    }
}

/// Whether `entry` is a top-level entry (`/kubevirt`), not one of its additional images.
fn is_top_level(entry: &Entry) -> bool {
    json::pointer_tokens(&entry.pointer).count() == 1
}

/// The top-level entry keys in order of first appearance across the documents.
fn entry_keys(docs: &[Doc<'_>]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for doc in docs {
        for entry in &doc.analysis.checked.entries {
            if let Some(key) = &entry.key {
                if is_top_level(entry) && !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
    }
    keys
}

fn check_entries(docs: &mut [Doc<'_>], policy: &PresencePolicy) {
    for key in entry_keys(docs) {
        let mut entry_pointer = String::new();
        push_token(&mut entry_pointer, &key);
        let snapshot: Vec<Option<Entry>> = docs.iter().map(|d| d.entry(&key).cloned()).collect();
        let Some((first, Some(first_entry))) =
            snapshot.iter().enumerate().find(|(_, e)| e.is_some())
        else {
            continue;
        };
        let first_entry = first_entry.clone();
        let first_name = docs[first].name();
        let first_place = |field: &str| {
            let pointer = format!("{entry_pointer}/{field}");
            docs[first].place(&pointer, format!("{key} {field} on {first_name}"))
        };
        let first_places = [
            first_place("image"),
            first_place("tags"),
            first_place("manifest-list-digest"),
        ];
        check_presence(
            docs,
            &key,
            &entry_pointer,
            &snapshot,
            first,
            policy.rule(&key),
        );
        for (i, doc) in docs.iter_mut().enumerate() {
            let Some(entry) = &snapshot[i] else {
                continue;
            };
            if i == first {
                continue;
            }
            let repo = |e: &Entry| e.repository.clone().or_else(|| e.image.clone());
            if repo(entry) != repo(&first_entry) {
                let message = format!(
                    "{key} image {} on {} differs from {} on {first_name}",
                    show(&repo(entry)),
                    doc.name(),
                    show(&repo(&first_entry))
                );
                doc.push(
                    Code::ArchImageMismatch,
                    &format!("{entry_pointer}/image"),
                    message,
                )
                .related
                .push(first_places[0].clone());
            }
            if sorted(&entry.tags) != sorted(&first_entry.tags) {
                let message = format!(
                    "{key} tags {} on {} differ from {} on {first_name}",
                    show_tags(&entry.tags),
                    doc.name(),
                    show_tags(&first_entry.tags)
                );
                doc.push(
                    Code::ArchTagsMismatch,
                    &format!("{entry_pointer}/tags"),
                    message,
                )
                .related
                .push(first_places[1].clone());
            }
            if entry.manifest_list_digest != first_entry.manifest_list_digest {
                let message = format!(
                    "{key} manifest-list-digest {} on {} differs from {} on {first_name}; all architectures share one manifest list",
                    show(&entry.manifest_list_digest),
                    doc.name(),
                    show(&first_entry.manifest_list_digest)
                );
                doc.push(
                    Code::ArchManifestListMismatch,
                    &format!("{entry_pointer}/manifest-list-digest"),
                    message,
                )
                .related
                .push(first_places[2].clone());
            }
        }
        check_shared_digests(docs, &key, &entry_pointer, &snapshot);
    }
}

/// Reports where `key` is missing although `presence` wants it, or (for an entry that
/// may be on a subset) one note of where it is.
fn check_presence(
    docs: &mut [Doc<'_>],
    key: &str,
    entry_pointer: &str,
    snapshot: &[Option<Entry>],
    first: usize,
    presence: &Presence,
) {
    // A document that did not parse is reported as such; it has no say here.
    let parsed: Vec<bool> = docs.iter().map(|d| d.analysis.parsed.is_some()).collect();
    let mut present: Vec<String> = Vec::new();
    let mut absent: Vec<String> = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let list = if snapshot[i].is_some() {
            &mut present
        } else if parsed[i] {
            &mut absent
        } else {
            continue;
        };
        let name = doc.name();
        if !list.contains(&name) {
            list.push(name);
        }
    }
    if absent.is_empty() {
        return;
    }
    let required = |doc: &Doc<'_>| match presence {
        Presence::All => true,
        Presence::Any => false,
        Presence::On(arches) => doc.arch.as_ref().is_some_and(|a| arches.contains(a)),
    };
    let mut optional_missing = false;
    let first_entry = docs[first].place(entry_pointer, format!("{key} on {}", docs[first].name()));
    for (i, doc) in docs.iter_mut().enumerate() {
        if snapshot[i].is_some() || !parsed[i] {
            continue;
        }
        if !required(doc) {
            optional_missing = true;
            continue;
        }
        let why = match presence {
            Presence::On(_) => format!("it is required on {}", doc.name()),
            Presence::All | Presence::Any => {
                "it is expected on every architecture of a build".to_owned()
            }
        };
        let message = format!(
            "{key} is missing on {}, but present on {}; {why}",
            doc.name(),
            present.join(", ")
        );
        doc.push(Code::ArchEntryMissing, entry_pointer, message)
            .related
            .push(first_entry.clone());
    }
    if optional_missing {
        let message = format!(
            "{key} is on {} only (not on {}); the pipelines build it on some architectures only",
            present.join(", "),
            absent.join(", ")
        );
        docs[first].push(Code::ArchEntrySubset, entry_pointer, message);
    }
}

fn check_shared_digests(
    docs: &mut [Doc<'_>],
    key: &str,
    entry_pointer: &str,
    snapshot: &[Option<Entry>],
) {
    for i in 0..docs.len() {
        let Some(digest) = snapshot[i].as_ref().and_then(|e| e.digest.clone()) else {
            continue;
        };
        let sharing: Vec<usize> = (0..docs.len())
            .filter(|&j| j != i && docs[j].arch != docs[i].arch)
            .filter(|&j| {
                snapshot[j].as_ref().and_then(|e| e.digest.as_deref()) == Some(digest.as_str())
            })
            .collect();
        if sharing.is_empty() {
            continue;
        }
        let mut others: Vec<String> = Vec::new();
        for &j in &sharing {
            let name = docs[j].name();
            if !others.contains(&name) {
                others.push(name);
            }
        }
        let field_of = |entry: Option<&Entry>| {
            if entry.is_some_and(|e| e.shape == crate::Shape::Embedded) {
                "image"
            } else {
                "digest"
            }
        };
        let field = field_of(snapshot[i].as_ref());
        let places: Vec<Related> = sharing
            .iter()
            .map(|&j| {
                let other = format!("{entry_pointer}/{}", field_of(snapshot[j].as_ref()));
                docs[j].place(&other, format!("the same digest on {}", docs[j].name()))
            })
            .collect();
        let message = format!(
            "{key} on {} has the same digest as on {}; that is the manifest list's digest, not this architecture's own",
            docs[i].name(),
            others.join(", ")
        );
        docs[i]
            .push(
                Code::ArchDigestShared,
                &format!("{entry_pointer}/{field}"),
                message,
            )
            .related
            .extend(places);
    }
}

fn sorted(tags: &Option<Vec<String>>) -> Vec<String> {
    let mut list = tags.clone().unwrap_or_default();
    list.sort();
    list
}

fn show(value: &Option<String>) -> String {
    value
        .as_deref()
        .map_or_else(|| "(none)".to_owned(), crate::diagnostic::quote)
}

fn show_tags(tags: &Option<Vec<String>>) -> String {
    match tags {
        None => "(none)".to_owned(),
        Some(list) => format!("[{}]", list.join(", ")),
    }
}
