// The JS API shared by the Node and browser entries. It only converts values between JS
// and the generated bindings (oscontainer.js); every decision is made in Rust.
//
// Three things live here rather than in Rust because Rust cannot do them:
// - a parsed JS value given as input is serialised with JSON.stringify;
// - a string is encoded into the module's memory (`stage`), where Rust reads it;
// - when the instance traps (a Rust panic is `unreachable` with panic = "abort"; stack
//   overflow or running out of memory are traps too), its memory and stack pointer are
//   left mid-call, so the instance is replaced by a fresh one from the same compiled
//   WebAssembly.Module before the error is thrown. The next call then works.

import * as wasm from './oscontainer.js';

/** The package version; tests check that it equals package.json and the crate. */
export const version = '0.1.0';

let ready = false;
let needsReset = false;
/** The instance's WebAssembly.Memory; a new instance (after a trap) has a new one. */
let memory = null;

/** Called by an entry once the instance exists. */
export function markReady() {
  ready = true;
}

// Strings go to Rust as UTF-8 written by TextEncoder.encodeInto straight into the
// module's memory (`stage`): the generated glue's character loop is slower for ASCII text
// (the usual meta.json; 20 KB: ~170 µs instead of ~100 µs per validate), and
// `encode` plus a copy costs a second copy of the document in time and memory.
// Lone surrogates become U+FFFD either way.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One level more than the Rust scanner follows (json::MAX_DEPTH = 128). */
const TOO_DEEP = 129;

function isBytes(value) {
  return value instanceof Uint8Array || Object.prototype.toString.call(value) === '[object Uint8Array]';
}

function isTrap(error) {
  return (
    error instanceof WebAssembly.RuntimeError ||
    error instanceof RangeError || // V8 and JavaScriptCore: stack overflow inside wasm
    error?.name === 'InternalError' // Firefox: "too much recursion"
  );
}

/**
 * Runs `call` against the instance; on a trap, replaces the instance and throws an
 * Error with code "internal-error" instead. Exported for the trap-recovery test only.
 */
export function guarded(name, call) {
  if (!ready) {
    throw new Error(`oscontainer: ${name}() was called before the module was loaded; await init() first`);
  }
  if (needsReset) {
    wasm.__wbg_reset_state();
    schemaIds.clear();
    memory = null;
    needsReset = false;
  }
  try {
    return call();
  } catch (error) {
    if (!isTrap(error)) throw error;
    needsReset = true;
    try {
      wasm.__wbg_reset_state();
      schemaIds.clear();
      memory = null;
      needsReset = false;
    } catch {
      // Retried before the next call.
    }
    const crash = new Error(
      `oscontainer: the WebAssembly instance crashed in ${name}() (${error.name}: ${error.message}); ` +
        'it has been restarted and the next call will work. This is a bug: please report it ' +
        'with the input (the panic message, if any, is on the console).',
      { cause: error },
    );
    crash.code = 'internal-error';
    throw crash;
  }
}

/**
 * The input as JSON text (`text`) or UTF-8 bytes (`bytes`), and whether positions in it
 * mean anything to the caller.
 */
function sourceOf(input, name, indent) {
  if (typeof input === 'string') return { text: input, bytes: null, positions: true };
  if (isBytes(input)) return { text: null, bytes: input, positions: true };
  let text;
  try {
    text = indent ? JSON.stringify(input, null, indent) : JSON.stringify(input);
  } catch (error) {
    // A value nested deeper than JSON.stringify can follow (a RangeError, the JS stack)
    // is far deeper than Rust follows too; hand Rust text that nests exactly as far as
    // it reads, so the finding is its own `nesting-too-deep`, not a throw.
    // (Only a stack overflow: "Invalid string length" is a RangeError too.)
    if (!(error instanceof RangeError && /call stack/i.test(error.message))) throw error;
    text = '['.repeat(TOO_DEEP);
  }
  if (typeof text !== 'string') {
    throw new TypeError(
      `${name}() expects JSON text (a string), UTF-8 bytes (a Uint8Array) or a JSON value, not ${typeof input}`,
    );
  }
  return { text, bytes: null, positions: false };
}

/** The memory of the current instance, as bytes from `at` on (`length` of them). */
function memoryBytes(at, length) {
  memory ??= wasm.wasmMemory();
  return new Uint8Array(memory.buffer, at, length);
}

/**
 * Writes the source into the instance's staged input and returns its length in bytes.
 * Called inside `guarded`: staging a huge document can run the module out of memory.
 */
