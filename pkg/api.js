// The JS API shared by the Node and browser entries. It only converts values between JS
// and the generated bindings; every decision is made in Rust.
//
// Two modules in wasm/ (the glue wasm-bindgen generates): oscontainer.js/oscontainer_bg.wasm,
// the core everyone loads, and
// oscontainer_schema.js/oscontainer_schema_bg.wasm, the same core with jsonschema for
// `options.schema`, loaded only when a schema is given (Node: synchronously on first use;
// browsers: `await loadSchemaSupport()`). Each is an `Engine` here: its instance, its
// staging memory, its compiled schemas and its trap recovery.
//
// Four things live here rather than in Rust because Rust cannot do them:
// - the kind of each argument is checked before anything is serialised (the input
//   contract below): once JSON.stringify has turned a Promise or a Map into `{}`, Rust
//   cannot tell it from an empty document;
// - a parsed JS value given as input is serialised with JSON.stringify;
// - a string is encoded into the module's memory (`stage`), where Rust reads it;
// - when the instance traps (a Rust panic is `unreachable` with panic = "abort"; stack
//   overflow or running out of memory are traps too), its memory and stack pointer are
//   left mid-call, so the instance is replaced by a fresh one from the same compiled
//   WebAssembly.Module before the error is thrown. The next call then works.
//
// This is the one module that calls into the glue (every call through `guarded`); the
// entries (node.js, browser.js) only instantiate it. The option objects are checked by
// options.js, with the did-you-mean from here.

import * as wasm from './wasm/oscontainer.js';
import {
  describe,
  isPlainObject,
  isThenable,
  listed,
  paramsOf,
  plainOptions,
  promiseError,
} from './options.js';

/** The package version; tests check that it equals package.json and the crate. */
export const version = '0.1.0';

// Strings go to Rust as UTF-8 written by TextEncoder.encodeInto straight into the
// module's memory (`stage`): the generated glue's character loop is slower for ASCII text
// (the usual meta.json; 20 KB: ~170 µs instead of ~100 µs per validate), and
// `encode` plus a copy costs a second copy of the document in time and memory.
// Lone surrogates become U+FFFD either way.
const encoder = new TextEncoder();
// A byte-order mark is kept, as in the bytes Rust read: the offsets of its edits count it.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** One level more than the Rust scanner follows (json::MAX_DEPTH = 128). */
const TOO_DEEP = 129;

function isTrap(error) {
  return (
    error instanceof WebAssembly.RuntimeError ||
    error instanceof RangeError || // V8 and JavaScriptCore: stack overflow inside wasm
    error?.name === 'InternalError' // Firefox: "too much recursion"
  );
}

// Schemas an instance has compiled, by text, as the numbers Rust gave them: a page or a
// CLI run checks many documents against one schema, and sending 30 KB of schema text on
// every call was a fifth of the call. Rust keeps its last 16 numbers; this keeps fewer.
const SCHEMA_IDS = 8;

/** One WebAssembly module's instance, as the functions below use it. */
class Engine {
  constructor(glue) {
    this.glue = glue;
    this.ready = false;
    this.needsReset = false;
    /** The instance's WebAssembly.Memory; a new instance (after a trap) has a new one. */
    this.memory = null;
    this.schemaIds = new Map();
  }

  /** Forgets what belonged to the old instance and makes a fresh one. */
  reset() {
    this.glue.__wbg_reset_state();
    this.schemaIds.clear();
    this.memory = null;
    this.needsReset = false;
  }

  /**
   * Runs `call` against the instance; on a trap, replaces the instance and throws an
   * Error with code "internal-error" instead.
   */
  guarded(name, call) {
    if (!this.ready) {
      throw new Error(`oscontainer: ${name}() was called before the module was loaded; await init() first`);
    }
    if (this.needsReset) this.reset();
    try {
      return call();
    } catch (error) {
      if (!isTrap(error)) throw error;
      this.needsReset = true;
      try {
        this.reset();
      } catch {
        // Retried before the next call.
      }
      const crash = /** @type {Error & { code?: string }} */ (new Error(
        `oscontainer: the WebAssembly instance crashed in ${name}() (${error.name}: ${error.message}); ` +
          'it has been restarted and the next call will work. This is a bug: please report it ' +
          'with the input (the panic message, if any, is on the console).',
        { cause: error },
      ));
      crash.code = 'internal-error';
      throw crash;
    }
  }

