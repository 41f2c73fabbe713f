//! The `image` field: a reference to pull, without a tag and with a registry, and the
//! `image` upgrade writes.

use super::digest::DigestField;
use super::embedded_digest::UpperEmbedded;
use super::tags::TagsField;
use super::{json_string, string_rest, EntryChecker, Object};
use crate::diagnostic::{quote, Code};
use crate::json::{Node, Span};
use crate::reference::{self, BorrowedReference};

impl EntryChecker<'_> {
    /// Checks that the string `image` (node `n`, parsed as `result`) is a reference to
    /// pull. `upper` is its reading with an upper-case embedded digest lower-cased, when
    /// that case is its only fault. The reference, when there is one.
    pub(super) fn check_image<'a>(
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

    /// The findings about what the valid reference `image` (`r`, at `span`) carries
    /// besides its repository: a tag, a digest, no registry; and the `image` upgrade
    /// writes. `digest` is the `digest` field and its span (or the image's when it is
    /// absent). The digest embedded in the image.
    pub(super) fn check_image_parts(
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
