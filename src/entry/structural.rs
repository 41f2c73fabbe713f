//! The structure of an entry as the embedded schema states it (a missing `image`, unknown
//! fields, wrong types), reported with our codes and messages.

use super::{EntryChecker, ENTRY_FIELDS, ITEM_FIELDS};
use crate::diagnostic::{quote, Code};
use crate::json::{last_member, push_token, Kind, Node};
use crate::structure::{self, ProblemKind};
use crate::suggest::did_you_mean;

impl EntryChecker<'_> {
    /// Maps the embedded schema's structural findings for `node` onto our codes (see
    /// [`structure`]). Grammar keywords (`pattern`, `minLength`) are left to the
    /// scanners, whose messages are precise.
    pub(super) fn schema_checks(&mut self, node: &Node<'_>, pointer: &str) {
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
}
