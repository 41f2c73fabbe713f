//! The WebAssembly boundary used by the npm package (`pkg/`).
//!
//! This layer only converts values; every decision is made by the core. Results leave as
//! JSON text that the JS wrapper hands to `JSON.parse`: for reports of any size that is
//! 2-3x faster than building the JS objects field by field through the boundary, and it
//! yields plain objects and arrays with `null` for absent values, as the API promises.
//!
//! Options arrive as plain arguments rather than one deserialised object: there are only
//! three, and plain arguments need no extra crate in the `.wasm`. They are taken as
//! `JsValue` so that a wrong type becomes a clear `TypeError` here instead of whatever
//! the generated glue would make of it. `buildId` was added after the others, so it comes
//! last, after `positions`: earlier callers of the exports keep working.
//!
//! Misuse of the API (a wrong argument type, an unknown profile name, a schema that does
//! not compile) throws a JS `TypeError`; problems in the user's document never throw,
//! they are diagnostics.

use std::cell::RefCell;
use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::diagnostic::quote;
use crate::{
    compare_arches_with, reference, ArchDiagnostic, ArchDocument, BuildReport, Diagnostic, Options,
    PresencePolicy, Profile, UserSchema,
};

#[wasm_bindgen]
extern "C" {
    /// The JS `TypeError` class, bound here so that `js-sys` is not needed for two classes.
    #[wasm_bindgen(js_name = TypeError)]
    type JsTypeError;

    #[wasm_bindgen(constructor, js_class = "TypeError")]
    fn new(message: &str) -> JsTypeError;

    /// The JS `Error` class.
    #[wasm_bindgen(js_name = Error)]
    type JsError;

    #[wasm_bindgen(constructor, js_class = "Error")]
    fn new(message: &str) -> JsError;

    #[wasm_bindgen(method, setter = code)]
    fn set_code(this: &JsError, code: &str);

    #[wasm_bindgen(method, setter = offset)]
    fn set_offset(this: &JsError, offset: u32);
}

/// Runs once per instantiation, so that a panic says where it happened in the console.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn type_error(message: String) -> JsValue {
    JsTypeError::new(&message).into()
}

/// A string argument that may be left out (`undefined` or `null`).
fn optional_string(value: &JsValue, what: &str) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| type_error(format!("{what} must be a string")))
}

/// The options of one call, owned, so that `Options` can borrow from them. The schema is
/// shared with the cache, so repeated calls with the same schema text compile it once.
struct CallOptions {
    profile: Profile,
    schema: Option<Arc<UserSchema>>,
    build_id: Option<String>,
}

impl CallOptions {
    /// Reads `options.profile`, `options.schema` (JSON text) and `options.buildId`.
    fn read(profile: &JsValue, schema: &JsValue, build_id: &JsValue) -> Result<Self, JsValue> {
        let profile = match optional_string(profile, "options.profile")? {
            None => Profile::default(),
            Some(name) => Profile::from_name(&name).ok_or_else(|| {
                type_error(format!(
                    "options.profile {} is not a profile; expected \"canonical\" or \"compat\"",
                    quote(&name)
                ))
            })?,
        };
        let schema = if let Some(id) = schema.as_f64() {
            // A number from registerSchema: the wrapper forgets its numbers on a restart.
            let whole = id.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&id);
            let known = whole.then_some(id as u32).and_then(UserSchema::registered);
            Some(known.ok_or_else(|| {
                type_error(format!("options.schema: no schema is registered as {id}"))
            })?)
        } else {
            match optional_string(schema, "options.schema (as JSON text)")? {
                None => None,
                Some(text) => Some(UserSchema::cached(&text).map_err(|e| {
                    type_error(format!("options.schema cannot be used: {}", e.message))
                })?),
            }
        };
        let build_id = optional_string(build_id, "options.buildId")?;
        Ok(CallOptions {
            profile,
            schema,
            build_id,
        })
    }

    fn options(&self) -> Options<'_> {
        Options {
            profile: self.profile,
            schema: self.schema.as_deref(),
            build_id: self.build_id.as_deref(),
        }
    }
}

/// Compiles a schema given as JSON text and returns the number that names it in later
/// calls (see [`UserSchema::register`]).
#[wasm_bindgen(js_name = registerSchema)]
pub fn register_schema(text: &str) -> Result<u32, JsValue> {
    UserSchema::register(text)
        .map_err(|e| type_error(format!("options.schema cannot be used: {}", e.message)))
}

