//! Whole builds: the meta.json files of one build (one per architecture) checked in one
//! call, and a published `release.json` checked against them.
//!
//! A release engineer looks at a build, not at one file: each architecture's report (as
//! [`crate::validate_bytes`] gives it), the cross-architecture rules
//! ([`crate::compare_arches_with`]), and what cosa's `generate-release-meta` would write
//! from the build ([`crate::release_view_bytes`] per architecture). [`check_build`] puts
//! them in one [`BuildReport`] with a matrix of entry × architecture for a table or a page.
//!
//! [`check_release`] (in `release_json.rs`) then compares a stream's `release.json` with
//! that build: its `architectures.<arch>.oci-image` and `media.kubevirt.image` pairs must
//! be what the meta.json files give, every architecture on one side must be on the other,
//! and `release` must be the build id. Its findings are located in the release.json text
//! and point at the meta.json value each pair comes from.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::arches::{compare_opened, open_documents, ArchDiagnostic, ArchDocument, PresencePolicy};
use crate::diagnostic::Severity;
use crate::document::{validate_bytes, Options, Report};
use crate::entry::{Shape, ENTRY_KEYS};
use crate::json::push_token;
use crate::readiness::Readiness;
use crate::release::{release_view_bytes, release_view_of, ReleaseMetadata, ReleaseView};

mod release_json;

pub use self::release_json::{check_release, ReleaseCheck, ReleaseFindings};

/// A JSON object whose keys keep the order they were added in (architectures in input
/// order, entry keys in the order of [`ENTRY_KEYS`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed<V>(pub Vec<(String, V)>);

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Keyed(Vec::new())
    }
}

impl<V> Keyed<V> {
    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

impl<V: Serialize> Serialize for Keyed<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// One architecture's meta.json of the build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildArch {
    /// The architecture (recorded, given, or taken from the file name), when known.
    pub arch: Option<String>,
    /// The file name the caller gave.
    pub name: Option<String>,
    /// The document's report, as `validate` gives it.
    pub report: Report,
    /// What cosa's `generate-release-meta` would write from it.
    pub release: ReleaseView,
}

/// One cell of the matrix: an entry on one architecture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryState {
    /// How the entry is written.
    pub shape: Shape,
    /// The worst severity among the findings about the entry (its report, its release
    /// view, the cross-architecture rules); `None` when there is none.
    pub severity: Option<Severity>,
    /// The entry's readiness for each consumer.
    pub readiness: Readiness,
}

/// `media.kubevirt` of one architecture in release metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KubevirtMedia {
    /// The pair made from `kubevirt`.
    pub image: ReleaseMetadata,
}

/// `media` of one architecture in release metadata (only what comes from container
/// entries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseMedia {
    /// Made from `kubevirt`.
    pub kubevirt: KubevirtMedia,
}

/// One architecture of the release metadata cosa would write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchRelease {
    /// Made from `base-oscontainer`.
    #[serde(rename = "oci-image", skip_serializing_if = "Option::is_none")]
    pub oci_image: Option<ReleaseMetadata>,
    /// Made from `kubevirt`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<ReleaseMedia>,
}

/// The container part of the build's release metadata, laid out as release.json lays it
/// out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct BuildRelease {
    /// By architecture: only those for which cosa writes a right pair.
    pub architectures: Keyed<ArchRelease>,
}

/// The report on one build. A finding about a document as a whole is where each part
/// puts it: in the document's report, again in its release view (which repeats
/// `json-syntax`, `duplicate-key`, …), and for `json-syntax`, `nesting-too-deep` and
/// `not-an-object` in the cross-arch findings too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildReport {
    /// True when no finding anywhere (a document, a release view, the cross-arch rules)
    /// is an error.
    pub valid: bool,
    /// The build id given, else the first one a document records.
    pub build_id: Option<String>,
    /// One per document, in input order.
    pub arches: Vec<BuildArch>,
    /// Entry key → column → the entry there, or `None` where it is absent. Keys are those
    /// present on some architecture; a column is the architecture, else the file name,
    /// else `input <n>`.
    pub entries: Keyed<Keyed<Option<EntryState>>>,
    /// The cross-architecture findings.
    pub diagnostics: Vec<ArchDiagnostic>,
    /// What cosa's `generate-release-meta` would write for the containers.
    pub release_metadata: BuildRelease,
}

