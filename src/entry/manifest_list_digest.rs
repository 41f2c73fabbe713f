//! The `manifest-list-digest` field: a digest, and not the entry's own.

use super::{child, string_rest, EntryChecker};
use crate::diagnostic::Code;
use crate::digest::parse_digest;
use crate::json::{Node, Span};

impl EntryChecker<'_> {
    /// Checks `manifest-list-digest` of the object at `pointer`: a digest, and not the
    /// entry's own (`digest`, at `digest_pointer` and `digest_span`). Its value, when it
    /// is a string.
    pub(super) fn check_manifest_list_digest(
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
}
