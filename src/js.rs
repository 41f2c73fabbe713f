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
    compare_arches_with, reference, ArchDocument, Diagnostic, Options, PresencePolicy, Profile,
    UserSchema,
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

/// Upgrades the staged input (UTF-8, `len` bytes); returns `[report, output]`: the
/// upgrade without its output as JSON text, and the output as a string of its own, or
/// `[report]` when nothing changed.
///
/// The output travels outside the JSON: inside it, it would be escaped here and parsed
/// again in JS (for a 5 MB document most of the call, and a third of the memory), and an
/// unchanged output is the text the wrapper already holds.
///
/// `positions` is false when the wrapper serialised the bytes from a JS value.
#[wasm_bindgen(js_name = upgradeStaged)]
pub fn upgrade_staged(
    len: usize,
    profile: JsValue,
    schema: JsValue,
    positions: bool,
    build_id: JsValue,
) -> Result<Vec<String>, JsValue> {
    let input = take_staged(len);
    let call = CallOptions::read(&profile, &schema, &build_id)?;
    let mut result = crate::upgrade_bytes(&input, &call.options());
    keep_positions(&mut result.diagnostics, positions);
    let report = to_json(&JsUpgrade::from(&result))?;
    Ok(if result.changed {
        vec![report, result.output]
    } else {
        vec![report]
    })
}

/// An upgrade as it crosses the boundary, without its output.
#[derive(Serialize)]
struct JsUpgrade<'u> {
    changed: bool,
    changes: &'u [crate::Change],
    diagnostics: &'u [Diagnostic],
    valid: bool,
    profile: Profile,
}

impl<'u> From<&'u crate::Upgrade> for JsUpgrade<'u> {
    fn from(result: &'u crate::Upgrade) -> Self {
        JsUpgrade {
            changed: result.changed,
            changes: &result.changes,
            diagnostics: &result.diagnostics,
            valid: result.valid,
            profile: result.profile,
        }
    }
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

/// Compares the meta.json files of one build across architectures; returns the report
/// as JSON text.
///
/// The documents arrive as one buffer, `inputs`, cut by `lengths` (one call across the
/// boundary instead of one per document); `arches` and `names` are the JSON text of
/// arrays with each document's architecture and file name, or `null`; `positions[i]` is
/// 0 when the wrapper serialised document `i` from a JS value. `presence` is the JSON
/// text of `options.presence`, when given.
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
    let arches: Vec<Option<String>> = serde_json::from_str(arches)
        .map_err(|e| type_error(format!("compareArches: bad architectures: {e}")))?;
    let names: Vec<Option<String>> = serde_json::from_str(names)
        .map_err(|e| type_error(format!("compareArches: bad names: {e}")))?;
    let call = CallOptions::read(&profile, &JsValue::UNDEFINED, &build_id)?;
    let policy = match optional_string(&presence, "options.presence (as JSON text)")? {
        None => PresencePolicy::default(),
        Some(text) => {
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| type_error(format!("options.presence: {e}")))?;
            PresencePolicy::from_json(&value)
                .map_err(|message| type_error(format!("options.{message}")))?
        }
    };
    let mut documents: Vec<&[u8]> = Vec::with_capacity(lengths.len());
    let mut rest = inputs;
    for &length in lengths {
        let cut = usize::try_from(length)
            .ok()
            .and_then(|length| rest.split_at_checked(length));
        let Some((document, tail)) = cut else {
            return Err(type_error(
                "compareArches: the document lengths exceed the input".to_owned(),
            ));
        };
        documents.push(document);
        rest = tail;
    }
    if arches.len() != documents.len()
        || names.len() != documents.len()
        || positions.len() != documents.len()
    {
        return Err(type_error(
            "compareArches: one architecture, name and positions flag per document are needed"
                .to_owned(),
        ));
    }
    let arch_documents: Vec<ArchDocument<'_>> = documents
        .iter()
        .zip(arches.iter().zip(&names))
        .map(|(input, (arch, name))| ArchDocument {
            arch: arch.as_deref(),
            name: name.as_deref(),
            input,
        })
        .collect();
    let mut report = compare_arches_with(&arch_documents, &call.options(), &policy);
    for found in &mut report.diagnostics {
        if positions.get(found.document) == Some(&0) {
            keep_positions(std::slice::from_mut(&mut found.diagnostic), false);
        }
    }
    to_json(&report)
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
