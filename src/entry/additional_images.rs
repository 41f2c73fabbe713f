//! `additional-images`: each item checked as an entry object of its own.

use super::{child, invalid_entry, Checked, EntryChecker};
use crate::json::{Node, Value};
use crate::readiness::Place;

impl EntryChecker<'_> {
    /// Checks each item of `additional-images` (of the entry at `pointer`) as an entry
    /// object of its own; an item that is not an object is listed as invalid.
    pub(super) fn check_additional_images(
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
}
