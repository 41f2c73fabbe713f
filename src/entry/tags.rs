//! The `tags` field: an array of valid, distinct tags, and what upgrade writes for it.

use super::{raw, string_rest, EntryChecker, Object};
use crate::diagnostic::{quote, Code, Diagnostics};
use crate::json::{Node, Span, Value};
use crate::reference;

/// The `tags` field as checked, and what upgrade writes for it.
pub(super) struct TagsField {
    /// The tags (a lone string counts as one), without repeats; the image's tag joins
    /// them when upgrade moves it.
    pub(super) list: Option<Vec<String>>,
    /// The items a rewritten `tags` array keeps, as their JSON text: items that are not
    /// strings stay (they are reported, not ours to drop), and escapes stay as written.
    pub(super) items: Vec<String>,
    /// Whether upgrade rewrites the array.
    pub(super) rewrite: bool,
    /// False when `tags` is neither a string nor an array: nothing can be added to it.
    pub(super) appendable: bool,
}

impl EntryChecker<'_> {
    /// Checks `tags` as it is now. Upgrade wraps a lone string in an array and drops
    /// repeated tags.
    pub(super) fn check_tags(&mut self, node: Option<&Node<'_>>, object: &mut Object) -> TagsField {
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

/// The string tags of a `tags` node as written (a lone string counts as one).
pub(super) fn written_tags(node: Option<&Node<'_>>) -> Option<Vec<String>> {
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