/// Checks the meta.json files of one build: each document, across architectures (with
/// `policy`), and what release metadata cosa would write from them.
pub fn check_build(
    documents: &[ArchDocument<'_>],
    options: &Options<'_>,
    policy: &PresencePolicy,
) -> BuildReport {
    // Each document is scanned and checked once, for its report, its release view and the
    // comparison (three times as fast as calling the three; make bench, "builds").
    let opened = open_documents(documents, options);
    let views: Vec<(Report, ReleaseView)> = opened
        .iter()
        .zip(documents)
        .map(|(doc, d)| match doc.text_analysis() {
            Some(analysis) => (
                analysis.report(options.profile),
                release_view_of(analysis, options, analysis.line_index()),
            ),
            None => (
                validate_bytes(d.input, options),
                release_view_bytes(d.input, options),
            ),
        })
        .collect();
    let cross = compare_opened(opened, options, policy);
    let arches: Vec<BuildArch> = views
        .into_iter()
        .zip(documents)
        .enumerate()
        .map(|(i, ((report, release), d))| BuildArch {
            arch: cross.arches.get(i).cloned().flatten(),
            name: d.name.map(str::to_owned),
            report,
            release,
        })
        .collect();
    let build_id = options
        .build_id
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .or_else(|| cross.build_ids.iter().flatten().next().cloned());
    let entries = matrix(&arches, &cross.diagnostics);
    let release_metadata = build_release(&arches);
    let valid = cross.valid && arches.iter().all(|a| a.report.valid && a.release.valid);
    BuildReport {
        valid,
        build_id,
        arches,
        entries,
        diagnostics: cross.diagnostics,
        release_metadata,
    }
}

/// The column names of the matrix: each document's architecture, else its file name,
/// else its place; a name already taken (two documents for one architecture) falls back
/// to the next.
fn columns(arches: &[BuildArch]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(arches.len());
    for (i, a) in arches.iter().enumerate() {
        let candidates = [a.arch.clone(), a.name.clone()];
        let name = candidates
            .into_iter()
            .flatten()
            .find(|n| !names.contains(n))
            .unwrap_or_else(|| format!("input {}", i + 1));
        names.push(name);
    }
    names
}

/// Whether a finding at `pointer` is about the entry at `entry` (it or inside it).
fn under(pointer: &str, entry: &str) -> bool {
    pointer
        .strip_prefix(entry)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn matrix(arches: &[BuildArch], cross: &[ArchDiagnostic]) -> Keyed<Keyed<Option<EntryState>>> {
    let columns = columns(arches);
    let mut rows = Keyed::default();
    for key in ENTRY_KEYS {
        let mut pointer = String::new();
        push_token(&mut pointer, key);
        let mut row: Keyed<Option<EntryState>> = Keyed::default();
        for (i, (arch, column)) in arches.iter().zip(&columns).enumerate() {
            let state = arch
                .report
                .entries
                .iter()
                .find(|e| e.pointer == pointer)
                .map(|entry| {
                    let own = arch.report.diagnostics.iter();
                    let released = arch.release.diagnostics.iter();
                    let compared = cross
                        .iter()
                        .filter(|d| d.document == i)
                        .map(|d| &d.diagnostic);
                    let severity = own
                        .chain(released)
                        .chain(compared)
                        .filter(|d| under(&d.pointer, &pointer))
                        .map(|d| d.severity)
                        .min();
                    EntryState {
                        shape: entry.shape,
                        severity,
                        readiness: entry.readiness.clone(),
                    }
                });
            row.0.push((column.clone(), state));
        }
        if row.0.iter().any(|(_, s)| s.is_some()) {
            rows.0.push((key.to_owned(), row));
        }
    }
    rows
}

/// The pair cosa writes today for the top-level `key` of a release view, when right.
fn released_pair(view: &ReleaseView, key: &str) -> Option<ReleaseMetadata> {
    let mut pointer = String::new();
    push_token(&mut pointer, key);
    view.entries
        .iter()
        .find(|e| e.pointer == pointer)
        .and_then(|e| e.release_metadata.clone())
}

fn build_release(arches: &[BuildArch]) -> BuildRelease {
    let mut release = BuildRelease::default();
    for a in arches {
        let Some(arch) = &a.arch else {
            continue;
        };
        if release.architectures.get(arch).is_some() {
            continue; // a second document for the architecture: arch-duplicate says so
        }
        let oci_image = released_pair(&a.release, "base-oscontainer");
        let media = released_pair(&a.release, "kubevirt").map(|image| ReleaseMedia {
            kubevirt: KubevirtMedia { image },
        });
        if oci_image.is_some() || media.is_some() {
            release
                .architectures
                .0
                .push((arch.clone(), ArchRelease { oci_image, media }));
        }
    }
    release
}
