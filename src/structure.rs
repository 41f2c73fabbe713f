//! The structural rules of the embedded schema (`src/oscontainer.schema.json`: `type`,
//! `required`, `additionalProperties`, `items`), checked on the scanned nodes.
//!
//! The schema stays the published contract (editors and other tools read it); this is
//! its structure written as code, so that the module everyone loads needs no JSON
//! Schema validator, no conversion of each entry to a `serde_json::Value`, and no
//! compilation of the schema on first use. The grammar keywords (`pattern`,
//! `minLength`) are left to the reference and digest scanners, whose messages say
//! precisely what is wrong. A differential test (`tests/structure.rs`) and a fuzz
//! target hold these rules to the schema as jsonschema reads it.

use crate::json::{push_token, Kind, Node, Value};

/// The fields of an entry in the agreed form.
pub const ENTRY_FIELDS: [&str; 6] = [
    "image",
    "digest",
    "tags",
    "manifest-list-digest",
    "comment",
    "additional-images",
];

/// The fields of an item of `additional-images`.
pub const ITEM_FIELDS: [&str; 4] = ["image", "digest", "tags", "manifest-list-digest"];

/// What the schema says is wrong with one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// `required`: the object has no `image`.
    ImageMissing,
    /// `additionalProperties: false`: these keys are not allowed, in document order.
    Unexpected(Vec<String>),
    /// `type`: the value is not of the type the schema gives for it.
    WrongType,
}

/// One structural problem of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON Pointer of the value, relative to the entry (`""` for the entry itself).
    pub at: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// The structural problems of the entry object `node` (an item of `additional-images`
/// when `item`), as the schema's `#/$defs/entry` (or `additional-image`) would report
/// them. As JSON.parse and the schema's instance see it, the last of duplicate keys
/// counts. Empty for a sound entry, and then nothing is allocated.
pub fn problems(node: &Node<'_>, item: bool) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut at = String::new();
    check_object(node, item, &mut at, &mut out);
    out
}

fn check_object(node: &Node<'_>, item: bool, at: &mut String, out: &mut Vec<Problem>) {
    let Some(members) = node.members() else {
        out.push(Problem {
            at: at.clone(),
            kind: ProblemKind::WrongType,
        });
        return;
    };
    let allowed: &[&str] = if item { &ITEM_FIELDS } else { &ENTRY_FIELDS };
    let mut has_image = false;
    let mut unexpected: Vec<String> = Vec::new();
    for (index, member) in members.iter().enumerate() {
        let later = members.get(index + 1..).unwrap_or_default();
        if later.iter().any(|m| m.key == member.key) {
            continue;
        }
        let key = member.key.as_ref();
        if !allowed.contains(&key) {
            unexpected.push(key.to_owned());
            continue;
        }
        let depth = at.len();
        push_token(at, key);
        let value = &member.value;
        match key {
            "image" => {
                has_image = true;
                expect(value, Kind::String, at, out);
            }
            "tags" => {
                if let Value::Array(items) = &value.value {
                    for (i, tag) in items.iter().enumerate() {
                        if tag.node.value.kind() != Kind::String {
                            out.push(Problem {
                                at: format!("{at}/{i}"),
                                kind: ProblemKind::WrongType,
                            });
                        }
                    }
                } else {
                    expect(value, Kind::Array, at, out);
                }
            }
            "additional-images" => {
                if let Value::Array(items) = &value.value {
                    for (i, image) in items.iter().enumerate() {
                        let inner = at.len();
                        at.push('/');
                        at.push_str(&i.to_string());
                        check_object(&image.node, true, at, out);
                        at.truncate(inner);
                    }
                } else {
                    expect(value, Kind::Array, at, out);
                }
            }
            // digest, manifest-list-digest, comment
            _ => expect(value, Kind::String, at, out),
        }
        at.truncate(depth);
    }
    if !has_image {
        out.push(Problem {
            at: at.clone(),
            kind: ProblemKind::ImageMissing,
        });
    }
    if !unexpected.is_empty() {
        out.push(Problem {
            at: at.clone(),
            kind: ProblemKind::Unexpected(unexpected),
        });
    }
}

fn expect(node: &Node<'_>, kind: Kind, at: &str, out: &mut Vec<Problem>) {
    if node.value.kind() != kind {
        out.push(Problem {
            at: at.to_owned(),
            kind: ProblemKind::WrongType,
        });
    }
}
