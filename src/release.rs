//! What the release tooling downstream of a build needs from its entries.
//!
//! cosa's `generate-release-meta` turns `base-oscontainer` and `kubevirt` into
//! `{"image": "<repo>:<floating tag>", "digest-ref": "<repo>@<digest>"}`, where the
//! floating tag is the single tag that does not contain the build id; `sign` signs every
//! `<repo>:<tag>` with the digest; prune reads the tags. This module answers, before
//! those jobs run, whether they will get what they need.

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::document::{analyze, finish, Options};
use crate::entry::Entry;

/// One downstream operation: possible or not, and why not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ready {
    /// Whether the operation gets what it needs.
    pub ok: bool,
    /// Why not, when it does not.
    pub reason: Option<String>,
}

impl Ready {
    pub(crate) fn yes() -> Self {
        Ready {
            ok: true,
            reason: None,
        }
    }

    pub(crate) fn no(reason: impl Into<String>) -> Self {
        Ready {
            ok: false,
            reason: Some(reason.into()),
        }
    }
}

/// Which downstream operations an entry supports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    /// `podman pull <repo>@<digest>`: needs a valid image and digest that agree.
    pub pull_by_digest: Ready,
    /// cosa's release metadata: digest plus exactly one floating tag.
    pub release_metadata: Ready,
    /// cosa's `sign`: digest plus at least one tag.
    pub signing: Ready,
    /// Pruning old builds: the pushed tags are known.
    pub garbage_collection: Ready,
}

/// Tags split by whether they name the build.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagSplit {
    /// Tags that do not contain the build id (`stable`, `4.13`, …).
    pub floating: Vec<String>,
    /// Tags that contain it (`36.20221014.3.0`, `4.13-x86_64-36.2022…`).
    pub build: Vec<String>,
}

/// Splits `tags` into floating and build tags.
pub fn split_tags(tags: &[String], build_id: &str) -> TagSplit {
    let mut split = TagSplit::default();
    for tag in tags {
        if !build_id.is_empty() && tag.contains(build_id) {
            split.build.push(tag.clone());
        } else {
            split.floating.push(tag.clone());
        }
    }
    split
}

/// The readiness of one entry, from what validation learnt about it.
pub fn readiness(entry: &Entry, build_id: Option<&str>) -> Readiness {
    let tags = entry.tags.as_deref().unwrap_or_default();
    let pull_by_digest = match (&entry.pull_spec, &entry.digest) {
        (Some(_), _) => Ready::yes(),
        (None, None) => Ready::no("no digest"),
        (None, Some(_)) => Ready::no("no valid image and digest that agree"),
    };
    let signing = if !pull_by_digest.ok {
        Ready::no(format!(
            "cannot sign without a pull spec: {}",
            reason_of(&pull_by_digest)
        ))
    } else if tags.is_empty() {
        Ready::no("no tags to sign")
    } else {
        Ready::yes()
    };
    let release_metadata = if !pull_by_digest.ok {
        Ready::no(reason_of(&pull_by_digest))
    } else {
        match build_id {
            None => Ready::no("no build id known to tell floating tags from build tags"),
            Some(id) => match split_tags(tags, id).floating.len() {
                1 => Ready::yes(),
                0 => Ready::no(
                    "no floating tag (every tag contains the build id, or there are none)",
                ),
                n => Ready::no(format!("{n} floating tags; exactly one is needed")),
            },
        }
    };
    let garbage_collection = if tags.is_empty() {
        Ready::no("the pushed tags are not recorded")
    } else {
        Ready::yes()
    };
    Readiness {
        pull_by_digest,
        release_metadata,
        signing,
        garbage_collection,
    }
}

fn reason_of(ready: &Ready) -> String {
    ready.reason.clone().unwrap_or_default()
}

/// One entry as release metadata would reference it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseEntry {
    /// Pointer to the entry.
    pub pointer: String,
    /// The top-level key (`base-oscontainer`, …); `None` for a bare entry.
    pub key: Option<String>,
    /// `<repo>:<floating tag>`, when there is exactly one floating tag.
    pub image: Option<String>,
    /// `<repo>@<digest>`, when both are known and agree.
    pub digest_ref: Option<String>,
    /// The floating tag, when there is exactly one.
    pub floating_tag: Option<String>,
    /// The tags that contain the build id.
    pub build_tags: Vec<String>,
}

impl ReleaseEntry {
    /// The `{"image", "digest-ref"}` object of cosa's release metadata, or `None` when
    /// either part is missing.
    pub fn release_metadata(&self) -> Option<ReleaseMetadata> {
        Some(ReleaseMetadata {
            image: self.image.clone()?,
            digest_ref: self.digest_ref.clone()?,
        })
    }
}