  /** The memory of the current instance, as bytes from `at` on (`length` of them). */
  memoryBytes(at, length) {
    this.memory ??= this.glue.wasmMemory();
    return new Uint8Array(this.memory.buffer, at, length);
  }

  /**
   * Writes the source into the instance's staged input and returns its length in bytes.
   * Called inside `guarded`: staging a huge document can run the module out of memory.
   */
  stage(source) {
    const { glue } = this;
    if (source.bytes !== null) {
      const { bytes } = source;
      this.memoryBytes(glue.stageInput(bytes.length), bytes.length).set(bytes);
      return bytes.length;
    }
    const { text } = source;
    // One byte per UTF-16 unit is enough for ASCII; otherwise what is left takes at most
    // three bytes per unit (a surrogate pair: four bytes for two units).
    let at = glue.stageInput(text.length);
    let { read, written } = encoder.encodeInto(text, this.memoryBytes(at, text.length));
    if (read < text.length) {
      const length = written + (text.length - read) * 3;
      at = glue.stageInput(length);
      written += encoder.encodeInto(text.slice(read), this.memoryBytes(at + written, length - written)).written;
    }
    return written;
  }

  /** The schema option as Rust takes it: the number of the compiled schema, or nothing. */
  schemaId(schema) {
    if (schema === undefined || schema === null) return schema;
    const text = typeof schema === 'string' ? schema : JSON.stringify(schema);
    let id = this.schemaIds.get(text);
    if (id === undefined) {
      id = this.guarded('registerSchema', () => this.glue.registerSchema(text));
      if (this.schemaIds.size >= SCHEMA_IDS) this.schemaIds.delete(this.schemaIds.keys().next().value);
      this.schemaIds.set(text, id);
    }
    return id;
  }
}

/** The core every call uses, unless it is given a schema. */
const core = new Engine(wasm);
/** The core with jsonschema, once loaded. */
let withSchemas = null;
/** How the Node entry loads it synchronously on first use; browsers await it instead. */
let loadSchemaModule = null;

/** Called by an entry once the core's instance exists. */
export function markReady() {
  core.ready = true;
}

/** Called by an entry once the schema module's glue has its instance. */
export function attachSchemaSupport(glue) {
  withSchemas ??= new Engine(glue);
  withSchemas.ready = true;
}

/** The Node entry's synchronous loader of the schema module. */
export function setSchemaLoader(load) {
  loadSchemaModule = load;
}

/** Loads the schema module now, where that can be done synchronously (Node). */
export function loadSchemaModuleNow() {
  if (withSchemas === null && loadSchemaModule !== null) loadSchemaModule();
}

/** The engine for a call: the core, or the schema module when a schema is given. */
function engineFor(fn, schema) {
  if (schema === undefined || schema === null) return core;
  loadSchemaModuleNow();
  if (withSchemas === null) {
    throw new TypeError(
      `${fn}(): options.schema needs the schema module, which is loaded on request: \`await loadSchemaSupport()\` once first`,
    );
  }
  return withSchemas;
}

/**
 * Runs `call` against the core's instance, recovering from a trap. Exported for the
 * trap-recovery test only.
 */
export function guarded(name, call) {
  return core.guarded(name, call);
}

// ---- The input contract -------------------------------------------------------------
//
// What a function accepts is checked on the top-level value only (shallow, so a large
// parsed document costs nothing extra): JSON text, bytes, or a value JSON.parse could
// return. Everything else is a mistake (a forgotten `await`, a Map, a Blob, a Response)
// that JSON.stringify would quietly turn into `{}` or nothing, so it throws instead.

const toTag = Object.prototype.toString;

const INPUT_KINDS =
  'JSON text (a string), UTF-8 bytes (a Uint8Array, ArrayBuffer or other ArrayBufferView) or a JSON value';

