//! Container entries: what they look like, what is wrong with them, and what `upgrade`
//! would change.
//!
//! The structure (types, required and unknown fields) is checked by the embedded JSON
//! Schema; the grammar of references, digests and tags by our own scanners, whose
//! messages say precisely what is wrong. Both feed one list of diagnostics, and the same
//! facts decide the upgrade plan, so a diagnostic is `fixable` exactly when the plan fixes it.
//!
//! Each field (or group of fields) is checked in a file of its own, as an `impl
//! EntryChecker` block with the types only its checks use. This file holds what they
//! share: the public types, the checker, its entry point `check` and `check_object`,
//! which calls the field checks in the order their dependencies need, and the helpers that
//! locate a finding in the text.

mod additional_images;
mod digest;
mod embedded_digest;
mod image;
mod manifest_list_digest;
mod structural;
mod tags;

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostics};
use crate::digest::parse_digest;
use crate::json::{last_member, push_token, Member, Node, Span, Value};
use crate::readiness::{readiness, Place, Readiness};
use crate::reference::{self, BorrowedReference};

use self::digest::DigestField;
use self::embedded_digest::upper_case_embedded_digest;
use self::tags::written_tags;

/// The top-level keys of `meta.json` that describe a container image in a registry.
pub const ENTRY_KEYS: [&str; 4] = [
    "oscontainer",
    "base-oscontainer",
    "extensions-container",
    "kubevirt",
];

pub use crate::structure::{ENTRY_FIELDS, ITEM_FIELDS};

/// How an entry is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// Tagless image plus `digest` (RHCOS 4.1-4.11).
    Split,
    /// Split plus `tags`: the agreed form.
    Tagged,
    /// The digest only inside `image` (mid 2022).
    Embedded,
    /// No digest anywhere.
    ImageOnly,
    /// Not an object, or no string `image`.
    Invalid,
}

/// What one entry says, as far as it can be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// Pointer to the entry object.
    pub pointer: String,
    /// The top-level key it belongs to; `None` for a bare entry.
    pub key: Option<String>,
    /// How it is written.
    pub shape: Shape,
    /// `image` as written.
    pub image: Option<String>,
    /// `digest`, or else the digest embedded in `image`.
    pub digest: Option<String>,
    /// `tags` (a lone string counts as one tag).
    pub tags: Option<Vec<String>>,
    /// `manifest-list-digest`.
    pub manifest_list_digest: Option<String>,
    /// `repository@digest` when both are known and agree.
    pub pull_spec: Option<String>,
    /// `image` without tag and digest, when it is a valid reference.
    pub repository: Option<String>,
    /// Which downstream operations the entry supports.
    pub readiness: Readiness,
}

/// What `upgrade` writes for one entry object; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Pointer to the entry object.
    pub pointer: String,
    /// New `image` value.
    pub image: Option<String>,
    /// New `digest` value (replacing or adding the member).
    pub digest: Option<String>,
    /// The complete new `tags` list, each item as JSON text.
    pub tags: Option<Vec<String>>,
    /// What each change fixes.
    pub changes: Vec<Change>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.image.is_none() && self.digest.is_none() && self.tags.is_none()
    }

    /// Records that a change at `pointer` fixes the finding `code`.
    fn change(&mut self, pointer: &str, code: Code, message: String) {
        self.changes.push(Change {
            pointer: pointer.to_owned(),
            code,
            message,
        });
    }
}

/// One fix `upgrade` applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Pointer to what changed.
    pub pointer: String,
    /// The code of the diagnostic it fixes.
    pub code: Code,
    /// What was done.
    pub message: String,
}

/// Everything learnt from one entry (and its additional images).
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub entries: Vec<Entry>,
    pub plans: Vec<Plan>,
}

/// Checks the entry `node` at `pointer`, adding findings to `diags`.
///
/// `editable` is false when the object has duplicate keys: which one a consumer reads is
/// then up to the consumer, so nothing is fixed automatically.
pub(crate) struct EntryChecker<'d> {
    pub diags: &'d mut Diagnostics,
    pub text: &'d str,
    /// Offsets of keys that are duplicates (later occurrences), to decide editability.
    pub duplicate_offsets: &'d [usize],
    /// The build id, for readiness.
    pub build_id: Option<&'d str>,
}

/// One entry object under check: where its fields are, whether upgrade may edit it, and
/// what upgrade will write.
struct Object {
    image_pointer: String,
    digest_pointer: String,
    tags_pointer: String,
    /// False when the object has duplicate keys: which one a consumer reads is then up to
    /// the consumer, so nothing is fixed automatically.
    editable: bool,
    plan: Plan,
}

impl Object {
    fn new(pointer: &str, editable: bool) -> Self {
        Object {
            image_pointer: child(pointer, "image"),
            digest_pointer: child(pointer, "digest"),
            tags_pointer: child(pointer, "tags"),
            editable,
            plan: Plan {
                pointer: pointer.to_owned(),
                ..Plan::default()
            },
        }
    }
}