/// Serialises a result. The structs hold only strings, numbers, booleans and lists, so
/// this does not fail in practice; if it did, JS would get an error rather than a trap.
fn to_json<T: Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| JsValue::from(JsError::new(&e.to_string())))
}

/// Drops line/column when the caller passed a parsed JS value: the text was written by
/// the wrapper, so a position in it would mean nothing to the caller.
fn keep_positions(diagnostics: &mut [Diagnostic], positions: bool) {
    if positions {
        return;
    }
    for d in diagnostics {
        d.line = None;
        d.column = None;
        d.end_line = None;
        d.end_column = None;
        for r in &mut d.related {
            (r.line, r.column, r.end_line, r.end_column) = (None, None, None, None);
        }
        if let Some(fix) = &mut d.fix {
            fix.edits = None;
        }
    }
}

thread_local! {
    /// The input of the next call, written by the JS wrapper straight into this module's
    /// memory (see [`stage_input`]).
    static STAGED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Makes the staged input `len` bytes long, keeping what is already written, and returns
/// where it starts in the module's memory.
///
/// A string input is UTF-8-encoded by `TextEncoder.encodeInto` right into this buffer:
/// passing bytes instead means `TextEncoder.encode` (a second copy of the document, 17 µs
/// of a 20 KB validate) and then a copy into the module; the generated glue's own string
/// passing encodes character by character in JS, slower still. The wrapper calls this
/// first with the string's length (enough for ASCII) and again, longer, only when the
/// text is not ASCII. The next `*Staged` call takes the buffer, so nothing stays behind.
#[wasm_bindgen(js_name = stageInput)]
pub fn stage_input(len: usize) -> usize {
    STAGED.with_borrow_mut(|buffer| {
        if buffer.is_empty() {
            // Asks for zeroed memory, which the allocator need not clear when it is fresh
            // from `memory.grow` (always zero), as a big document's usually is.
            *buffer = vec![0; len];
        } else {
            buffer.resize(len, 0);
        }
        buffer.as_mut_ptr() as usize
    })
}

/// The module's `WebAssembly.Memory`, into which the wrapper writes the staged input.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// The staged input, its first `len` bytes (what the wrapper wrote), taken out of the stage.
fn take_staged(len: usize) -> Vec<u8> {
    let mut input = STAGED.with_borrow_mut(std::mem::take);
    input.truncate(len);
    input
}

/// Validates the staged input (UTF-8, `len` bytes); returns the report as JSON text.
///
/// `positions` is false when the wrapper serialised the bytes from a JS value.
#[wasm_bindgen(js_name = validateStaged)]
pub fn validate_staged(
    len: usize,
    profile: JsValue,
    schema: JsValue,
    positions: bool,
    build_id: JsValue,
) -> Result<String, JsValue> {
    let input = take_staged(len);
    let call = CallOptions::read(&profile, &schema, &build_id)?;
    let mut report = crate::validate_bytes(&input, &call.options());
    keep_positions(&mut report.diagnostics, positions);
    to_json(&report)
}

/// Upgrades the staged input (UTF-8, `len` bytes); returns the upgrade as JSON text,
/// without its output but with the edits that make it: `edits` is a list of
/// `[start, end, text]`, indices in the input as a JS string counts them (UTF-16 units).
///
/// The wrapper applies the edits to the string it already holds: a few replaced values
/// instead of a second copy of the whole document escaped here, parsed again in JS, and
/// held on both sides of the boundary at once (100 MB: peak memory 5.2x the input).
///
/// `positions` is false when the wrapper serialised the bytes from a JS value.
#[wasm_bindgen(js_name = upgradeStaged)]
pub fn upgrade_staged(
    len: usize,
    profile: JsValue,
    schema: JsValue,
    positions: bool,
    build_id: JsValue,
) -> Result<String, JsValue> {
    let input = take_staged(len);
    let call = CallOptions::read(&profile, &schema, &build_id)?;
    let mut result = crate::upgrade_bytes(&input, &call.options());
    // The output is the wrapper's to build; free it before the report is written.
    result.output = String::new();
    keep_positions(&mut result.diagnostics, positions);
    let text = crate::json::decode(&input).unwrap_or_default();
    let offsets: Vec<usize> = result.edits.iter().flat_map(|e| [e.start, e.end]).collect();
    let indices = crate::position::utf16_indices(text, &offsets);
    let edits = result
        .edits
        .iter()
        .zip(indices.chunks_exact(2))
        .map(|(edit, at)| (at[0], at[1], edit.text.as_str()))
        .collect();
    to_json(&JsUpgrade {
        changed: result.changed,
        changes: &result.changes,
        diagnostics: &result.diagnostics,
        valid: result.valid,
        profile: result.profile,
        edits,
    })
}

/// An upgrade as it crosses the boundary: without its output, with its edits.
#[derive(Serialize)]
struct JsUpgrade<'u> {
    changed: bool,
    changes: &'u [crate::Change],
    diagnostics: &'u [Diagnostic],
    valid: bool,
    profile: Profile,
    /// `[start, end, text]` in UTF-16 units of the input.
    edits: Vec<(usize, usize, &'u str)>,
}

/// Builds the release view of the staged input (UTF-8, `len` bytes); returns it as JSON
/// text.
///
/// `positions` is false when the wrapper serialised the bytes from a JS value.
#[wasm_bindgen(js_name = releaseViewStaged)]
pub fn release_view_staged(
    len: usize,
    profile: JsValue,
    build_id: JsValue,
    positions: bool,
) -> Result<String, JsValue> {
    let input = take_staged(len);
    let call = CallOptions::read(&profile, &JsValue::UNDEFINED, &build_id)?;
    let options = call.options();
    let mut view = crate::release_view_bytes(&input, &options);
    keep_positions(&mut view.diagnostics, positions);
    to_json(&view)
}

/// The documents of one build as they cross the boundary: one buffer, `inputs`, cut by
/// `lengths` (one call across the boundary instead of one per document), and the JSON text
/// of arrays with each document's architecture and file name, or `null`; `positions[i]`
/// is 0 when the wrapper serialised document `i` from a JS value.
struct JsDocuments<'i> {
    inputs: Vec<&'i [u8]>,
    arches: Vec<Option<String>>,
    names: Vec<Option<String>>,
}

