//! Format-preserving upgrade to the agreed form: the fixes the report's findings carry
//! (see [`crate::fix`]), applied to the text.

use serde::Serialize;

use crate::diagnostic::Edit;
use crate::diagnostic::{Diagnostic, Fix, Profile};
use crate::document::{analyze, finish, Options};
use crate::entry::Change;
use crate::fix;
use crate::json;

/// The result of an upgrade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Upgrade {
    /// The upgraded text (the input itself when nothing changed).
    pub output: String,
    /// The edits that turn the input into `output`, in order and not overlapping; none
    /// when nothing changed. The JS wrapper applies them to the caller's own string rather
    /// than copying a whole new document across the boundary.
    #[serde(skip)]
    pub edits: Vec<Edit>,
    /// Whether `output` differs from the input.
    pub changed: bool,
    /// What was changed, in document order.
    pub changes: Vec<Change>,
    /// The findings that remain in `output`.
    pub diagnostics: Vec<Diagnostic>,
    /// True when `output` has no error.
    pub valid: bool,
    /// The profile used.
    pub profile: Profile,
}

/// Upgrades UTF-8 `input`. Bytes that are not UTF-8 are returned unchanged (decoded
/// lossily, since the output is text) with their `json-syntax` finding.
pub fn upgrade_bytes(input: &[u8], options: &Options<'_>) -> Upgrade {
    match json::decode(input) {
        Ok(text) => upgrade(text, options),
        Err(_) => {
            let report = crate::document::validate_bytes(input, options);
            Upgrade {
                output: String::from_utf8_lossy(input).into_owned(),
                edits: Vec::new(),
                changed: false,
                changes: Vec::new(),
                diagnostics: report.diagnostics,
                valid: report.valid,
                profile: options.profile,
            }
        }
    }
}

/// Upgrades `text`: applies the fix of every fixable finding and nothing else.
///
/// The fixes are the report's own (each finding carries the edits of its object), so what
/// upgrade does is what validate showed. Two different fixes that overlap are a planning
/// bug: nothing is applied (the findings stay, still fixable), and a debug build stops.
pub fn upgrade(text: &str, options: &Options<'_>) -> Upgrade {
    let mut analysis = analyze(text, options);
    let fixes: Vec<&Fix> = analysis
        .diagnostics
        .items()
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .collect();
    let mut edits = match fix::merge(&fixes) {
        Ok(edits) => edits,
        Err(overlap) => {
            debug_assert!(false, "overlapping fixes: {overlap:?}");
            Vec::new()
        }
    };
    in_utf16_units(text, &mut edits);
    let changes: Vec<Change> = if edits.is_empty() {
        Vec::new()
    } else {
        analysis
            .checked
            .plans
            .iter()
            .filter(|plan| fixes.iter().any(|f| f.object == plan.pointer))
            .flat_map(|plan| plan.changes.iter().cloned())
            .collect()
    };
    if edits.is_empty() {
        let lines = analysis.take_line_index();
        let report = finish(
            text.as_bytes(),
            analysis.diagnostics,
            analysis.checked.entries,
            options.profile,
            lines,
        );
        return Upgrade {
            output: text.to_owned(),
            edits: Vec::new(),
            changed: false,
            changes,
            diagnostics: report.diagnostics,
            valid: report.valid,
            profile: options.profile,
        };
    }
    // The input's tree and line starts are not needed once the edits are made; at 100 MB
    // they would sit beside the output's own while it is checked.
    drop(analysis);
    let output = apply(text, &edits);
    let after = crate::document::validate(&output, options);
    Upgrade {
        changed: output != text,
        output,
        edits,
        changes,
        diagnostics: after.diagnostics,
        valid: after.valid,
        profile: options.profile,
    }
}

/// Gives `edits` their range in UTF-16 units (the fixes they come from are merged before
/// the report's positions are filled in, so they still hold byte offsets there).
fn in_utf16_units(text: &str, edits: &mut [Edit]) {
    let offsets: Vec<usize> = edits
        .iter()
        .flat_map(|e| [e.bytes.start, e.bytes.end])
        .collect();
    let units = crate::position::utf16_indices(text, &offsets);
    for (edit, at) in edits.iter_mut().zip(units.chunks_exact(2)) {
        if let [start, end] = *at {
            (edit.start, edit.end) = (start, end);
        }
    }
}

/// Applies `edits` (in order, not overlapping: [`fix::merge`]) to `text`.
fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut at = 0;
    for edit in edits {
        out.push_str(text.get(at..edit.bytes.start).unwrap_or_default());
        out.push_str(&edit.text);
        at = edit.bytes.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}