impl EntryChecker<'_> {
    /// Checks a top-level (or bare) entry.
    pub fn check(&mut self, node: &Node<'_>, pointer: &str, key: Option<&str>, out: &mut Checked) {
        if !matches!(node.value, Value::Object(_)) {
            let found = node.value.kind().article_name();
            self.diags.push_span(
                Code::EntryNotObject,
                pointer,
                node.span,
                format!(
                    "{} must be an object with an image, but it is {found}",
                    label(pointer, key)
                ),
            );
        } else if node.members().is_some_and(is_artifact) {
            // Pasted from `images.<name>`: one finding says so; "no image" and "unknown
            // field path" would only describe the symptoms.
            self.diags
                .push_span(
                    Code::EntryIsArtifact,
                    pointer,
                    node.span,
                    format!(
                        "{} is a file artifact (path, sha256, size) as listed under \"images\", not a container entry; a container entry names an image pushed to a registry: {{\"image\": repository, \"digest\": \"sha256:…\", \"tags\": […]}}",
                        label(pointer, key)
                    ),
                )
                .hint("file artifacts stay under \"images\"; write here the image that was pushed, or remove the key");
        } else {
            self.schema_checks(node, pointer);
            self.check_object(node, pointer, key, out, false);
            return;
        }
        // Not an entry to check field by field: listed, with nothing it can serve.
        out.entries.push(invalid_entry(
            node,
            pointer,
            Place::of(key, false),
            self.build_id,
        ));
    }

    /// The grammar checks of one entry object (or additional image), and its plan.
    ///
    /// The fields are checked in a fixed order, each by its own method, because later
    /// ones depend on earlier ones: the image's digest is judged against `digest`, and the
    /// image's tag moves into `tags` only when `tags` can take it.
    fn check_object(
        &mut self,
        node: &Node<'_>,
        pointer: &str,
        key: Option<&str>,
        out: &mut Checked,
        is_item: bool,
    ) {
        let Some(members) = node.members() else {
            return;
        };
        let field = |name: &str| last_member(members, name).map(|m| &m.value);
        let editable = !members
            .iter()
            .any(|m| self.duplicate_offsets.contains(&m.key_span.start));
        let mut object = Object::new(pointer, editable);
        let image_node = field("image");
        let image_text = image_node.and_then(Node::as_str);
        let digest_field = self.check_digest(field("digest"), &mut object);

        // Borrowed: checking a valid image allocates nothing.
        let image_result = image_text.map(reference::parse_borrowed);
        // An embedded digest whose only fault is upper case is read in its lower-case
        // form and repaired, as in `digest`.
        let upper_embedded = match (&image_result, image_text) {
            (Some(Err(_)), Some(s)) => upper_case_embedded_digest(s),
            _ => None,
        };
        let parsed = match (image_node, image_text, image_result) {
            (Some(n), Some(s), Some(result)) => {
                self.check_image(n, s, result, upper_embedded.as_ref(), &mut object)
            }
            _ => None,
        };

        let tags_node = field("tags");
        let mut tags = self.check_tags(tags_node, &mut object);
        // The shape describes the entry as written, before the image's tag is counted.
        let has_written_tags = tags.list.as_ref().is_some_and(|t| !t.is_empty());

        let mut embedded: Option<String> = None;
        if let (Some(r), Some(image)) = (&parsed, image_text) {
            let image_span = image_node.map_or(Span::new(0, 0), |n| n.span);
            let digest_span = field("digest").map_or(image_span, |n| n.span);
            // The image's digest is rewritten in place (lower-cased) unless it moves out:
            // `upper_embedded` is only read when the image did not parse as written, so
            // `parsed` is that reading and check_image has reported it fixable.
            let lower_in_place = object.editable && upper_embedded.is_some();
            embedded = self.check_image_parts(
                (r, image, image_span),
                (&digest_field, digest_span),
                lower_in_place,
                &mut tags,
                &mut object,
            );
        }
        if tags.rewrite {
            object.plan.tags = Some(tags.items);
        }

        let effective_digest = digest_field
            .effective()
            .map(str::to_owned)
            .or(embedded.clone());
        if matches!(digest_field, DigestField::Absent) && embedded.is_none() && image_text.is_some()
        {
            self.digest_missing(node, pointer, is_item);
        }
        let manifest_list_digest = self.check_manifest_list_digest(
            field("manifest-list-digest"),
            pointer,
            effective_digest.as_deref(),
            &object.digest_pointer,
            field("digest").map_or(node.span, |d| d.span),
        );
        let mut children = match field("additional-images") {
            Some(n) if !is_item => self.check_additional_images(n, pointer, key),
            _ => Checked::default(),
        };

        let conflict = matches!((&digest_field, &embedded), (DigestField::Valid(d) | DigestField::Repairable(d), Some(e)) if d != e);
        // As written, like `digest`: the lower-case form is what upgrade writes.
        let shown_digest = match field("digest").and_then(Node::as_str) {
            Some(d) => Some(d.to_owned()),
            None => upper_embedded
                .as_ref()
                .map(|upper| upper.written.to_owned())
                .or_else(|| embedded.clone()),
        };
        let pull_spec = pull_spec(parsed.as_ref(), effective_digest.as_deref(), conflict);
        out.entries.push(Entry {
            pointer: pointer.to_owned(),
            key: key.map(str::to_owned),
            shape: shape(
                image_text.is_some(),
                &digest_field,
                embedded.is_some(),
                has_written_tags,
            ),
            image: image_text.map(str::to_owned),
            digest: shown_digest,
            tags: written_tags(tags_node),
            manifest_list_digest,
            pull_spec,
            repository: parsed.as_ref().map(BorrowedReference::name),
            readiness: readiness(node, Place::of(key, is_item), self.build_id),
        });
        if !object.plan.is_empty() {
            out.plans.push(object.plan);
        }
        out.entries.append(&mut children.entries);
        out.plans.append(&mut children.plans);
    }
}