impl<'i> JsDocuments<'i> {
    /// Reads them; `function` names the API function in messages.
    fn read(
        function: &str,
        inputs: &'i [u8],
        lengths: &[u32],
        arches: &str,
        names: &str,
        positions: &[u8],
    ) -> Result<Self, JsValue> {
        let arches: Vec<Option<String>> = serde_json::from_str(arches)
            .map_err(|e| type_error(format!("{function}: bad architectures: {e}")))?;
        let names: Vec<Option<String>> = serde_json::from_str(names)
            .map_err(|e| type_error(format!("{function}: bad names: {e}")))?;
        let mut documents: Vec<&[u8]> = Vec::with_capacity(lengths.len());
        let mut rest = inputs;
        for &length in lengths {
            let cut = usize::try_from(length)
                .ok()
                .and_then(|length| rest.split_at_checked(length));
            let Some((document, tail)) = cut else {
                return Err(type_error(format!(
                    "{function}: the document lengths exceed the input"
                )));
            };
            documents.push(document);
            rest = tail;
        }
        if arches.len() != documents.len()
            || names.len() != documents.len()
            || positions.len() != documents.len()
        {
            return Err(type_error(format!(
                "{function}: one architecture, name and positions flag per document are needed"
            )));
        }
        Ok(JsDocuments {
            inputs: documents,
            arches,
            names,
        })
    }

    fn documents(&self) -> Vec<ArchDocument<'_>> {
        self.inputs
            .iter()
            .zip(self.arches.iter().zip(&self.names))
            .map(|(input, (arch, name))| ArchDocument {
                arch: arch.as_deref(),
                name: name.as_deref(),
                input,
            })
            .collect()
    }
}

/// Reads `options.presence`, given as JSON text.
fn read_presence(presence: &JsValue) -> Result<PresencePolicy, JsValue> {
    match optional_string(presence, "options.presence (as JSON text)")? {
        None => Ok(PresencePolicy::default()),
        Some(text) => {
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| type_error(format!("options.presence: {e}")))?;
            PresencePolicy::from_json(&value)
                .map_err(|message| type_error(format!("options.{message}")))
        }
    }
}

/// Drops the positions of the findings in documents the wrapper serialised.
fn keep_arch_positions(diagnostics: &mut [ArchDiagnostic], positions: &[u8]) {
    for found in diagnostics {
        if positions.get(found.document) == Some(&0) {
            keep_positions(std::slice::from_mut(&mut found.diagnostic), false);
        }
    }
}

