//! The `digest` field: its grammar, its repair when only its case is wrong, and an entry
//! with no digest at all.

use super::{string_rest, EntryChecker, Object};
use crate::diagnostic::{quote, Code};
use crate::digest::parse_digest;
use crate::json::Node;

/// The state of the `digest` field.
pub(super) enum DigestField {
    Absent,
    Valid(String),
    Repairable(String),
    Broken,
}

impl DigestField {
    /// The digest as it will be after upgrade, when it can be known.
    pub(super) fn effective(&self) -> Option<&str> {
        match self {
            DigestField::Valid(d) | DigestField::Repairable(d) => Some(d),
            DigestField::Absent | DigestField::Broken => None,
        }
    }
}

impl EntryChecker<'_> {
    /// Checks `digest`. A digest wrong only in its case is repaired.
    pub(super) fn check_digest(
        &mut self,
        node: Option<&Node<'_>>,
        object: &mut Object,
    ) -> DigestField {
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

    /// Reports an entry object (at `pointer`) with no digest at all.
    pub(super) fn digest_missing(&mut self, node: &Node<'_>, pointer: &str, is_item: bool) {
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
}