/// The pair release and stream metadata use for a container (`oci-image`, kubevirt),
/// serialised with their key names and order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseMetadata {
    /// `<repo>:<floating tag>`.
    pub image: String,
    /// `<repo>@<digest>`.
    #[serde(rename = "digest-ref")]
    pub digest_ref: String,
}

/// The release view of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseView {
    /// The build id used.
    pub build_id: Option<String>,
    /// One per top-level entry, in document order.
    pub entries: Vec<ReleaseEntry>,
    /// Why release metadata cannot be made (plus document-level problems).
    pub diagnostics: Vec<Diagnostic>,
    /// True when release metadata can be made for every entry.
    pub valid: bool,
}

/// Builds the release view of UTF-8 bytes (bytes that are not give a `json-syntax`
/// finding and no entries).
pub fn release_view_bytes(input: &[u8], options: &Options<'_>) -> ReleaseView {
    match crate::json::decode(input) {
        Ok(text) => release_view(text, options),
        Err(error) => {
            let mut diags = Diagnostics::new(options.profile);
            diags.push(Code::JsonSyntax, "", error.offset, error.message);
            let report = finish(input, diags, Vec::new(), options.profile, None);
            ReleaseView {
                build_id: options
                    .build_id
                    .filter(|id| !id.is_empty())
                    .map(str::to_owned),
                entries: Vec::new(),
                diagnostics: report.diagnostics,
                valid: false,
            }
        }
    }
}

/// Builds the release view of `text`.
pub fn release_view(text: &str, options: &Options<'_>) -> ReleaseView {
    let analysis = analyze(text, options);
    let build_id = analysis.build_id.clone();
    let mut diags = Diagnostics::new(options.profile);
    for d in analysis.diagnostics.items() {
        if matches!(
            d.code,
            Code::JsonSyntax | Code::NestingTooDeep | Code::NotAnObject | Code::NoEntries
        ) {
            diags.push(d.code, &d.pointer, d.offset, d.message.clone());
        }
    }
    let root_offset = analysis.root().map_or(0, |r| r.span.start);
    let top_level: Vec<&Entry> = analysis
        .checked
        .entries
        .iter()
        .filter(|e| !e.pointer.contains("/additional-images/"))
        .collect();
    if build_id.is_none() && !top_level.is_empty() {
        diags
            .push(
                Code::BuildIdMissing,
                "",
                root_offset,
                "no build id is known (no \"buildid\" in the document and none given), so cosa's release-metadata step cannot tell the floating tag from build tags".to_owned(),
            )
            .hint("pass the build id, or validate the whole meta.json");
    }
    let mut entries = Vec::new();
    for entry in top_level {
        let tags = entry.tags.clone().unwrap_or_default();
        let split = build_id
            .as_deref()
            .map(|id| split_tags(&tags, id))
            .unwrap_or_default();
        let tags_pointer = format!("{}/tags", entry.pointer);
        // Point at the tags when there are any, else at the entry.
        let offset = analysis
            .root()
            .and_then(|r| r.locate(&tags_pointer).or_else(|| r.locate(&entry.pointer)))
            .map_or(root_offset, |(n, _)| n.span.start);
        let floating_tag = match split.floating.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        };
        if build_id.is_some() {
            match split.floating.len() {
                0 => {
                    diags.push(
                        Code::FloatingTagMissing,
                        &tags_pointer,
                        offset,
                        format!(
                            "{} has no tag without the build id, so cosa's release-metadata step would fail on this entry",
                            label(entry)
                        ),
                    ).hint("push and record a floating tag such as \"stable\"");
                }
                1 => {}
                n => {
                    diags.push(
                        Code::FloatingTagAmbiguous,
                        &tags_pointer,
                        offset,
                        format!(
                            "{} has {n} tags without the build id ({}), so cosa's release-metadata step would fail on this entry: it needs exactly one",
                            label(entry),
                            split.floating.join(", ")
                        ),
                    );
                }
            }
        }
        let repository = entry.repository.clone();
        entries.push(ReleaseEntry {
            pointer: entry.pointer.clone(),
            key: entry.key.clone(),
            image: match (&repository, &floating_tag) {
                (Some(repo), Some(tag)) => Some(format!("{repo}:{tag}")),
                _ => None,
            },
            digest_ref: entry.pull_spec.clone(),
            floating_tag,
            build_tags: split.build,
        });
    }
    let lines = analysis.line_index();
    let report = finish(text.as_bytes(), diags, Vec::new(), options.profile, lines);
    let valid = report.valid
        && entries
            .iter()
            .all(|e| e.image.is_some() && e.digest_ref.is_some());
    ReleaseView {
        build_id,
        entries,
        diagnostics: report.diagnostics,
        valid,
    }
}

fn label(entry: &Entry) -> String {
    match &entry.key {
        Some(key) => format!("\"{key}\""),
        None => "the entry".to_owned(),
    }
}