/// Compares the meta.json files of one build across architectures; returns the report
/// as JSON text.
///
/// The documents arrive as [`JsDocuments`] reads them. `presence` is the JSON text of
/// `options.presence`, when given.
#[wasm_bindgen(js_name = compareArchesBytes)]
#[allow(clippy::too_many_arguments)] // one per option, as for the other exports
pub fn compare_arches_bytes(
    inputs: &[u8],
    lengths: &[u32],
    arches: &str,
    names: &str,
    positions: &[u8],
    profile: JsValue,
    build_id: JsValue,
    presence: JsValue,
) -> Result<String, JsValue> {
    let docs = JsDocuments::read("compareArches", inputs, lengths, arches, names, positions)?;
    let call = CallOptions::read(&profile, &JsValue::UNDEFINED, &build_id)?;
    let policy = read_presence(&presence)?;
    let mut report = compare_arches_with(&docs.documents(), &call.options(), &policy);
    keep_arch_positions(&mut report.diagnostics, positions);
    to_json(&report)
}

/// Drops the positions of a build report where the wrapper serialised the document.
fn keep_build_positions(report: &mut BuildReport, positions: &[u8]) {
    for (arch, &flag) in report.arches.iter_mut().zip(positions) {
        if flag == 0 {
            keep_positions(&mut arch.report.diagnostics, false);
            keep_positions(&mut arch.release.diagnostics, false);
        }
    }
    keep_arch_positions(&mut report.diagnostics, positions);
}

/// Checks the meta.json files of one build (each document, across architectures, the
/// release metadata cosa would write); returns the report as JSON text. Arguments as
/// for [`compare_arches_bytes`].
#[wasm_bindgen(js_name = checkBuildBytes)]
#[allow(clippy::too_many_arguments)] // one per option, as for the other exports
pub fn check_build_bytes(
    inputs: &[u8],
    lengths: &[u32],
    arches: &str,
    names: &str,
    positions: &[u8],
    profile: JsValue,
    build_id: JsValue,
    presence: JsValue,
) -> Result<String, JsValue> {
    let docs = JsDocuments::read("checkBuild", inputs, lengths, arches, names, positions)?;
    let call = CallOptions::read(&profile, &JsValue::UNDEFINED, &build_id)?;
    let policy = read_presence(&presence)?;
    let mut report = crate::check_build(&docs.documents(), &call.options(), &policy);
    keep_build_positions(&mut report, positions);
    to_json(&report)
}

/// Checks a release.json (`release`, UTF-8; `release_positions` false when the wrapper
/// serialised it from a JS value) against the meta.json files of its build; returns the
/// result as JSON text. The other arguments as for [`compare_arches_bytes`].
#[wasm_bindgen(js_name = checkReleaseBytes)]
#[allow(clippy::too_many_arguments)] // one per option, as for the other exports
pub fn check_release_bytes(
    release: &[u8],
    release_positions: bool,
    inputs: &[u8],
    lengths: &[u32],
    arches: &str,
    names: &str,
    positions: &[u8],
    profile: JsValue,
    build_id: JsValue,
    presence: JsValue,
) -> Result<String, JsValue> {
    let docs = JsDocuments::read("checkRelease", inputs, lengths, arches, names, positions)?;
    let call = CallOptions::read(&profile, &JsValue::UNDEFINED, &build_id)?;
    let policy = read_presence(&presence)?;
    let mut result = crate::check_release(release, &docs.documents(), &call.options(), &policy);
    keep_build_positions(&mut result.build, positions);
    let findings = &mut result.release.diagnostics;
    keep_positions(findings, release_positions);
    for related in findings.iter_mut().flat_map(|d| d.related.iter_mut()) {
        let serialised = related
            .document
            .is_some_and(|i| positions.get(i) == Some(&0));
        if serialised {
            (related.line, related.column) = (None, None);
            (related.end_line, related.end_column) = (None, None);
        }
    }
    to_json(&result)
}

/// A parsed reference as the JS API shows it.
#[derive(Serialize)]
struct JsReference<'r> {
    /// `None` when the reference names no registry (only without normalising).
    domain: Option<&'r str>,
    path: &'r str,
    name: String,
    tag: Option<&'r str>,
    digest: Option<&'r str>,
    string: String,
}

