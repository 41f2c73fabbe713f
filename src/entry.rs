//! Container entries: what they look like, what is wrong with them, and what `upgrade`
//! would change.
//!
//! The structure (types, required and unknown fields) is checked by the embedded JSON
//! Schema; the grammar of references, digests and tags by our own scanners, whose
//! messages say precisely what is wrong. Both feed one list of diagnostics, and the same
//! facts decide the upgrade plan, so a diagnostic is `fixable` exactly when the plan fixes it.

use serde::Serialize;

use crate::build_id::{
    in_manifest_list_window, BuildDate, MANIFEST_LIST_WINDOW_END, MANIFEST_LIST_WINDOW_START,
};
use crate::diagnostic::{quote, Code, Diagnostics};
use crate::digest::{parse_digest, DigestProblem};
use crate::json::{last_member, push_token, Kind, Member, Node, Span, Value};
use crate::readiness::{readiness, Place, Readiness};
use crate::reference::{self, BorrowedReference};
use crate::structure::{self, ProblemKind};
use crate::suggest::did_you_mean;

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

/// The state of the `digest` field.
enum DigestField {
    Absent,
    Valid(String),
    Repairable(String),
    Broken,
}

impl DigestField {
    /// The digest as it will be after upgrade, when it can be known.
    fn effective(&self) -> Option<&str> {
        match self {
            DigestField::Valid(d) | DigestField::Repairable(d) => Some(d),
            DigestField::Absent | DigestField::Broken => None,
        }
    }
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

/// The `tags` field as checked, and what upgrade writes for it.
struct TagsField {
    /// The tags (a lone string counts as one), without repeats; the image's tag joins
    /// them when upgrade moves it.
    list: Option<Vec<String>>,
    /// The items a rewritten `tags` array keeps, as their JSON text: items that are not
    /// strings stay (they are reported, not ours to drop), and escapes stay as written.
    items: Vec<String>,
    /// Whether upgrade rewrites the array.
    rewrite: bool,
    /// False when `tags` is neither a string nor an array: nothing can be added to it.
    appendable: bool,
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

    /// Maps the embedded schema's structural findings for `node` onto our codes (see
    /// [`structure`]). Grammar keywords (`pattern`, `minLength`) are left to the
    /// scanners, whose messages are precise.
    fn schema_checks(&mut self, node: &Node<'_>, pointer: &str) {
        for problem in structure::problems(node, false) {
            let relative = problem.at.as_str();
            let mut at = String::with_capacity(pointer.len() + relative.len());
            at.push_str(pointer);
            at.push_str(relative);
            let target = node.locate(relative).map_or(node, |(found, _)| found);
            let field = relative.rsplit('/').next().unwrap_or_default();
            let parent_is_tags = relative.rsplit('/').nth(1) == Some("tags");
            let parent_is_additional = relative.rsplit('/').nth(1) == Some("additional-images");
            let found = target.value.kind().article_name();
            match problem.kind {
                ProblemKind::ImageMissing => {
                    let what = if parent_is_additional {
                        "this additional image"
                    } else {
                        "this entry"
                    };
                    self.diags.push_span(
                        Code::ImageMissing,
                        &at,
                        target.span,
                        format!(
                            "{what} has no \"image\"; every container entry names its repository"
                        ),
                    );
                }
                ProblemKind::Unexpected(unexpected) => {
                    self.unknown_fields(target, &at, &unexpected, parent_is_additional);
                }
                ProblemKind::WrongType => {
                    let (code, message) = if parent_is_tags {
                        (
                            Code::TagInvalid,
                            format!("item {field} of \"tags\" must be a string, but it is {found}"),
                        )
                    } else if parent_is_additional {
                        (
                            Code::AdditionalImageNotObject,
                            format!("item {field} of \"additional-images\" must be an object with an image, but it is {found}"),
                        )
                    } else {
                        match field {
                            "image" => (Code::ImageNotString, format!("\"image\" must be a string, but it is {found}")),
                            "digest" => (Code::DigestInvalid, format!("\"digest\" must be a string, but it is {found}")),
                            "manifest-list-digest" => (
                                Code::ManifestListDigestInvalid,
                                format!("\"manifest-list-digest\" must be a string, but it is {found}"),
                            ),
                            "comment" => (Code::CommentNotString, format!("\"comment\" must be a string, but it is {found}")),
                            "tags" => (Code::TagsNotArray, format!("\"tags\" must be an array of strings, but it is {found}")),
                            "additional-images" => (
                                Code::AdditionalImagesNotArray,
                                format!("\"additional-images\" must be an array of objects, but it is {found}"),
                            ),
                            _ => (Code::EntryNotObject, format!("{at} must be an object, but it is {found}")),
                        }
                    };
                    let d = self.diags.push_span(code, &at, target.span, message);
                    if code == Code::TagsNotArray && target.value.kind() == Kind::String {
                        d.hint("write it as a one-element array");
                    }
                }
            }
        }
    }

