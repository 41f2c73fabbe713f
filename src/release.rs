//! The release view: what cosa's `generate-release-meta` would write for a build.
//!
//! cosa makes release metadata from `base-oscontainer` (→ `architectures.<arch>.oci-image`)
//! and `kubevirt` (→ `architectures.<arch>.media.kubevirt.image`) only, by joining strings:
//! `{"image": image + ":" + floating tag, "digest-ref": image + "@" + digest}`. This view
//! lists every entry for the viewer, says what cosa writes for the released ones (the
//! literal strings, wrong ones included), and reports each released entry that cosa
//! would fail on or write wrongly. Entries cosa does not read never make it invalid.

use serde::Serialize;

use crate::diagnostic::{quote, Code, Diagnostic, Diagnostics, Profile};
use crate::document::{analyze, finish, Analysis, Options};
use crate::entry::Entry;
use crate::json::{push_token, Node, Span};
use crate::position::LineIndex;
use crate::readiness::{release_outcome, split_tags, Place, Readiness, ReleaseOutcome};
use crate::reference;

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

/// One top-level entry as cosa's release metadata would reference it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseEntry {
    /// Pointer to the entry.
    pub pointer: String,
    /// The top-level key (`base-oscontainer`, …); `None` for a bare entry.
    pub key: Option<String>,
    /// Whether cosa makes release metadata from this entry (`base-oscontainer`,
    /// `kubevirt`, or a bare entry, whose key is unknown).
    pub released: bool,
    /// The entry's readiness for each downstream use.
    pub readiness: Readiness,
    /// `image + ":" + floating tag` exactly as cosa joins it, right or wrong; `None` when
    /// cosa fails on the entry or does not read it.
    pub image: Option<String>,
    /// `image + "@" + digest` exactly as cosa joins it, right or wrong; `None` when cosa
    /// fails on the entry or does not read it.
    pub digest_ref: Option<String>,
    /// The single tag without the build id, when there is exactly one.
    pub floating_tag: Option<String>,
    /// The tags that contain the build id.
    pub build_tags: Vec<String>,
    /// The `{image, digest-ref}` pair cosa writes today, when both are the references
    /// they should be; `None` otherwise.
    pub release_metadata: Option<ReleaseMetadata>,
    /// The pair cosa would write after `oscontainer upgrade`, when the entry does not
    /// give a right pair today and the upgrade makes it give one.
    pub after_upgrade: Option<ReleaseMetadata>,
}

impl ReleaseEntry {
    /// The `{"image", "digest-ref"}` object cosa writes today, when it is right.
    pub fn release_metadata(&self) -> Option<ReleaseMetadata> {
        self.release_metadata.clone()
    }
}

/// The release view of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseView {
    /// The build id used.
    pub build_id: Option<String>,
    /// One per top-level entry, in document order, released or not.
    pub entries: Vec<ReleaseEntry>,
    /// Why cosa would fail on, or write wrongly, a released entry; plus problems of the
    /// document as a whole (syntax, duplicate keys).
    pub diagnostics: Vec<Diagnostic>,
    /// True when no diagnostic is an error: cosa writes right release metadata for every
    /// released entry (and a document without released entries is valid).
    pub valid: bool,
}

/// Builds the release view of UTF-8 bytes (bytes that are not give a `json-syntax`
/// finding and no entries).
pub fn release_view_bytes(input: &[u8], options: &Options<'_>) -> ReleaseView {
    match crate::json::decode(input) {
        Ok(text) => release_view(text, options),
        Err(error) => {
            let mut diags = Diagnostics::new(options.profile);
            diags.push_span(Code::JsonSyntax, "", error.span(input), error.message);
            let report = finish(input, diags, Vec::new(), options.profile, None);
            ReleaseView {
                build_id: options
                    .build_id
                    .filter(|id| !id.is_empty())
                    .map(str::to_owned),
                entries: Vec::new(),
                valid: report.valid,
                diagnostics: report.diagnostics,
            }
        }
    }
}

/// The document-level findings the release view repeats from validation: without them
/// the view of a broken document would say nothing, and a duplicate key means the
/// consumers read a value the reader may not be looking at.
const DOCUMENT_CODES: [Code; 5] = [
    Code::JsonSyntax,
    Code::NestingTooDeep,
    Code::NotAnObject,
    Code::NoEntries,
    Code::DuplicateKey,
];

/// Builds the release view of `text`.
pub fn release_view(text: &str, options: &Options<'_>) -> ReleaseView {
    let mut analysis = analyze(text, options);
    let lines = analysis.take_line_index();
    release_view_of(&analysis, options, lines)
}