function stage(source) {
  if (source.bytes !== null) {
    const { bytes } = source;
    memoryBytes(wasm.stageInput(bytes.length), bytes.length).set(bytes);
    return bytes.length;
  }
  const { text } = source;
  // One byte per UTF-16 unit is enough for ASCII; otherwise what is left takes at most
  // three bytes per unit (a surrogate pair: four bytes for two units).
  let at = wasm.stageInput(text.length);
  let { read, written } = encoder.encodeInto(text, memoryBytes(at, text.length));
  if (read < text.length) {
    const length = written + (text.length - read) * 3;
    at = wasm.stageInput(length);
    written += encoder.encodeInto(text.slice(read), memoryBytes(at + written, length - written)).written;
  }
  return written;
}

// Schemas the instance has compiled, by text, as the numbers Rust gave them: a page or a
// CLI run checks many documents against one schema, and sending 30 KB of schema text on
// every call was a fifth of the call. Rust keeps its last 16 numbers; this keeps fewer.
const schemaIds = new Map();
const SCHEMA_IDS = 8;

/** The schema option as Rust takes it: the number of the compiled schema, or nothing. */
function schemaText(schema) {
  if (schema === undefined || schema === null) return schema;
  const text = typeof schema === 'string' ? schema : JSON.stringify(schema);
  let id = schemaIds.get(text);
  if (id === undefined) {
    id = guarded('registerSchema', () => wasm.registerSchema(text));
    if (schemaIds.size >= SCHEMA_IDS) schemaIds.delete(schemaIds.keys().next().value);
    schemaIds.set(text, id);
  }
  return id;
}

export function validate(input, options) {
  const source = sourceOf(input, 'validate', 0);
  const profile = options?.profile;
  const schema = schemaText(options?.schema);
  const buildId = options?.buildId;
  return JSON.parse(
    guarded('validate', () => wasm.validateStaged(stage(source), profile, schema, source.positions, buildId)),
  );
}

export function upgrade(input, options) {
  // A parsed value is written back with 4-space indentation, as coreos-assembler writes.
  const source = sourceOf(input, 'upgrade', 4);
  const profile = options?.profile;
  const schema = schemaText(options?.schema);
  const buildId = options?.buildId;
  const [report, changedOutput] = guarded('upgrade', () =>
    wasm.upgradeStaged(stage(source), profile, schema, source.positions, buildId),
  );
  // The output comes apart from the report, and not at all when it is the input's text.
  const output = changedOutput ?? source.text ?? decoder.decode(source.bytes);
  return { output, ...JSON.parse(report) };
}

export function releaseView(input, options) {
  const source = sourceOf(input, 'releaseView', 0);
  const profile = options?.profile;
  const buildId = options?.buildId;
  return JSON.parse(
    guarded('releaseView', () => wasm.releaseViewStaged(stage(source), profile, buildId, source.positions)),
  );
}

export function compareArches(docs) {
  if (!Array.isArray(docs)) {
    throw new TypeError('compareArches() expects an array of { arch?, input } objects, one per architecture');
  }
  const parts = [];
  const arches = [];
  const positions = new Uint8Array(docs.length);
  let total = 0;
  docs.forEach((doc, i) => {
    if (doc === null || typeof doc !== 'object') {
      throw new TypeError(`compareArches() expects docs[${i}] to be an object { arch?, input }`);
    }
    const arch = doc.arch ?? null;
    if (arch !== null && typeof arch !== 'string') {
      throw new TypeError(`compareArches() expects docs[${i}].arch to be a string, not ${typeof arch}`);
    }
    if (doc.input === undefined) {
      throw new TypeError(`compareArches() expects docs[${i}].input: JSON text, UTF-8 bytes or a JSON value`);
    }
    const source = sourceOf(doc.input, 'compareArches', 0);
    const bytes = source.bytes ?? encoder.encode(source.text);
    const keep = source.positions;
    parts.push(bytes);
    arches.push(arch);
    positions[i] = keep ? 1 : 0;
    total += bytes.length;
  });
  // One buffer and the lengths: a single crossing of the boundary for all documents.
  const inputs = new Uint8Array(total);
  const lengths = new Uint32Array(parts.length);
  let at = 0;
  parts.forEach((bytes, i) => {
    inputs.set(bytes, at);
    lengths[i] = bytes.length;
    at += bytes.length;
  });
  const archText = JSON.stringify(arches);
  return JSON.parse(guarded('compareArches', () => wasm.compareArchesBytes(inputs, lengths, archText, positions)));
}

export function parseReference(ref, options) {
  const normalize = Boolean(options?.normalize);
  return JSON.parse(guarded('parseReference', () => wasm.parseReference(ref, normalize)));
}

export function schema() {
  return JSON.parse(guarded('schema', () => wasm.schemaText()));
}