/// Parses an image reference, strictly or with Docker's familiar normalisation.
///
/// Returns the reference as JSON text, or throws an `Error` whose `code` is the grammar
/// error kind and whose `offset` is the JS string index of the first offending character.
#[wasm_bindgen(js_name = parseReference)]
pub fn parse_reference(input: JsValue, normalize: bool) -> Result<String, JsValue> {
    let Some(input) = input.as_string() else {
        return Err(type_error(
            "parseReference expects the reference as a string".to_owned(),
        ));
    };
    let parsed = if normalize {
        reference::parse_normalized_named(&input)
    } else {
        reference::parse(&input)
    };
    match parsed {
        Ok(reference) => to_json(&JsReference {
            domain: Some(reference.domain.as_str()).filter(|d| !d.is_empty()),
            path: &reference.path,
            name: reference.name(),
            tag: reference.tag.as_deref(),
            digest: reference.digest.as_deref(),
            string: reference.to_string(),
        }),
        Err(error) => {
            let thrown = JsError::new(&error.message);
            thrown.set_code(error.kind.code());
            let prefix = input.get(..error.offset).unwrap_or(&input);
            let index = prefix.encode_utf16().count();
            thrown.set_offset(u32::try_from(index).unwrap_or(u32::MAX));
            Err(thrown.into())
        }
    }
}

/// The closest of `known` to `name` when it is a likely typo (for the wrapper's
/// `TypeError` on an unknown option key), else `undefined`.
#[wasm_bindgen(js_name = didYouMean)]
pub fn did_you_mean(name: &str, known: Vec<String>) -> Option<String> {
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    crate::suggest::did_you_mean(name, &known).map(str::to_owned)
}

/// The embedded JSON Schema, as text.
#[wasm_bindgen(js_name = schemaText)]
pub fn schema_text() -> String {
    crate::schema::EMBEDDED_SCHEMA.to_owned()
}

/// The crate version, which is also the npm package version.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Hooks for the Node test of trap recovery; only in builds with the `test-hooks`
/// feature, never in the published package.
#[cfg(feature = "test-hooks")]
mod test_hooks {
    use std::sync::atomic::{AtomicU32, Ordering};

    use wasm_bindgen::prelude::*;

    static CALLS: AtomicU32 = AtomicU32::new(0);

    /// Panics on purpose, which traps the instance (`panic = "abort"`).
    #[wasm_bindgen(js_name = __panicForTest)]
    pub fn panic_for_test(message: &str) {
        panic!("{message}");
    }

    /// Counts its calls in a static, so a test can tell a fresh instance (count restarts
    /// at 1) from the old one.
    #[wasm_bindgen(js_name = __callsForTest)]
    pub fn calls_for_test() -> u32 {
        CALLS.fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// Exports for bench/boundary.mjs (feature `boundary-bench`, never in the published
/// package): the same work as the exports above, with values crossing through
/// serde-wasm-bindgen instead of JSON text, so that the two boundaries can be timed in
/// one module. The figures and the decision are in docs/performance.md.
#[cfg(feature = "boundary-bench")]
mod boundary_bench {
    use std::cell::RefCell;

    use serde::{Deserialize, Serialize};
    use wasm_bindgen::prelude::*;

    use super::{keep_positions, take_staged, to_json, type_error, CallOptions};
    use crate::{Profile, Report, UserSchema};

    /// What the API promises of a result: `null` for absent values, plain objects for
    /// maps (the same shape `JSON.parse` gives).
    const SERIALIZER: serde_wasm_bindgen::Serializer =
        serde_wasm_bindgen::Serializer::json_compatible();

    fn to_value<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
        value.serialize(&SERIALIZER).map_err(JsValue::from)
    }

    /// A number standing for the options read, so that the engine cannot drop the work.
    fn digest(call: &CallOptions) -> u32 {
        let profile = match call.profile {
            Profile::Canonical => 1,
            Profile::Compat => 2,
        };
        let build_id = call.build_id.as_deref().map_or(0, str::len);
        profile + 4 * u32::try_from(build_id).unwrap_or(u32::MAX / 4)
    }

    /// Today's boundary for options: three separate arguments.
    #[wasm_bindgen(js_name = __benchOptionsArgs)]
    pub fn options_args(
        profile: JsValue,
        schema: JsValue,
        build_id: JsValue,
    ) -> Result<u32, JsValue> {
        Ok(digest(&CallOptions::read(&profile, &schema, &build_id)?))
    }

    /// The options object as serde-wasm-bindgen reads it.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct JsOptions {
        profile: Option<String>,
        schema: Option<f64>,
        build_id: Option<String>,
    }