/// The release view of a document already analysed with `options`; `lines` are its line
/// starts, when known.
pub(crate) fn release_view_of(
    analysis: &Analysis<'_>,
    options: &Options<'_>,
    lines: Option<LineIndex>,
) -> ReleaseView {
    let text = analysis.text;
    let build_id = analysis.build_id.clone();
    let mut diags = repeated_findings(analysis, options.profile);
    let root_span = analysis.root().map_or(Span::new(0, 0), |r| {
        crate::json::char_span(text.as_bytes(), r.span.start)
    });
    let mut after_upgrade: Option<Option<AfterUpgrade>> = None;
    let mut build_id_reported = false;
    let mut entries = Vec::new();
    for entry in top_level_entries(analysis) {
        let place = Place::of(entry.key.as_deref(), false);
        let outcome = analysis
            .root()
            .and_then(|root| root.locate(&entry.pointer))
            .map(|(node, _)| release_outcome(node, place, build_id.as_deref()));
        let Some(outcome) = outcome else {
            continue;
        };
        let released = !matches!(outcome, ReleaseOutcome::NotApplicable(_));
        let mut view = release_entry(entry, released, build_id.as_deref());
        // The finding for a released entry cosa fails on or writes wrongly: its code,
        // where, why, and the hint when upgrading does not mend it.
        let finding = match outcome {
            ReleaseOutcome::NotApplicable(_) => None,
            ReleaseOutcome::Writes {
                image, digest_ref, ..
            } => {
                view.release_metadata = Some(ReleaseMetadata {
                    image: image.clone(),
                    digest_ref: digest_ref.clone(),
                });
                view.image = Some(image);
                view.digest_ref = Some(digest_ref);
                None
            }
            ReleaseOutcome::Fails {
                code: Code::BuildIdMissing,
                ..
            } => {
                if !build_id_reported {
                    build_id_reported = true;
                    diags
                        .push_span(
                            Code::BuildIdMissing,
                            "",
                            root_span,
                            "no build id is known (no \"buildid\" in the document and none given), so cosa's release-metadata step cannot tell the floating tag from build tags".to_owned(),
                        )
                        .hint("pass the build id, or validate the whole meta.json");
                }
                None
            }
            ReleaseOutcome::Fails {
                code,
                field,
                reason,
            } => {
                // A missing field has no place of its own: the finding is at the entry.
                let pointer = at(
                    &entry.pointer,
                    field.filter(|_| code != Code::ReleaseFieldMissing),
                );
                let hint = fallback_hint(code, field, entry, &reason);
                Some((code, pointer, reason, hint))
            }
            ReleaseOutcome::WritesWrong {
                image,
                digest_ref,
                field,
                reason,
                ..
            } => {
                view.image = Some(image);
                view.digest_ref = Some(digest_ref);
                let hint = format!("correct {field}; cosa joins the strings as they are written");
                Some((
                    Code::ReleaseReferenceInvalid,
                    at(&entry.pointer, Some(field)),
                    reason,
                    hint,
                ))
            }
        };
        if let Some((code, pointer, reason, fallback)) = finding {
            let fixed = after_upgrade
                .get_or_insert_with(|| AfterUpgrade::of(text, options))
                .as_ref()
                .and_then(|after| after.pair(&entry.pointer));
            let span = span_of(analysis, &pointer, root_span);
            diags
                .push_span(code, &pointer, span, format!("{}: {reason}", label(entry)))
                .hint(upgrade_hint(fixed.as_ref()).unwrap_or(fallback));
            view.after_upgrade = fixed;
        }
        entries.push(view);
    }
    let report = finish(text.as_bytes(), diags, Vec::new(), options.profile, lines);
    ReleaseView {
        build_id,
        entries,
        valid: report.valid,
        diagnostics: report.diagnostics,
    }
}

/// The findings of `analysis` in [`DOCUMENT_CODES`], copied into a list of their own.
fn repeated_findings(analysis: &Analysis<'_>, profile: Profile) -> Diagnostics {
    let mut diags = Diagnostics::new(profile);
    for d in analysis.diagnostics.items() {
        if DOCUMENT_CODES.contains(&d.code) {
            diags.push_copy(d);
        }
    }
    diags
}