    /// Reports each of the `names` in the object `target` (at `at`) that the agreed form
    /// does not know, with the known field it most likely meant.
    fn unknown_fields(&mut self, target: &Node<'_>, at: &str, names: &[String], is_item: bool) {
        let allowed: &[&str] = if is_item { &ITEM_FIELDS } else { &ENTRY_FIELDS };
        for name in names {
            let mut field_pointer = at.to_owned();
            push_token(&mut field_pointer, name);
            let span = target
                .members()
                .and_then(|m| last_member(m, name))
                .map_or(target.span, |m| m.key_span);
            let d = self.diags.push_span(
                Code::UnknownField,
                &field_pointer,
                span,
                format!("unknown field {} in a container entry", quote(name)),
            );
            if let Some(suggestion) = did_you_mean(name, allowed) {
                d.hint(format!("did you mean \"{suggestion}\"?"));
            } else {
                d.hint(format!("known fields: {}", allowed.join(", ")));
            }
        }
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

    /// Checks `digest`. A digest wrong only in its case is repaired.
    fn check_digest(&mut self, node: Option<&Node<'_>>, object: &mut Object) -> DigestField {
        let Some(n) = node else {
            return DigestField::Absent;
        };
        let Some(s) = n.as_str() else {
            return DigestField::Broken; // reported by the schema
        };
        let e = match parse_digest(s) {
            Ok(_) => return DigestField::Valid(s.to_owned()),
            Err(e) => e,
        };
        let pointer = &object.digest_pointer;
        let d = self.diags.push_span(
            Code::DigestInvalid,
            pointer,
            string_rest(n, e.offset),
            e.message,
        );
        match e.repaired {
            Some(repaired) if object.editable => {
                d.fixable();
                object.plan.digest = Some(repaired.clone());
                let message = format!("rewrote the digest as {}", quote(&repaired));
                object.plan.change(pointer, Code::DigestInvalid, message);
                DigestField::Repairable(repaired)
            }
            Some(repaired) => DigestField::Repairable(repaired),
            None => DigestField::Broken,
        }
    }

    /// Checks that the string `image` (node `n`, parsed as `result`) is a reference to
    /// pull. `upper` is its reading with an upper-case embedded digest lower-cased, when
    /// that case is its only fault. The reference, when there is one.
    fn check_image<'a>(
        &mut self,
        n: &Node<'_>,
        image: &'a str,
        result: Result<BorrowedReference<'a>, reference::ReferenceError>,
        upper: Option<&'a UpperEmbedded<'a>>,
        object: &mut Object,
    ) -> Option<BorrowedReference<'a>> {
        let pointer = &object.image_pointer;
        let e = match result {
            // A valid reference with no domain may be a transport and a path
            // (`oci-archive:x.ociarchive`): in an entry it is meant as a pull spec.
            Ok(r) => match r
                .domain
                .is_empty()
                .then(|| reference::transport_prefix_error(image))
                .flatten()
            {
                Some(e) => e,
                None => return Some(r),
            },
            Err(e) => match upper {
                Some(upper) => {
                    let d = self.diags.push_span(
                        Code::DigestInvalid,
                        pointer,
                        string_rest(n, upper.at + 1 + upper.error.offset),
                        format!(
                            "the digest {} embedded in image has {}; digests are lower-case",
                            quote(upper.written),
                            upper.what()
                        ),
                    );
                    if object.editable {
                        d.fixable();
                        let message = format!(
                            "rewrote the digest embedded in image as {}",
                            quote(&upper.repaired)
                        );
                        object.plan.change(pointer, Code::DigestInvalid, message);
                    }
                    return Some(BorrowedReference {
                        digest: Some(upper.repaired.as_str()),
                        ..upper.name
                    });
                }
                None => e,
            },
        };
        self.diags.push_span(
            Code::ImageInvalid,
            pointer,
            string_rest(n, e.offset),
            format!(
                "image {} is not a valid reference: {}",
                quote(image),
                e.message
            ),
        );
        None
    }