/** The keys of one document of compareArches, checkBuild and checkRelease, and the item as messages show it. */
const DOC_KEYS = ['arch', 'name', 'input'];
const DOC_SHAPE = '{ arch?, name?, input }';

/** What to add when the value holds the text but must be read first. */
function readFirst(value) {
  const tag = toTag.call(value);
  if (tag === '[object Blob]' || tag === '[object File]') return '; read it first: `await blob.text()`';
  if (tag === '[object Response]' || tag === '[object Request]') return '; read its body first: `await response.text()`';
  return '';
}

/** The bytes of an ArrayBuffer, SharedArrayBuffer or ArrayBufferView, without a copy; else null. */
function bytesOf(value) {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  const tag = toTag.call(value);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new Uint8Array(value);
  return null;
}

/**
 * The input as JSON text (`text`) or UTF-8 bytes (`bytes`), and whether positions in it
 * mean anything to the caller. `where` names an input inside an argument
 * (`docs[2].input`); `indent` is how to write a parsed value.
 */
function sourceOf(input, fn, where, indent) {
  if (typeof input === 'string') return { text: input, bytes: null, positions: true };
  const isObject = input !== null && typeof input === 'object';
  if (isObject) {
    const bytes = bytesOf(input);
    if (bytes !== null) return { text: null, bytes, positions: true };
    if (!Array.isArray(input)) {
      if (isThenable(input)) throw promiseError(input, fn, where);
      if (!isPlainObject(input)) throw inputError(input, fn, where);
    }
  } else if (input !== null && typeof input !== 'boolean' && typeof input !== 'number') {
    throw inputError(input, fn, where);
  }
  let text;
  try {
    text = indent ? JSON.stringify(input, null, indent) : JSON.stringify(input);
  } catch (error) {
    // A value nested deeper than JSON.stringify can follow (a RangeError, the JS stack)
    // is far deeper than Rust follows too; hand Rust text that nests exactly as far as
    // it reads, so the finding is its own `nesting-too-deep`, not a throw.
    // (Only a stack overflow: "Invalid string length" is a RangeError too.)
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      text = '['.repeat(TOO_DEEP);
    } else {
      // Deeper inside: a BigInt, a cycle, a throwing toJSON.
      throw new TypeError(`${fn}() cannot write ${where ?? 'its input'} as JSON: ${error.message}`, { cause: error });
    }
  }
  if (typeof text !== 'string') {
    // Only a toJSON() that returns undefined gets here.
    throw new TypeError(`${fn}() cannot write ${where ?? 'its input'} as JSON: JSON.stringify gives undefined`);
  }
  return { text, bytes: null, positions: false };
}

function inputError(input, fn, where) {
  const expects = where ? `${fn}() expects ${where} to be` : `${fn}() expects`;
  return new TypeError(`${expects} ${INPUT_KINDS}, not ${describe(input)}${readFirst(input)}`);
}

/**
 * The did-you-mean for an unknown key, from Rust (only on this error path); before the
 * module is loaded there is none, and the message lists the keys instead.
 */
function suggestion(fn, key, known) {
  if (!core.ready) return undefined;
  const close = core.guarded(fn, () => wasm.didYouMean(key, known));
  return close === undefined || close === null ? undefined : close;
}

/** The options object of `fn`: a plain object or NO_OPTIONS (options.js), named by Rust's keys. */
function optionsObject(options, fn) {
  return plainOptions(options, fn, () => core.guarded(fn, () => wasm.optionNames(fn)) ?? []);
}

/**
 * The closest of `known` to `name` (src/suggest.rs), or undefined: the did-you-mean of the
 * CLI and of oscontainer/fs, through the trap recovery as every call into the module.
 * Throws, as every function here, when the module is not loaded yet.
 */
export function didYouMean(name, known) {
  const close = core.guarded('didYouMean', () => wasm.didYouMean(name, known));
  return close === undefined || close === null ? undefined : close;
}

/**
 * The engine, and the options as Rust reads them, of a call that may carry a schema. A
 * schema is compiled (or loaded) only once the options are known to be right, so that a
 * misspelt key is named before anything is compiled.
 */
