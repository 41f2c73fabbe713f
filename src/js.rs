//! The WebAssembly boundary used by the npm package (`pkg/`).
//!
//! This layer only converts values; every decision is made by the core. Every export that
//! checks documents takes `(staged input, params)`: the input as the wrapper laid it out
//! (a staged length and whether positions in it mean anything, or a buffer of documents
//! and their [`Layout`]), then the options as the JSON text of one object, read into the
//! function's own struct in [`crate::params`] (absent: no options). Results leave as JSON
//! text that the JS wrapper hands to `JSON.parse`: for reports of any size that is 2-3x
//! faster than building the JS objects field by field through the boundary, and it yields
//! plain objects and arrays with `null` for absent values, as the API promises.
//!
//! Misuse of the API (an unknown option, a wrong option type, a schema that does not
//! compile) throws a JS `TypeError`; problems in the user's document never throw, they
//! are diagnostics.

use std::cell::RefCell;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::params::{
    BuildParams, CallOptions, DocumentParams, Layout, Misuse, Params, ParseReferenceParams,
    ReleaseViewParams,
};
use crate::{
    compare_arches_with, reference, ArchDiagnostic, BuildReport, Diagnostic, Edit, UserSchema,
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

impl From<Misuse> for JsValue {
    fn from(misuse: Misuse) -> JsValue {
        type_error(misuse.0)
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

/// The staged input and the options of `function` (`validate` or `upgrade`).
fn staged_document(
    function: &str,
    len: usize,
    params: Option<String>,
) -> Result<(Vec<u8>, CallOptions), JsValue> {
    let input = take_staged(len);
    Ok((
        input,
        DocumentParams::read(function, params.as_deref())?.resolve()?,
    ))
}

/// Validates the staged input (UTF-8, `len` bytes; `positions` false when the wrapper
/// serialised it from a JS value); returns the report as JSON text.
#[wasm_bindgen(js_name = validateStaged)]
pub fn validate_staged(
    len: usize,
    positions: bool,
    params: Option<String>,
) -> Result<String, JsValue> {
    let (input, call) = staged_document("validate", len, params)?;
    let mut report = crate::validate_bytes(&input, &call.options());
    keep_positions(&mut report.diagnostics, positions);
    to_json(&report)
}

/// Upgrades the staged input (arguments as for [`validate_staged`]); returns the upgrade
/// as JSON text, without its output but with the edits that make it, in UTF-16 units of
/// the input as a JS string counts them.
///
/// The wrapper applies the edits to the string it already holds: a few replaced values
/// instead of a second copy of the whole document escaped here, parsed again in JS, and
/// held on both sides of the boundary at once (100 MB: peak memory 5.2x the input).
#[wasm_bindgen(js_name = upgradeStaged)]
pub fn upgrade_staged(
    len: usize,
    positions: bool,
    params: Option<String>,
) -> Result<String, JsValue> {
    let (input, call) = staged_document("upgrade", len, params)?;
    let mut result = crate::upgrade_bytes(&input, &call.options());
    // The output is the wrapper's to build; free it before the report is written.
    result.output = String::new();
    keep_positions(&mut result.diagnostics, positions);
    to_json(&JsUpgrade {
        changed: result.changed,
        changes: &result.changes,
        diagnostics: &result.diagnostics,
        valid: result.valid,
        profile: result.profile,
        edits: &result.edits,
    })
}

/// An upgrade as it crosses the boundary: without its output, with its edits.
#[derive(Serialize)]
struct JsUpgrade<'u> {
    changed: bool,
    changes: &'u [crate::Change],
    diagnostics: &'u [Diagnostic],
    valid: bool,
    profile: crate::Profile,
    edits: &'u [Edit],
}

/// Builds the release view of the staged input (arguments as for [`validate_staged`]);
/// returns it as JSON text.
#[wasm_bindgen(js_name = releaseViewStaged)]
pub fn release_view_staged(
    len: usize,
    positions: bool,
    params: Option<String>,
) -> Result<String, JsValue> {
    let input = take_staged(len);
    let call = ReleaseViewParams::read("releaseView", params.as_deref())?.resolve();
    let mut view = crate::release_view_bytes(&input, &call.options());
    keep_positions(&mut view.diagnostics, positions);
    to_json(&view)
}

/// Drops the positions of the findings in documents the wrapper serialised.
fn keep_arch_positions(diagnostics: &mut [ArchDiagnostic], positions: &[bool]) {
    for found in diagnostics {
        if positions.get(found.document) == Some(&false) {
            keep_positions(std::slice::from_mut(&mut found.diagnostic), false);
        }
    }
}

/// Compares the meta.json files of one build across architectures: `inputs` holds them one
/// after the other as `layout` (JSON text of a [`Layout`]) says; returns the report as
/// JSON text.
#[wasm_bindgen(js_name = compareArchesBytes)]
pub fn compare_arches_bytes(
    inputs: &[u8],
    layout: &str,
    params: Option<String>,
) -> Result<String, JsValue> {
    let (call, policy) = BuildParams::read("compareArches", params.as_deref())?.resolve();
    let docs = Layout::read("compareArches", layout, inputs)?;
    let mut report = compare_arches_with(&docs.documents(), &call.options(), &policy);
    keep_arch_positions(&mut report.diagnostics, &docs.positions());
    to_json(&report)
}

/// Drops the positions of a build report where the wrapper serialised the document.
fn keep_build_positions(report: &mut BuildReport, positions: &[bool]) {
    for (arch, &flag) in report.arches.iter_mut().zip(positions) {
        if !flag {
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
pub fn check_build_bytes(
    inputs: &[u8],
    layout: &str,
    params: Option<String>,
) -> Result<String, JsValue> {
    let (call, policy) = BuildParams::read("checkBuild", params.as_deref())?.resolve();
    let docs = Layout::read("checkBuild", layout, inputs)?;
    let mut report = crate::check_build(&docs.documents(), &call.options(), &policy);
    keep_build_positions(&mut report, &docs.positions());
    to_json(&report)
}

/// Checks a release.json against the meta.json files of its build: `inputs` holds the
/// release first, then the documents, as `layout` says; returns the result as JSON text.
#[wasm_bindgen(js_name = checkReleaseBytes)]
pub fn check_release_bytes(
    inputs: &[u8],
    layout: &str,
    params: Option<String>,
) -> Result<String, JsValue> {
    let (call, policy) = BuildParams::read("checkRelease", params.as_deref())?.resolve();
    let docs = Layout::read("checkRelease", layout, inputs)?;
    let (Some(release), Some(release_layout)) = (docs.release, &docs.layout.release) else {
        return Err(type_error(
            "checkRelease: the layout names no release".to_owned(),
        ));
    };
    let mut result = crate::check_release(release, &docs.documents(), &call.options(), &policy);
    let positions = docs.positions();
    keep_build_positions(&mut result.build, &positions);
    let findings = &mut result.release.diagnostics;
    keep_positions(findings, release_layout.positions);
    for related in findings.iter_mut().flat_map(|d| d.related.iter_mut()) {
        let serialised = related
            .document
            .is_some_and(|i| positions.get(i) == Some(&false));
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
pub fn parse_reference(input: JsValue, params: Option<String>) -> Result<String, JsValue> {
    let Some(input) = input.as_string() else {
        return Err(type_error(
            "parseReference expects the reference as a string".to_owned(),
        ));
    };
    let normalize = ParseReferenceParams::read("parseReference", params.as_deref())?.normalize;
    let parsed = if normalize.is_some_and(|n| n.0) {
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

/// Throws the `TypeError` for options of `function` (JSON text) that it would refuse.
#[wasm_bindgen(js_name = checkParams)]
pub fn check_params(function: &str, params: Option<String>) -> Result<(), JsValue> {
    Ok(crate::params::check(function, params.as_deref())?)
}

/// The option names of `function` (`validate`, …), for the wrapper's message about an
/// options value that is not an object; `undefined` for a name that is not a function.
#[wasm_bindgen(js_name = optionNames)]
pub fn option_names(function: &str) -> Option<Vec<String>> {
    crate::params::option_names(function)
        .map(|fields| fields.iter().map(|f| f.name.to_owned()).collect())
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

/// Reads a builds.json (its bytes, as read from the file: bytes that are not UTF-8 are a
/// finding of their own) into the builds index, returned as JSON text: the builds, the
/// layout and the findings `checkBuildsDir` and the page's builds view both show.
#[wasm_bindgen(js_name = readBuildsIndex)]
pub fn read_builds_index(input: &[u8]) -> Result<String, JsValue> {
    to_json(&crate::read_builds_index(input))
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

    use super::{keep_positions, take_staged, to_json, type_error};
    use crate::params::{CallOptions, DocumentParams, Params};
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

    /// The shipped boundary for options: the JSON text of the options object.
    #[wasm_bindgen(js_name = __benchOptionsJson)]
    pub fn options_json(params: Option<String>) -> Result<u32, JsValue> {
        Ok(digest(
            &DocumentParams::read("validate", params.as_deref())?.resolve()?,
        ))
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
    /// turned into the same `CallOptions` as [`options_json`] makes.
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