    /// Checks `tags` as it is now. Upgrade wraps a lone string in an array and drops
    /// repeated tags.
    fn check_tags(&mut self, node: Option<&Node<'_>>, object: &mut Object) -> TagsField {
        let mut tags = TagsField {
            list: None,
            items: Vec::new(),
            rewrite: false,
            appendable: true,
        };
        let pointer = &object.tags_pointer;
        match node.map(|n| &n.value) {
            None => {}
            Some(Value::String(s)) => {
                tags.list = Some(vec![s.to_string()]);
                tags.items.extend(node.map(|n| raw(self.text, n)));
                if object.editable {
                    tags.rewrite = true;
                    if let Some(d) = self.diags.items_mut_last(Code::TagsNotArray, pointer) {
                        d.fixable();
                    }
                    let message = "wrapped the tag in an array".to_owned();
                    object.plan.change(pointer, Code::TagsNotArray, message);
                }
                self.check_tag(s, pointer, node);
            }
            Some(Value::Array(items)) => {
                let mut list: Vec<String> = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let Some(tag) = item.node.as_str() else {
                        tags.items.push(raw(self.text, &item.node)); // reported by the schema
                        continue;
                    };
                    let item_pointer = format!("{pointer}/{index}");
                    if list.iter().any(|t| t == tag) {
                        let d = self.diags.push_span(
                            Code::TagDuplicate,
                            &item_pointer,
                            item.node.span,
                            format!("tag {} is listed more than once", quote(tag)),
                        );
                        if object.editable {
                            d.fixable();
                            tags.rewrite = true;
                            let message = format!("removed the repeated tag {}", quote(tag));
                            object
                                .plan
                                .change(&item_pointer, Code::TagDuplicate, message);
                        }
                        continue;
                    }
                    self.check_tag(tag, &item_pointer, Some(&item.node));
                    list.push(tag.to_owned());
                    tags.items.push(raw(self.text, &item.node));
                }
                tags.list = Some(list);
            }
            Some(_) => tags.appendable = false, // reported by the schema
        }
        tags
    }

    /// The findings about what the valid reference `image` (`r`, at `span`) carries
    /// besides its repository: a tag, a digest, no registry; and the `image` upgrade
    /// writes. `digest` is the `digest` field and its span (or the image's when it is
    /// absent). The digest embedded in the image.
    fn check_image_parts(
        &mut self,
        (r, image, span): (&BorrowedReference<'_>, &str, Span),
        (digest_field, digest_span): (&DigestField, Span),
        lower_in_place: bool,
        tags: &mut TagsField,
        object: &mut Object,
    ) -> Option<String> {
        let keep_tag = self.check_image_tag(r, image, span, tags, object);
        let keep_digest = r.digest.and_then(|emb| {
            self.check_embedded_digest((emb, image, span), digest_field, digest_span, object)
        });
        self.check_qualified(r, image, span, &object.image_pointer);
        object.plan.image = rewritten_image(r, keep_tag, keep_digest, lower_in_place);
        r.digest.map(str::to_owned)
    }

    /// Reports a tag carried by `image` (at `span`); upgrade moves it into `tags` when
    /// it can add to them. The tag the image keeps.
    fn check_image_tag<'r>(
        &mut self,
        r: &BorrowedReference<'r>,
        image: &str,
        span: Span,
        tags: &mut TagsField,
        object: &mut Object,
    ) -> Option<&'r str> {
        let tag = r.tag?;
        let d = self.diags.push_span(
            Code::ImageHasTag,
            &object.image_pointer,
            span,
            format!(
                "image {} carries the tag {}; the agreed form lists tags in \"tags\"",
                quote(image),
                quote(tag)
            ),
        );
        if !(object.editable && tags.appendable) {
            return Some(tag);
        }
        d.fixable();
        let list = tags.list.get_or_insert_with(Vec::new);
        if !list.iter().any(|t| t == tag) {
            list.push(tag.to_owned());
            tags.items.push(json_string(tag));
        }
        tags.rewrite = true;
        let message = format!("moved the tag {} from image into tags", quote(tag));
        object
            .plan
            .change(&object.image_pointer, Code::ImageHasTag, message);
        None
    }

    /// Reports the digest `emb` embedded in `image` (at `span`). Upgrade moves it into
    /// `digest` only when nothing is lost or guessed: not when `digest` differs or is
    /// broken, nor when the build is from cosa's manifest-list window. The digest the
    /// image keeps.
    fn check_embedded_digest<'r>(
        &mut self,
        (emb, image, span): (&'r str, &str, Span),
        digest_field: &DigestField,
        digest_span: Span,
        object: &mut Object,
    ) -> Option<&'r str> {
        // cosa wrote the manifest list's digest here for builds of these weeks.
        let window = self.build_id.and_then(in_manifest_list_window);
        let image_pointer = &object.image_pointer;
        let message = format!(
            "image {} embeds the digest; the agreed form keeps the repository in \"image\" and the digest in \"digest\"",
            quote(image)
        );
        match digest_field {
            DigestField::Valid(d) | DigestField::Repairable(d) if d != emb => {
                self.diags
                    .push_span(Code::ImageEmbeddedDigest, image_pointer, span, message);
                self.diags
                    .push_span(
                        Code::DigestConflict,
                        &object.digest_pointer,
                        digest_span,
                        format!(
                            "digest {} differs from the digest {} embedded in image",
                            quote(d),
                            quote(emb)
                        ),
                    )
                    .hint("find out which digest was pushed and keep only that one")
                    .related(image_pointer, span, "the image, with the other digest");
            }
            DigestField::Broken => {
                self.diags
                    .push_span(Code::ImageEmbeddedDigest, image_pointer, span, message)
                    .hint("fix \"digest\" first; then upgrade can move the digest out of image");
            }
            DigestField::Absent if window.is_some() => {
                self.diags
                    .push_span(Code::ImageEmbeddedDigest, image_pointer, span, message)
                    .hint("upgrade does not move this digest into \"digest\": the build is from cosa's manifest-list window, so it is most likely the manifest list's (see digest-maybe-manifest-list)");
                if let (Some(date), Some(build_id)) = (window, self.build_id) {
                    self.maybe_manifest_list(image_pointer, span, build_id, date);
                }
            }
            DigestField::Absent | DigestField::Valid(_) | DigestField::Repairable(_) => {
                let d =
                    self.diags
                        .push_span(Code::ImageEmbeddedDigest, image_pointer, span, message);
                if object.editable {
                    d.fixable();
                    if matches!(digest_field, DigestField::Absent) {
                        object.plan.digest = Some(emb.to_owned());
                    }
                    let message = format!("moved the digest {} from image into digest", quote(emb));
                    object
                        .plan
                        .change(image_pointer, Code::ImageEmbeddedDigest, message);
                    return None;
                }
            }
        }
        Some(emb)
    }

    /// Reports an `image` (at `span`) that names no registry.
    fn check_qualified(
        &mut self,
        r: &BorrowedReference<'_>,
        image: &str,
        span: Span,
        image_pointer: &str,
    ) {
        if !r.domain.is_empty() {
            return;
        }
        let d = self.diags.push_span(
            Code::ImageNotQualified,
            image_pointer,
            span,
            format!("image {} names no registry, so where it is pulled from depends on the client's configuration", quote(image)),
        );
        if let Ok(full) = reference::parse_normalized_named(image) {
            d.hint(format!("write it in full, e.g. {}", quote(&full.name())));
        }
    }

    /// Reports an entry object (at `pointer`) with no digest at all.
    fn digest_missing(&mut self, node: &Node<'_>, pointer: &str, is_item: bool) {
        let what = if is_item {
            "this additional image"
        } else {
            "this entry"
        };
        self.diags
            .push_span(
                Code::DigestMissing,
                pointer,
                node.span,
                format!("{what} has no digest, so consumers cannot pull it by digest"),
            )
            .hint("add \"digest\": the architecture-specific manifest digest that was pushed");
    }

    /// Checks `manifest-list-digest` of the object at `pointer`: a digest, and not the
    /// entry's own (`digest`, at `digest_pointer` and `digest_span`). Its value, when it
    /// is a string.
    fn check_manifest_list_digest(
        &mut self,
        node: Option<&Node<'_>>,
        pointer: &str,
        effective_digest: Option<&str>,
        digest_pointer: &str,
        digest_span: Span,
    ) -> Option<String> {
        let n = node?;
        let s = n.as_str()?;
        match parse_digest(s) {
            Err(e) => {
                self.diags.push_span(
                    Code::ManifestListDigestInvalid,
                    &child(pointer, "manifest-list-digest"),
                    string_rest(n, e.offset),
                    e.message,
                );
            }
            Ok(_) if effective_digest == Some(s) => {
                self.diags
                    .push_span(
                        Code::DigestEqualsManifestList,
                        digest_pointer,
                        digest_span,
                        "digest equals manifest-list-digest; \"digest\" should be this architecture's own manifest digest".to_owned(),
                    )
                    .hint("take the per-architecture digest from the manifest list")
                    .related(
                        &child(pointer, "manifest-list-digest"),
                        n.span,
                        "manifest-list-digest, the same digest",
                    );
            }
            Ok(_) => {}
        }
        Some(s.to_owned())
    }

    /// Checks each item of `additional-images` (of the entry at `pointer`) as an entry
    /// object of its own; an item that is not an object is listed as invalid.
    fn check_additional_images(
        &mut self,
        node: &Node<'_>,
        pointer: &str,
        key: Option<&str>,
    ) -> Checked {
        let mut children = Checked::default();
        let Value::Array(items) = &node.value else {
            return children;
        };
        let base = child(pointer, "additional-images");
        for (index, item) in items.iter().enumerate() {
            let item_pointer = format!("{base}/{index}");
            if item.node.members().is_some() {
                self.check_object(&item.node, &item_pointer, key, &mut children, true);
            } else {
                children.entries.push(invalid_entry(
                    &item.node,
                    &item_pointer,
                    Place::of(key, true),
                    self.build_id,
                ));
            }
        }
        children
    }

    /// The warning for an embedded digest of a build dated `date`, inside cosa's
    /// manifest-list window.
    fn maybe_manifest_list(
        &mut self,
        image_pointer: &str,
        span: Span,
        build_id: &str,
        date: BuildDate,
    ) {
        self.diags
            .push_span(
                Code::DigestMaybeManifestList,
                image_pointer,
                span,
                format!(
                    "the digest embedded in image is most likely the manifest list's, not this architecture's: build {} is dated {date}, inside the window {MANIFEST_LIST_WINDOW_START} to {MANIFEST_LIST_WINDOW_END} when cosa wrote the manifest list's digest into image",
                    quote(build_id)
                ),
            )
            .hint("confirm with `oscontainer arches` over the build's meta.json files (compareArches: the same digest on every architecture is the list's) or with the registry; then write this architecture's digest into \"digest\"");
    }

    fn check_tag(&mut self, tag: &str, pointer: &str, node: Option<&Node<'_>>) {
        if let Err(e) = reference::validate_tag(tag) {
            let span = node.map_or(Span::new(0, 0), |n| string_rest(n, e.offset));
            self.diags
                .push_span(Code::TagInvalid, pointer, span, e.message);
        }
    }
}