function documentCall(fn, options) {
  const opts = optionsObject(options, fn);
  const schemaOption = opts.schema;
  if (schemaOption === undefined || schemaOption === null) return { engine: core, params: paramsOf(opts) };
  core.guarded(fn, () => core.glue.checkParams(fn, paramsOf(opts, { schema: null })));
  const engine = engineFor(fn, schemaOption);
  return { engine, params: paramsOf(opts, { schema: engine.schemaId(schemaOption) }) };
}

export function validate(input, options) {
  const source = sourceOf(input, 'validate', undefined, 0);
  const { engine, params } = documentCall('validate', options);
  return JSON.parse(
    engine.guarded('validate', () => engine.glue.validateStaged(engine.stage(source), source.positions, params)),
  );
}

export function upgrade(input, options) {
  // A parsed value is written back with 4-space indentation, as coreos-assembler writes.
  const source = sourceOf(input, 'upgrade', undefined, 4);
  const { engine, params } = documentCall('upgrade', options);
  const report = engine.guarded('upgrade', () =>
    engine.glue.upgradeStaged(engine.stage(source), source.positions, params),
  );
  const { edits, ...result } = JSON.parse(report);
  const original = source.text ?? textOf(source.bytes);
  return { output: applyEdits(original, edits), ...result };
}

/**
 * The upgraded text: the input with Rust's edits (`{ start, end, text }`, UTF-16 indices:
 * the one `Edit` shape) applied. V8 keeps the unchanged stretches as slices of the input, so a 100 MB document
 * with a few fixed entries is not copied again.
 */
function applyEdits(input, edits) {
  if (edits.length === 0) return input;
  let output = '';
  let at = 0;
  for (const { start, end, text } of edits) {
    output += input.slice(at, start) + text;
    at = end;
  }
  return output + input.slice(at);
}

/** Bytes as text; a view of shared memory is copied first (browsers' TextDecoder refuses it). */
function textOf(bytes) {
  const shared = toTag.call(bytes.buffer) === '[object SharedArrayBuffer]';
  return decoder.decode(shared ? bytes.slice() : bytes);
}

export function releaseView(input, options) {
  const source = sourceOf(input, 'releaseView', undefined, 0);
  const params = paramsOf(optionsObject(options, 'releaseView'));
  return JSON.parse(
    core.guarded('releaseView', () => wasm.releaseViewStaged(core.stage(source), source.positions, params)),
  );
}

/** `docs[i].arch` or `docs[i].name`: a string, or absent (`undefined`/`null`, sent as `null`). */
function optionalString(doc, key, i, fn) {
  const value = doc[key] ?? null;
  if (value !== null && typeof value !== 'string') {
    throw new TypeError(`${fn}() expects docs[${i}].${key} to be a string, not ${describe(value)}`);
  }
  return value;
}

/**
 * The options of a build function as Rust reads them, checked before the documents are
 * read (as the options of every function are): what JSON cannot carry of
 * `options.presence` here, the rest in Rust.
 */
function buildParamsOf(options, fn) {
  const opts = optionsObject(options, fn);
  const { presence } = opts;
  if (presence !== undefined && presence !== null) {
    // Rust judges the rules; a Map here would reach it as `{}`, no rules at all.
    if (!isPlainObject(presence)) {
      throw new TypeError(
        `options.presence must be an object of entry keys to "all", "any" or a list of architectures, not ${describe(presence)}`,
      );
    }
    try {
      JSON.stringify(presence);
    } catch (error) {
      throw new TypeError(`${fn}() cannot write options.presence as JSON: ${error.message}`, { cause: error });
    }
  }
  const params = paramsOf(opts);
  if (params !== undefined) core.guarded(fn, () => core.glue.checkParams(fn, params));
  return params;
}

/** `docs` must be an array (checked before the options, each item after them). */
function checkDocsArray(docs, fn) {
  if (!Array.isArray(docs)) {
    if (isThenable(docs)) throw promiseError(docs, fn);
    throw new TypeError(`${fn}() expects an array of ${DOC_SHAPE} objects, one per architecture, not ${describe(docs)}`);
  }
}

/**
 * The documents of one build as Rust takes them: one buffer (a single crossing of the
 * boundary for all of them, the release first when there is one) and the JSON text of
 * its layout (src/params.rs, `Layout`): each document's architecture, name, length and
 * whether positions in it mean anything.
 */