    /// The options as one object, read by one `serde_wasm_bindgen::from_value`, then
    /// turned into the same `CallOptions` as [`options_args`] makes.
    #[wasm_bindgen(js_name = __benchOptionsValue)]
    pub fn options_value(options: JsValue) -> Result<u32, JsValue> {
        let read: JsOptions = if options.is_undefined() || options.is_null() {
            JsOptions {
                profile: None,
                schema: None,
                build_id: None,
            }
        } else {
            serde_wasm_bindgen::from_value(options)
                .map_err(|e| type_error(format!("options: {e}")))?
        };
        let profile = match read.profile {
            None => Profile::default(),
            Some(name) => Profile::from_name(&name)
                .ok_or_else(|| type_error("options.profile is not a profile".to_owned()))?,
        };
        let schema = match read.schema {
            None => None,
            Some(id) => {
                let whole = id.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&id);
                let known = whole.then_some(id as u32).and_then(UserSchema::registered);
                Some(known.ok_or_else(|| {
                    type_error(format!("options.schema: no schema is registered as {id}"))
                })?)
            }
        };
        Ok(digest(&CallOptions {
            profile,
            schema,
            build_id: read.build_id,
        }))
    }

    /// [`super::validate_staged`] without options, returning the report as a JS value.
    #[wasm_bindgen(js_name = __benchValidateStagedValue)]
    pub fn validate_staged_value(len: usize, positions: bool) -> Result<JsValue, JsValue> {
        let input = take_staged(len);
        let mut report = crate::validate_bytes(&input, &crate::Options::default());
        keep_positions(&mut report.diagnostics, positions);
        to_value(&report)
    }

    thread_local! {
        /// A report kept by [`keep_report`], to time its conversion alone.
        static KEPT: RefCell<Option<Report>> = const { RefCell::new(None) };
    }

    /// Validates the staged input and keeps the report; returns its number of
    /// diagnostics and entries.
    #[wasm_bindgen(js_name = __benchKeepReport)]
    pub fn keep_report(len: usize) -> usize {
        let input = take_staged(len);
        let report = crate::validate_bytes(&input, &crate::Options::default());
        let size = report.diagnostics.len() + report.entries.len();
        KEPT.with_borrow_mut(|kept| *kept = Some(report));
        size
    }

    fn with_kept<T>(f: impl FnOnce(&Report) -> Result<T, JsValue>) -> Result<T, JsValue> {
        KEPT.with_borrow(|kept| match kept {
            Some(report) => f(report),
            None => Err(type_error("no report kept".to_owned())),
        })
    }

    /// The kept report as JSON text (what the shipped exports return).
    #[wasm_bindgen(js_name = __benchReportJson)]
    pub fn report_json() -> Result<String, JsValue> {
        with_kept(to_json)
    }

    /// The kept report as a JS value, through serde-wasm-bindgen.
    #[wasm_bindgen(js_name = __benchReportValue)]
    pub fn report_value() -> Result<JsValue, JsValue> {
        with_kept(to_value)
    }

    /// A parsed JS value read by serde-wasm-bindgen into a `serde_json::Value`, written
    /// as text (the checks scan text: positions, duplicate keys, the upgrade's byte
    /// edits) and validated; the report as JSON text, as [`super::validate_staged`].
    #[wasm_bindgen(js_name = __benchValidateObject)]
    pub fn validate_object(value: JsValue) -> Result<String, JsValue> {
        let value: serde_json::Value =
            serde_wasm_bindgen::from_value(value).map_err(|e| type_error(format!("input: {e}")))?;
        let text = serde_json::to_string(&value).map_err(|e| type_error(e.to_string()))?;
        let mut report = crate::validate(&text, &crate::Options::default());
        keep_positions(&mut report.diagnostics, false);
        to_json(&report)
    }

    /// Only the first step of [`validate_object`]: the JS value into a
    /// `serde_json::Value`; returns its number of top-level members.
    #[wasm_bindgen(js_name = __benchFromValue)]
    pub fn from_value_only(value: JsValue) -> Result<usize, JsValue> {
        let value: serde_json::Value =
            serde_wasm_bindgen::from_value(value).map_err(|e| type_error(format!("input: {e}")))?;
        Ok(value.as_object().map_or(0, serde_json::Map::len))
    }
}
