//! Cross-architecture checks: the meta.json files of one build, one per architecture,
//! must agree on the repository, tags and manifest list, and must *not* share the
//! per-architecture digest (in 2022 every architecture recorded the manifest list's
//! digest, which pulls whatever architecture the puller runs on).

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::document::{
    analyze, finish, top_level_string, Analysis, Options, ARCH_KEY, BUILD_ID_KEY,
};
use crate::entry::Entry;
use crate::json::{self, push_token};

/// One meta.json of the build.
#[derive(Debug, Clone, Copy)]
pub struct ArchDocument<'a> {
    /// The architecture; defaults to the document's `coreos-assembler.basearch`.
    pub arch: Option<&'a str>,
    /// The document, UTF-8 (bytes that are not give a `json-syntax` finding).
    pub input: &'a [u8],
}

/// A finding about one of the documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchDiagnostic {
    /// The finding, located in that document.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    /// The document's architecture, when known.
    pub arch: Option<String>,
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

struct Doc<'a> {
    input: &'a [u8],
    arch: Option<String>,
    arch_from_document: bool,
    analysis: Analysis<'a>,
    diags: Diagnostics,
}

impl Doc<'_> {
    fn name(&self) -> &str {
        self.arch.as_deref().unwrap_or("an unknown architecture")
    }

    fn entry(&self, key: &str) -> Option<&Entry> {
        self.analysis
            .checked
            .entries
            .iter()
            .find(|e| e.key.as_deref() == Some(key) && e.pointer.matches('/').count() == 1)
    }

    /// Offset of the value at `pointer`, else of the nearest existing parent.
    fn offset(&self, pointer: &str) -> usize {
        let Some(root) = self.analysis.root() else {
            return 0;
        };
        let mut at = pointer;
        loop {
            if let Some((node, _)) = root.locate(at) {
                return node.span.start;
            }
            match at.rsplit_once('/') {
                Some((parent, _)) => at = parent,
                None => return root.span.start,
            }
        }
    }

    fn push(&mut self, code: Code, pointer: &str, message: String) {
        let offset = self.offset(pointer);
        self.diags.push(code, pointer, offset, message);
    }
}

/// Compares the meta.json files of one build across architectures.
pub fn compare_arches(documents: &[ArchDocument<'_>], options: &Options<'_>) -> ArchReport {
    let mut docs: Vec<Doc<'_>> = documents
        .iter()
        .map(|d| {
            let mut diags = Diagnostics::new(options.profile);
            // Bytes that are not UTF-8 are analysed as no text at all (nothing to compare)
            // and report the bad byte instead.
            let analysis = match json::decode(d.input) {
                Ok(text) => analyze(text, options),
                Err(error) => {
                    diags.push(Code::JsonSyntax, "", error.offset, error.message);
                    analyze("", options)
                }
            };
            if diags.items().is_empty() {
                for found in analysis.diagnostics.items() {
                    if matches!(
                        found.code,
                        Code::JsonSyntax | Code::NestingTooDeep | Code::NotAnObject
                    ) {
                        diags.push(
                            found.code,
                            &found.pointer,
                            found.offset,
                            found.message.clone(),
                        );
                    }
                }
            }
            let recorded = analysis.root().and_then(|r| top_level_string(r, ARCH_KEY));
            Doc {
                input: d.input,
                arch: d.arch.map(str::to_owned).or(recorded),
                arch_from_document: d.arch.is_none(),
                analysis,
                diags,
            }
        })
        .collect();

    check_arches(&mut docs);
    check_builds(&mut docs);
    check_entries(&mut docs);

    let arches = docs.iter().map(|d| d.arch.clone()).collect();
    let build_ids = docs.iter().map(|d| d.analysis.build_id.clone()).collect();
    let mut diagnostics = Vec::new();
    for (index, doc) in docs.into_iter().enumerate() {
        let report = finish(
            doc.input,
            doc.diags,
            Vec::new(),
            options.profile,
            doc.analysis.line_index(),
        );
        diagnostics.extend(
            report
                .diagnostics
                .into_iter()
                .map(|diagnostic| ArchDiagnostic {
                    diagnostic,
                    arch: doc.arch.clone(),
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
            docs[i].push(
                Code::ArchUnknown,
                "",
                format!("document {i} names no architecture (no \"{ARCH_KEY}\" and none given)"),
            );
            continue;
        };
        if let Some(first) = docs[..i]
            .iter()
            .position(|d| d.arch.as_deref() == Some(arch.as_str()))
        {
            docs[i].push(
                Code::ArchDuplicate,
                &arch_pointer,
                format!("documents {first} and {i} are both for {arch}; each architecture needs exactly one"),
            );
        }
    }
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
    let reference_name = docs[reference].name().to_owned();
    let mut pointer = String::new();
    push_token(&mut pointer, BUILD_ID_KEY);
    for doc in docs.iter_mut().skip(reference + 1) {
        match doc.analysis.build_id.clone() {
            Some(id) if id != expected => {
                let message = format!(
                    "build {id} on {} differs from build {expected} on {reference_name}; these documents are not one build",
                    doc.name()
                );
                doc.push(Code::ArchBuildMismatch, &pointer, message);
            }
            _ => {}
        }
    }
}

/// The top-level entry keys in order of first appearance across the documents.
fn entry_keys(docs: &[Doc<'_>]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for doc in docs {
        for entry in &doc.analysis.checked.entries {
            if let Some(key) = &entry.key {
                if entry.pointer.matches('/').count() == 1 && !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
    }
    keys
}

fn check_entries(docs: &mut [Doc<'_>]) {
    let parsed: Vec<bool> = docs.iter().map(|d| d.analysis.parsed.is_some()).collect();
    for key in entry_keys(docs) {
        let mut entry_pointer = String::new();
        push_token(&mut entry_pointer, &key);
        let present: Vec<String> = docs
            .iter()
            .filter(|d| d.entry(&key).is_some())
            .map(|d| d.name().to_owned())
            .collect();
        let snapshot: Vec<Option<Entry>> = docs.iter().map(|d| d.entry(&key).cloned()).collect();
        let Some((first, Some(first_entry))) =
            snapshot.iter().enumerate().find(|(_, e)| e.is_some())
        else {
            continue;
        };
        let first_entry = first_entry.clone();
        let first_name = docs[first].name().to_owned();
        for (i, doc) in docs.iter_mut().enumerate() {
            let Some(entry) = &snapshot[i] else {
                if parsed[i] {
                    let message = format!(
                        "{key} is missing on {}, but present on {}",
                        doc.name(),
                        present.join(", ")
                    );
                    doc.push(Code::ArchEntryMissing, &entry_pointer, message);
                }
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
                );
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
                );
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
                );
            }
        }
        check_shared_digests(docs, &key, &entry_pointer, &snapshot);
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
        let others: Vec<String> = sharing.iter().map(|&j| docs[j].name().to_owned()).collect();
        let field = if snapshot[i]
            .as_ref()
            .is_some_and(|e| e.shape == crate::Shape::Embedded)
        {
            "image"
        } else {
            "digest"
        };
        let message = format!(
            "{key} on {} has the same digest as on {}; that is the manifest list's digest, not this architecture's own",
            docs[i].name(),
            others.join(", ")
        );
        docs[i].push(
            Code::ArchDigestShared,
            &format!("{entry_pointer}/{field}"),
            message,
        );
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