/// The view of `entry` before cosa's outcome is known: its tags split by `build_id`, no
/// references yet.
fn release_entry(entry: &Entry, released: bool, build_id: Option<&str>) -> ReleaseEntry {
    let tags = entry.tags.clone().unwrap_or_default();
    let split = build_id.map(|id| split_tags(&tags, id)).unwrap_or_default();
    ReleaseEntry {
        pointer: entry.pointer.clone(),
        key: entry.key.clone(),
        released,
        readiness: entry.readiness.clone(),
        image: None,
        digest_ref: None,
        floating_tag: match split.floating.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        },
        build_tags: split.build,
        release_metadata: None,
        after_upgrade: None,
    }
}

/// The top-level (or bare) entries, without their additional images.
fn top_level_entries<'e>(analysis: &'e Analysis<'_>) -> impl Iterator<Item = &'e Entry> {
    analysis
        .checked
        .entries
        .iter()
        .filter(|e| crate::json::pointer_tokens(&e.pointer).count() <= 1)
}

/// The document after `oscontainer upgrade`, to say what cosa would write then.
struct AfterUpgrade {
    text: String,
    build_id: Option<String>,
}

impl AfterUpgrade {
    /// `None` when the upgrade changes nothing (then nothing would change for cosa).
    fn of(text: &str, options: &Options<'_>) -> Option<Self> {
        // The canonical profile: the view's profile only sets the severities it shows.
        let upgrade_options = Options {
            profile: Profile::Canonical,
            ..*options
        };
        let upgraded = crate::upgrade::upgrade(text, &upgrade_options);
        upgraded.changed.then(|| AfterUpgrade {
            text: upgraded.output,
            build_id: options.build_id.map(str::to_owned),
        })
    }

    /// The pair cosa would write for the entry at `pointer` after the upgrade, when it
    /// writes a right one.
    fn pair(&self, pointer: &str) -> Option<ReleaseMetadata> {
        let options = Options {
            build_id: self.build_id.as_deref(),
            ..Options::default()
        };
        let analysis = analyze(&self.text, &options);
        let key = crate::json::pointer_tokens(pointer).next();
        let (node, _): (&Node<'_>, _) = analysis.root()?.locate(pointer)?;
        match release_outcome(
            node,
            Place::of(key.as_deref(), false),
            analysis.build_id.as_deref(),
        ) {
            ReleaseOutcome::Writes {
                image, digest_ref, ..
            } => Some(ReleaseMetadata { image, digest_ref }),
            _ => None,
        }
    }
}

fn upgrade_hint(fixed: Option<&ReleaseMetadata>) -> Option<String> {
    fixed.map(|pair| {
        format!(
            "run `oscontainer upgrade`: cosa then writes {} and {}",
            quote(&pair.image),
            quote(&pair.digest_ref)
        )
    })
}

/// A hint when upgrading does not help: what to record by hand.
fn fallback_hint(code: Code, field: Option<&str>, entry: &Entry, reason: &str) -> String {
    let image_tag = entry
        .image
        .as_deref()
        .and_then(|image| reference::parse_borrowed(image).ok())
        .and_then(|r| r.tag.map(str::to_owned));
    match (code, field) {
        (Code::ReleaseFieldMissing, Some("digest")) => {
            "record \"digest\": the architecture-specific manifest digest that was pushed"
                .to_owned()
        }
        (Code::ReleaseFieldMissing, Some("tags")) => {
            "record \"tags\": every tag that was pushed, exactly one of them without the build id (e.g. \"stable\")".to_owned()
        }
        (Code::ReleaseFieldMissing, _) => {
            "record \"image\": the repository the container was pushed to".to_owned()
        }
        (Code::FloatingTagMissing, _) => match image_tag {
            Some(tag) => format!(
                "the image carries the tag {}; run `oscontainer upgrade` to move it into \"tags\"",
                quote(&tag)
            ),
            None => "push and record a floating tag such as \"stable\"".to_owned(),
        },
        (Code::FloatingTagAmbiguous, _) => {
            "keep exactly one tag without the build id in \"tags\"".to_owned()
        }
        _ => format!("correct the entry: {reason}"),
    }
}

/// `pointer`, or its child `field`.
fn at(pointer: &str, field: Option<&str>) -> String {
    let mut at = pointer.to_owned();
    if let Some(field) = field {
        push_token(&mut at, field);
    }
    at
}

fn span_of(analysis: &Analysis<'_>, pointer: &str, fallback: Span) -> Span {
    analysis
        .root()
        .and_then(|r| r.locate(pointer))
        .map_or(fallback, |(n, _)| n.span)
}

fn label(entry: &Entry) -> String {
    match &entry.key {
        Some(key) => format!("\"{key}\""),
        None => "the entry".to_owned(),
    }
}