/// Whether an object is a file artifact as cosa lists them under `images` (`path`,
/// `sha256`, `size`, sometimes `skip-compression`, `uncompressed-sha256`,
/// `uncompressed-size`) rather than a container entry: `path` and `sha256`, no `image`.
pub(crate) fn is_artifact(members: &[Member<'_>]) -> bool {
    let has = |name: &str| members.iter().any(|m| m.key == name);
    has("path") && has("sha256") && !has("image")
}

/// How an entry object is written: whether it has a string `image`, its `digest`, whether
/// `image` embeds a digest, and whether it lists tags.
fn shape(has_image: bool, digest: &DigestField, embedded: bool, has_tags: bool) -> Shape {
    match (has_image, digest, embedded) {
        (false, _, _) => Shape::Invalid,
        (true, DigestField::Absent, true) => Shape::Embedded,
        (true, DigestField::Absent, false) => Shape::ImageOnly,
        (true, _, _) if has_tags => Shape::Tagged,
        (true, _, _) => Shape::Split,
    }
}

/// `repository@digest` of a valid reference and a valid digest, unless the entry's two
/// digests are in conflict.
fn pull_spec(
    parsed: Option<&BorrowedReference<'_>>,
    digest: Option<&str>,
    conflict: bool,
) -> Option<String> {
    match (parsed, digest) {
        (Some(r), Some(d)) if !conflict && parse_digest(d).is_ok() => {
            Some(format!("{}@{}", r.name(), d))
        }
        _ => None,
    }
}

/// The JSON text of a value as written.
fn raw(text: &str, node: &Node<'_>) -> String {
    text.get(node.span.start..node.span.end)
        .unwrap_or_default()
        .to_owned()
}

/// A string as JSON text.
pub(crate) fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// An entry that is not an object (`node`), at `place`.
fn invalid_entry(
    node: &Node<'_>,
    pointer: &str,
    place: Place<'_>,
    build_id: Option<&str>,
) -> Entry {
    let key = match place {
        Place::TopLevel(key) | Place::AdditionalImage(Some(key)) => Some(key),
        Place::AdditionalImage(None) | Place::Bare => None,
    };
    Entry {
        pointer: pointer.to_owned(),
        key: key.map(str::to_owned),
        shape: Shape::Invalid,
        image: None,
        digest: None,
        tags: None,
        manifest_list_digest: None,
        pull_spec: None,
        repository: None,
        readiness: readiness(node, place, build_id),
    }
}

fn label(pointer: &str, key: Option<&str>) -> String {
    match key {
        Some(k) => format!("\"{k}\""),
        None if pointer.is_empty() => "the entry".to_owned(),
        None => pointer.to_owned(),
    }
}

fn child(pointer: &str, name: &str) -> String {
    let mut p = String::with_capacity(pointer.len() + name.len() + 1);
    p.push_str(pointer);
    push_token(&mut p, name);
    p
}

/// From byte `index` of the string value `node` to the end of its text (its closing quote
/// left out): a finding about a string marks it from where it goes wrong. When it goes
/// wrong at the very end (a digest too short), the whole text is marked instead of nothing.
fn string_rest(node: &Node<'_>, index: usize) -> Span {
    let start = string_offset(node, index);
    let end = match &node.value {
        Value::String(_) => node.span.end.saturating_sub(1),
        _ => node.span.end,
    };
    if start < end {
        return Span::new(start, end);
    }
    let text_start = (node.span.start + 1).min(end);
    match &node.value {
        Value::String(_) => Span::new(text_start, end),
        _ => Span::new(start, start),
    }
}

/// The offset of character `index` (a byte offset into the decoded string) inside a
/// string node; exact when the string had no escapes, else the string's start.
fn string_offset(node: &Node<'_>, index: usize) -> usize {
    match &node.value {
        Value::String(std::borrow::Cow::Borrowed(s)) if index <= s.len() => {
            node.span.start + 1 + index
        }
        _ => node.span.start,
    }
}

/// The members of an object sorted by key (as `sort_keys=True` writes them).
pub(crate) fn keys_sorted(members: &[Member<'_>]) -> bool {
    members.windows(2).all(|w| match w {
        [a, b] => a.key <= b.key,
        _ => true,
    })
}