function documentsOf(docs, fn, release) {
  const parts = [];
  const documents = [];
  const layout = { documents };
  let total = 0;
  const add = (source) => {
    const bytes = source.bytes ?? encoder.encode(source.text);
    parts.push(bytes);
    total += bytes.length;
    return { length: bytes.length, positions: source.positions };
  };
  if (release !== undefined) layout.release = add(release);
  docs.forEach((doc, i) => {
    if (!isPlainObject(doc)) {
      if (isThenable(doc)) throw promiseError(doc, fn, `docs[${i}]`);
      throw new TypeError(`${fn}() expects docs[${i}] to be an object ${DOC_SHAPE}, not ${describe(doc)}`);
    }
    for (const key in doc) {
      if (!DOC_KEYS.includes(key)) {
        const close = suggestion(fn, key, DOC_KEYS);
        const rest = close !== undefined ? `did you mean ${JSON.stringify(close)}?` : `the keys are ${listed(DOC_KEYS)}`;
        throw new TypeError(`${fn}(): docs[${i}] has an unknown key ${JSON.stringify(key)}; ${rest}`);
      }
    }
    const arch = optionalString(doc, 'arch', i, fn);
    const name = optionalString(doc, 'name', i, fn);
    const source = sourceOf(doc.input, fn, `docs[${i}].input`, 0);
    documents.push({ arch, name, ...add(source) });
  });
  const inputs = new Uint8Array(total);
  let at = 0;
  for (const bytes of parts) {
    inputs.set(bytes, at);
    at += bytes.length;
  }
  return { inputs, layout: JSON.stringify(layout) };
}

export function compareArches(docs, options) {
  checkDocsArray(docs, 'compareArches');
  const params = buildParamsOf(options, 'compareArches');
  const d = documentsOf(docs, 'compareArches');
  return JSON.parse(core.guarded('compareArches', () => wasm.compareArchesBytes(d.inputs, d.layout, params)));
}

export function checkBuild(docs, options) {
  checkDocsArray(docs, 'checkBuild');
  const params = buildParamsOf(options, 'checkBuild');
  const d = documentsOf(docs, 'checkBuild');
  return JSON.parse(core.guarded('checkBuild', () => wasm.checkBuildBytes(d.inputs, d.layout, params)));
}

export function checkRelease(release, docs, options) {
  const source = sourceOf(release, 'checkRelease', 'release', 0);
  checkDocsArray(docs, 'checkRelease');
  const params = buildParamsOf(options, 'checkRelease');
  const d = documentsOf(docs, 'checkRelease', source);
  return JSON.parse(core.guarded('checkRelease', () => wasm.checkReleaseBytes(d.inputs, d.layout, params)));
}

export function readBuildsIndex(input) {
  let bytes;
  if (typeof input === 'string') bytes = encoder.encode(input);
  else if (input !== null && typeof input === 'object') bytes = bytesOf(input);
  if (bytes === undefined || bytes === null) {
    if (isThenable(input)) throw promiseError(input, 'readBuildsIndex');
    // A parsed value has lost what the findings are about: duplicate keys, positions.
    const what = isPlainObject(input) || Array.isArray(input) ? 'a parsed JSON value' : describe(input);
    throw new TypeError(
      `readBuildsIndex() expects builds.json as text (a string) or bytes (a Uint8Array, ArrayBuffer or other ArrayBufferView), not ${what}${readFirst(input)}`,
    );
  }
  return JSON.parse(core.guarded('readBuildsIndex', () => wasm.readBuildsIndex(bytes)));
}

export function parseReference(ref, options) {
  if (typeof ref !== 'string') {
    if (isThenable(ref)) throw promiseError(ref, 'parseReference');
    throw new TypeError(`parseReference() expects the reference as a string, not ${describe(ref)}`);
  }
  const params = paramsOf(optionsObject(options, 'parseReference'));
  return JSON.parse(core.guarded('parseReference', () => wasm.parseReference(ref, params)));
}

export function schema() {
  return JSON.parse(core.guarded('schema', () => wasm.schemaText()));
}
