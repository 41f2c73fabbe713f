//! Fixes: the text edits that carry out an entry's plan, attached to the findings they fix.
//!
//! The plan (what to change) comes from the entry checks; this module decides how to write
//! it so that the output differs from the input inside the changed entries and nowhere
//! else. New members copy the layout of the object they join (its indentation, newline
//! style and `": "` spacing), compact objects stay compact, and in an object whose keys are
//! already sorted new keys take their sorted place.
//!
//! One entry object (or additional image) is rewritten at once, so every finding that a
//! plan fixes carries the same fix: the object's edits. `upgrade` applies each distinct fix
//! once; two different fixes never overlap (objects do not nest, an additional image's
//! object lies inside `additional-images`, which its entry's edits never touch).

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::entry::{json_string, keys_sorted, Plan};
use crate::json::{last_member, Item, Member, Node, Value};

/// What the fixes need of an analysed document: its text and tree.
pub(crate) struct Source<'s, 'a> {
    pub text: &'a str,
    pub root: &'s Node<'a>,
}

/// Gives each finding that `plans` fix (by code and pointer, as the plan records them) the
/// fix of its object. A plan whose object cannot be found writes nothing, and its findings
/// keep no fix.
pub(crate) fn attach(source: &Source<'_, '_>, plans: &[Plan], diagnostics: &mut [Diagnostic]) {
    for plan in plans {
        let Some(mut edits) = plan_edits(source, plan) else {
            continue;
        };
        edits.sort_by_key(|e| (e.bytes.start, e.bytes.end));
        let fix = Fix {
            description: plan
                .changes
                .iter()
                .map(|c| c.message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            edits: Some(edits),
            object: plan.pointer.clone(),
        };
        for d in diagnostics.iter_mut().filter(|d| d.fixable) {
            if plan
                .changes
                .iter()
                .any(|c| c.code == d.code && c.pointer == d.pointer)
            {
                d.fix = Some(fix.clone());
            }
        }
    }
}

/// Two fixes that would edit the same bytes: a bug in the planning, never a choice to make
/// silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    /// The object of the fix applied first.
    pub first: String,
    /// The object of the fix that overlaps it.
    pub second: String,
}

/// The edits of `fixes` in order, each distinct fix once; an error when two different
/// fixes overlap (touch the same bytes, or insert at the same place).
pub fn merge(fixes: &[&Fix]) -> Result<Vec<Edit>, Overlap> {
    let mut distinct: Vec<&Fix> = Vec::new();
    for fix in fixes {
        if !distinct.contains(fix) {
            distinct.push(fix);
        }
    }
    let mut edits: Vec<(&str, Edit)> = distinct
        .iter()
        .flat_map(|fix| {
            let object = fix.object.as_str();
            fix.edits.iter().flatten().map(move |e| (object, e.clone()))
        })
        .collect();
    edits.sort_by_key(|(_, e)| (e.bytes.start, e.bytes.end));
    for pair in edits.windows(2) {
        let [(first, a), (second, b)] = pair else {
            continue;
        };
        // An insertion where another edit starts: which text goes first would be a guess.
        let touches = b.bytes.start < a.bytes.end
            || (b.bytes.start == a.bytes.start && (a.is_insert() || b.is_insert()));
        if first != second && touches {
            return Err(Overlap {
                first: (*first).to_owned(),
                second: (*second).to_owned(),
            });
        }
    }
    Ok(edits.into_iter().map(|(_, e)| e).collect())
}

/// Finds the node at `pointer` in the analysed document.
fn node_at<'n, 'a>(source: &'n Source<'n, 'a>, pointer: &str) -> Option<&'n Node<'a>> {
    source.root.locate(pointer).map(|(n, _)| n)
}