impl Diagnostics {
    /// The last finding with `code` at `pointer`, to amend it.
    pub(crate) fn items_mut_last(
        &mut self,
        code: Code,
        pointer: &str,
    ) -> Option<&mut crate::diagnostic::Diagnostic> {
        self.items_mut()
            .iter_mut()
            .rev()
            .find(|d| d.code == code && d.pointer == pointer)
    }
}

/// Whether an object is a file artifact as cosa lists them under `images` (`path`,
/// `sha256`, `size`, sometimes `skip-compression`, `uncompressed-sha256`,
/// `uncompressed-size`) rather than a container entry: `path` and `sha256`, no `image`.
pub(crate) fn is_artifact(members: &[Member<'_>]) -> bool {
    let has = |name: &str| members.iter().any(|m| m.key == name);
    has("path") && has("sha256") && !has("image")
}

/// An `image` whose embedded digest is wrong only in its case.
struct UpperEmbedded<'s> {
    /// The image without its digest (name and tag).
    name: BorrowedReference<'s>,
    /// Offset of the `@` in the image.
    at: usize,
    /// The digest as written.
    written: &'s str,
    /// Its lower-case form.
    repaired: String,
    /// Why it was rejected.
    error: crate::digest::DigestError,
}

impl UpperEmbedded<'_> {
    /// What is upper case, as `parse_digest` says it.
    fn what(&self) -> &'static str {
        let hex = self.written.split_once(':').map_or("", |(_, hex)| hex);
        if hex.bytes().any(|b| b.is_ascii_uppercase()) {
            "upper-case hex"
        } else {
            "an upper-case algorithm name"
        }
    }
}

