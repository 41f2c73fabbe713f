//! A digest embedded in `image`: read in its lower-case form when case is its only fault,
//! moved into `digest` only when nothing is lost or guessed, and cosa's manifest-list
//! window, when the embedded digest is most likely the list's.

use super::digest::DigestField;
use super::{EntryChecker, Object};
use crate::build_id::{
    in_manifest_list_window, BuildDate, MANIFEST_LIST_WINDOW_END, MANIFEST_LIST_WINDOW_START,
};
use crate::diagnostic::{quote, Code};
use crate::digest::{parse_digest, DigestProblem};
use crate::json::Span;
use crate::reference::{self, BorrowedReference};

impl EntryChecker<'_> {
    /// Reports the digest `emb` embedded in `image` (at `span`). Upgrade moves it into
    /// `digest` only when nothing is lost or guessed: not when `digest` differs or is
    /// broken, nor when the build is from cosa's manifest-list window. The digest the
    /// image keeps.
    pub(super) fn check_embedded_digest<'r>(
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
}

/// An `image` whose embedded digest is wrong only in its case.
pub(super) struct UpperEmbedded<'s> {
    /// The image without its digest (name and tag).
    pub(super) name: BorrowedReference<'s>,
    /// Offset of the `@` in the image.
    pub(super) at: usize,
    /// The digest as written.
    pub(super) written: &'s str,
    /// Its lower-case form.
    pub(super) repaired: String,
    /// Why it was rejected.
    pub(super) error: crate::digest::DigestError,
}

impl UpperEmbedded<'_> {
    /// What is upper case, as `parse_digest` says it.
    pub(super) fn what(&self) -> &'static str {
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
pub(super) fn upper_case_embedded_digest(image: &str) -> Option<UpperEmbedded<'_>> {
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