/// Whether new members should take their sorted place in the entry object.
///
/// Own keys in order decide for objects of three or more keys; with fewer, order may be
/// chance, so the object's place among its siblings must look sorted too.
fn object_sorted(source: &Source<'_, '_>, pointer: &str, members: &[Member<'_>]) -> bool {
    let own = keys_sorted(members);
    if members.len() >= 3 || !own {
        return own;
    }
    let Some((parent_pointer, token)) = pointer.rsplit_once('/') else {
        return false;
    };
    match node_at(source, parent_pointer).map(|n| &n.value) {
        Some(Value::Object(siblings)) => {
            let key = token.replace("~1", "/").replace("~0", "~");
            let Some(index) = siblings.iter().rposition(|m| m.key == key.as_str()) else {
                return false;
            };
            let before = index.checked_sub(1).and_then(|i| siblings.get(i));
            let after = siblings.get(index + 1);
            (before.is_some() || after.is_some())
                && before.is_none_or(|b| b.key <= siblings[index].key)
                && after.is_none_or(|a| siblings[index].key <= a.key)
        }
        // An additional image: follow the entry that lists it.
        Some(Value::Array(_)) => parent_pointer
            .rsplit_once('/')
            .and_then(|(entry, _)| node_at(source, entry))
            .and_then(Node::members)
            .is_some_and(|m| m.len() >= 2 && keys_sorted(m)),
        _ => false,
    }
}

/// The text edits that carry out `plan`.
fn plan_edits(source: &Source<'_, '_>, plan: &Plan) -> Option<Vec<Edit>> {
    let text = source.text;
    let pointer = plan.pointer.as_str();
    let object = node_at(source, pointer)?;
    let members = object.members()?;
    // New members follow `image`; fixes that only rewrite values need no image.
    let image = last_member(members, "image");
    let anchor = image.or(members.first())?;
    let layout = Layout::of(text, object, members, anchor);
    let sorted = object_sorted(source, pointer, members);

    let mut edits = Vec::new();
    let mut inserts: Vec<(String, String)> = Vec::new();
    if let (Some(new_image), Some(image)) = (&plan.image, image) {
        edits.push(replace(&image.value, json_string(new_image)));
    }
    if let Some(digest) = &plan.digest {
        match last_member(members, "digest") {
            Some(m) => edits.push(replace(&m.value, json_string(digest))),
            None => inserts.push(("digest".to_owned(), json_string(digest))),
        }
    }
    if let Some(tags) = &plan.tags {
        match last_member(members, "tags") {
            Some(m) => {
                let array = match &m.value.value {
                    Value::Array(items) if !items.is_empty() => {
                        layout.rewrite_array(text, items, tags)
                    }
                    _ => layout.new_array(tags),
                };
                edits.push(replace(&m.value, array));
            }
            None => inserts.push(("tags".to_owned(), layout.new_array(tags))),
        }
    }
    if inserts.is_empty() {
        return Some(edits);
    }
    let sep = layout.separator.as_str();
    if sorted {
        // Each new member goes before the first existing key that sorts after it.
        let mut pieces: Vec<(usize, String)> = Vec::new();
        for (key, value) in &inserts {
            let member_text = layout.member(key, value);
            let (at, piece) = match members.iter().find(|m| m.key.as_ref() > key.as_str()) {
                Some(next) => (next.key_span.start, format!("{member_text},{sep}")),
                None => (
                    members.last()?.value.span.end,
                    format!(",{sep}{member_text}"),
                ),
            };
            match pieces.iter_mut().find(|(pos, _)| *pos == at) {
                Some((_, existing)) => existing.push_str(&piece),
                None => pieces.push((at, piece)),
            }
        }
        for (at, piece) in pieces {
            edits.push(Edit::of_bytes(at..at, piece));
        }
    } else {
        let mut piece = String::new();
        for (key, value) in &inserts {
            piece.push(',');
            piece.push_str(sep);
            piece.push_str(&layout.member(key, value));
        }
        let end = anchor.value.span.end;
        edits.push(Edit::of_bytes(end..end, piece));
    }
    Some(edits)
}

fn replace(node: &Node<'_>, text: String) -> Edit {
    Edit::of_bytes(node.span.start..node.span.end, text)
}

/// How an object is laid out, to write new members the same way.
struct Layout<'t> {
    /// Between key and value, e.g. `": "` → here `: `.
    colon: &'t str,
    /// Whitespace before a member, e.g. `\n        `.
    member_ws: &'t str,
    /// Whitespace after a comma between members.
    separator: String,
    /// One level of indentation, when the object spans lines.
    unit: Option<String>,
}