/// `image` as `name[:tag]@digest` where the name is valid and the digest is wrong only
/// in its case (`sha256:ABCD…`, `SHA256:abcd…`); `None` for anything else.
fn upper_case_embedded_digest(image: &str) -> Option<UpperEmbedded<'_>> {
    let at = image.find('@')?;
    let name = reference::parse_borrowed(image.get(..at)?).ok()?;
    let written = image.get(at + 1..)?;
    let error = parse_digest(written).err()?;
    if error.problem != DigestProblem::UppercaseHex {
        return None;
    }
    Some(UpperEmbedded {
        name,
        at,
        written,
        repaired: error.repaired.clone()?,
        error,
    })
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

/// The string tags of a `tags` node as written (a lone string counts as one).
fn written_tags(node: Option<&Node<'_>>) -> Option<Vec<String>> {
    match node.map(|n| &n.value) {
        Some(Value::String(s)) => Some(vec![s.to_string()]),
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .filter_map(|i| i.node.as_str())
                .map(str::to_owned)
                .collect(),
        ),
        _ => None,
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

/// The `image` upgrade writes: `r`'s name with the tag and digest it keeps; `None` when
/// nothing moved out and the digest is not lower-cased in place.
fn rewritten_image(
    r: &BorrowedReference<'_>,
    keep_tag: Option<&str>,
    keep_digest: Option<&str>,
    lower_in_place: bool,
) -> Option<String> {
    if keep_tag == r.tag && keep_digest == r.digest && !lower_in_place {
        return None;
    }
    let mut rewritten = r.name();
    if let Some(t) = keep_tag {
        rewritten.push(':');
        rewritten.push_str(t);
    }
    if let Some(d) = keep_digest {
        rewritten.push('@');
        rewritten.push_str(d);
    }
    Some(rewritten)
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

/// The offset of character `index` (a byte offset into the decoded string) inside a
/// string node; exact when the string had no escapes, else the string's start.
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
