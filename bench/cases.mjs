// What the benchmark measures, shared by the harness (run.mjs) and its child processes
// (child-rss.mjs, child-cold.mjs): the package under test, the ajv anchors, the corpus.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const rootDir = fileURLToPath(new URL('../', import.meta.url));
export const benchDir = fileURLToPath(new URL('./', import.meta.url));
export const corpusRoot = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
export const cosaSchemaPath = `${corpusRoot}cosa-schema/coreos-coreos-assembler__src_v1.json@05db482e6.json`;
export const defaultPkgDir = `${rootDir}pkg/`;

/** The package's Node entry, imported from `pkgDir` (default: the repository's pkg/). */
export async function loadPackage(pkgDir = defaultPkgDir) {
  return import(pathToFileURL(`${pkgDir.replace(/\/?$/, '/')}node.js`).href);
}

/**
 * cosa's v1.json for ajv. ajv refuses it as it is: the same `$id` (e.g. `#/image/digest`)
 * stands in two definitions ("resolves to more than one schema"), so the nested `$id`s
 * are dropped: they are labels, no `$ref` uses them (all are `#/definitions/...`). It
 * also needs `strict: false` for cosa's non-standard keyword `optional`. Our package
 * gets the file as it is.
 */
export function cosaSchemaForAjv(schema) {
  const strip = (value, top) => {
    if (Array.isArray(value)) return value.map((v) => strip(v, false));
    if (value === null || typeof value !== 'object') return value;
    const out = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === '$id' && !top) continue;
      out[key] = strip(v, false);
    }
    return out;
  };
  return strip(schema, true);
}

/** ajv validators, compiled once: our rules (bench/ajv-schema.json) and cosa's v1.json. */
export async function loadAjv() {
  const { default: Ajv } = await import('ajv');
  const ours = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(`${benchDir}ajv-schema.json`, 'utf8')));
  const cosaText = readFileSync(cosaSchemaPath, 'utf8');
  const cosa = new Ajv({ allErrors: true, strict: false }).compile(cosaSchemaForAjv(JSON.parse(cosaText)));
  return { ours, cosa, cosaText };
}

/** Consumes a result so that no engine can drop the call. */
export function consume(result) {
  if (result === true || result === false) return result ? 1 : 2;
  if (result && typeof result === 'object') return 3;
  return typeof result === 'number' ? result | 0 : 4;
}

/**
 * The measured cases for one document `doc` ({ text, bytes, obj }). `env` has the package
 * (`api`), the ajv validators and cosa's schema text.
 */
export function caseFunctions(env, doc) {
  const { api, ajv } = env;
  return {
    'JSON.parse': () => JSON.parse(doc.text),
    'JSON.parse+ajv': () => {
      const ok = ajv.ours(JSON.parse(doc.text));
      return ok || ajv.ours.errors.length;
    },
    'JSON.parse+ajv(cosa)': () => {
      const ok = ajv.cosa(JSON.parse(doc.text));
      return ok || ajv.cosa.errors.length;
    },
    'validate(string)': () => api.validate(doc.text),
    'validate(bytes)': () => api.validate(doc.bytes),
    'validate(object)': () => api.validate(doc.obj),
    'upgrade(string)': () => api.upgrade(doc.text),
    'validate(string,cosa)': () => api.validate(doc.text, { schema: ajv.cosaText }),
  };
}

/**
 * Extra cases on the 20 KB document only: the floors that bound our time (the string
 * transfer, and a whole call on `{}`: the per-call overhead issue 13 caps at 2 µs), and
 * the cost of passing cosa's schema as an object (stringified on every call) instead of text.
 */
export function extraFunctions(env, doc) {
  const { api, ajv } = env;
  const encoder = new TextEncoder();
  const target = new Uint8Array(doc.text.length * 3);
  const cosaObject = JSON.parse(ajv.cosaText);
  const empty = new TextEncoder().encode('{}');
  return {
    'floor: TextEncoder.encodeInto': () => encoder.encodeInto(doc.text, target).written,
    'floor: TextEncoder.encode': () => encoder.encode(doc.text),
    'floor: validate("{}")': () => api.validate('{}'),
    'floor: validate(bytes "{}")': () => api.validate(empty),
    'validate(string,cosa object)': () => api.validate(doc.text, { schema: cosaObject }),
  };
}

/**
 * The corpus meta.json files as [name, text]. Missing corpus: an error under CI (env CI
 * set), else null and the reason.
 */
export function corpusMeta() {
  const dir = `${corpusRoot}meta/`;
  if (!existsSync(dir)) {
    const reason = `corpus folder ${dir} is missing`;
    if (process.env.CI) throw new Error(`${reason} (CI is set, so this is a failure)`);
    return { files: null, reason };
  }
  const names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  return { files: names.map((n) => [n, readFileSync(`${dir}${n}`, 'utf8')]), reason: null };
}

/** A document record from its text. */
export function docRecord(name, text, { object = true } = {}) {
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  return { name, text, bytes, size: bytes.length, obj: object ? JSON.parse(text) : null };
}