impl<'t> Layout<'t> {
    fn of(text: &'t str, object: &Node<'_>, members: &[Member<'_>], anchor: &Member<'_>) -> Self {
        let colon = text
            .get(anchor.key_span.end..anchor.value.span.start)
            .unwrap_or(": ");
        let member_ws = text
            .get(anchor.lead..anchor.key_span.start)
            .unwrap_or_default();
        let unit = if member_ws.contains('\n') {
            let last_end = members
                .last()
                .map_or(object.span.start, |m| m.value.span.end);
            let close_ws = text
                .get(last_end..object.span.end.saturating_sub(1))
                .unwrap_or_default();
            let indent = after_newline(member_ws);
            let close_indent = after_newline(close_ws);
            Some(match indent.strip_prefix(close_indent) {
                Some(unit) if !unit.is_empty() && close_ws.contains('\n') => unit.to_owned(),
                _ => "    ".to_owned(),
            })
        } else {
            None
        };
        let separator = if member_ws.contains('\n') {
            member_ws.to_owned()
        } else if let Some(second) = members.get(1) {
            text.get(second.lead..second.key_span.start)
                .unwrap_or_default()
                .to_owned()
        } else if !member_ws.is_empty() || colon.ends_with(' ') {
            " ".to_owned()
        } else {
            String::new()
        };
        Layout {
            colon,
            member_ws,
            separator,
            unit,
        }
    }

    fn member(&self, key: &str, value: &str) -> String {
        format!("{}{}{}", json_string(key), self.colon, value)
    }

    /// A new array, laid out as the object is.
    fn new_array(&self, items: &[String]) -> String {
        let quoted = items;
        match &self.unit {
            Some(unit) => {
                let item_ws = format!("{}{}", self.member_ws, unit);
                format!(
                    "[{item_ws}{}{}]",
                    quoted.join(&format!(",{item_ws}")),
                    self.member_ws
                )
            }
            None => {
                let sep = if self.colon.ends_with(' ') { ", " } else { "," };
                format!("[{}]", quoted.join(sep))
            }
        }
    }

    /// `items` rewritten in the layout of an existing non-empty array.
    fn rewrite_array(&self, text: &str, existing: &[Item<'_>], items: &[String]) -> String {
        let quoted = items;
        let (Some(first), Some(last)) = (existing.first(), existing.last()) else {
            return self.new_array(items);
        };
        let open_ws = text
            .get(first.lead..first.node.span.start)
            .unwrap_or_default();
        let array_end = text
            .get(last.node.span.end..)
            .and_then(|rest| rest.find(']'))
            .map_or(last.node.span.end, |i| last.node.span.end + i);
        let close_ws = text.get(last.node.span.end..array_end).unwrap_or_default();
        let sep = match existing.get(1) {
            Some(second) => format!(
                ",{}",
                text.get(second.lead..second.node.span.start)
                    .unwrap_or_default()
            ),
            None if open_ws.contains('\n') => format!(",{open_ws}"),
            None if self.colon.ends_with(' ') => ", ".to_owned(),
            None => ",".to_owned(),
        };
        format!("[{open_ws}{}{close_ws}]", quoted.join(&sep))
    }
}

fn after_newline(ws: &str) -> &str {
    ws.rfind('\n')
        .map_or(ws, |i| ws.get(i + 1..).unwrap_or_default())
}
