// Options on the JS side, in one place. The API functions' options are Rust's to judge
// (src/params.rs: keys, types, messages); here they are only checked to be a plain object
// and written as the JSON text Rust reads (`plainOptions`, `paramsOf`). checkBuildsDir,
// which lives in JS only, has its options checked here whole, and the CLI's flags share
// its rules (profiles, build ids as directory names, positive whole numbers). Also how a
// value is named in a message (`describe`, `shown`), which api.js's input contract uses.
//
// Nothing here calls the library: the did-you-mean and Rust's option names are passed in,
// so that this module sits below api.js and every call into the WebAssembly module stays
// behind api.js's trap recovery.

const toTag = Object.prototype.toString;

/** The option keys of checkBuildsDir, in the order the messages list them. */
const BUILDS_DIR_KEYS = ['build', 'last', 'release', 'profile', 'presence', 'jobs', 'onProgress'];

/** The profiles (`options.profile`, `--profile`); Rust judges the option, the CLI checks the flag. */
export const PROFILES = ['canonical', 'compat'];

/** What `undefined` and `null` options are read as. */
export const NO_OPTIONS = Object.freeze({});

/** "a Map", "an Error": the article for a name read aloud (a URL, a Uint8Array). */
function article(name) {
  return /^[AEIO]/.test(name) ? `an ${name}` : `a ${name}`;
}

/** What `value` is, for a message: "undefined", "a string", "a Map", "an instance of Foo". */
export function describe(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'bigint':
      return 'a BigInt';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default: // an object, named below
  }
  if (Array.isArray(value)) return 'an array';
  const tag = toTag.call(value).slice(8, -1);
  let name = null;
  let ctor;
  try {
    ctor = Object.getPrototypeOf(value)?.constructor;
    if (typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== '') name = ctor.name;
  } catch {
    // A proxy whose traps throw: named by its tag below.
  }
  // A global constructor is a platform class (Map, Blob, Response, TypeError); any other
  // is the caller's own class, which the caller knows by name.
  if (name !== null && (globalThis[name] === ctor || name === tag)) return article(name);
  if (name !== null && name !== 'Object') return `an instance of ${name}`;
  if (tag !== 'Object') return article(tag);
  return 'an object whose prototype is not Object.prototype';
}

/** A value JSON.stringify shows, or its kind when it has none (checkBuildsDir's messages). */
export function shown(value) {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol' || typeof value === 'bigint') return `a ${typeof value}`;
  return JSON.stringify(value) ?? String(value);
}

/**
 * Whether `value` is an object JSON.parse could have made: prototype Object.prototype or
 * null, or another realm's Object.prototype (an object made by node:vm or in an iframe).
 */
export function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype) return true;
  // Tags tell a null-prototype record from a module namespace ("Module").
  if (proto === null) return toTag.call(value) === '[object Object]';
  return (
    Object.getPrototypeOf(proto) === null &&
    toTag.call(value) === '[object Object]' &&
    typeof proto.constructor === 'function' &&
    proto.constructor.name === 'Object'
  );
}

export function isThenable(value) {
  return typeof value?.then === 'function';
}

/** Someone passed a promise (or another thenable) where its result belongs. */
export function promiseError(value, fn, where) {
  const what = toTag.call(value) === '[object Promise]' ? 'a Promise' : 'a thenable (an object with a then() method)';
  return new TypeError(`${fn}() got ${what}${where ? ` as ${where}` : ''}; did you forget \`await\`?`);
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function listed(names) {
  const quoted = names.map((name) => JSON.stringify(name));
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

/** `{ a?, b? }` for a message. */
function shapeOf(keys) {
  return `{ ${keys.map((key) => `${key}?`).join(', ')} }`;
}

/**
 * The options object of `fn`, or NO_OPTIONS for `undefined` and `null`; anything else that
 * is not a plain object throws (JSON would turn a Map into `{}`, no options at all), with
 * the keys `names()` gives (Rust's, for an API function) in the message.
 */
export function plainOptions(options, fn, names) {
  if (options === undefined || options === null) return NO_OPTIONS;
  if (isPlainObject(options)) return options;
  if (isThenable(options)) throw promiseError(options, fn, 'options');
  throw new TypeError(`${fn}() expects options to be an object ${shapeOf(names())}, not ${describe(options)}`);
}

/**
 * The options as Rust reads them (src/params.rs): the JSON text of the object, or
 * `undefined` for no options (NO_OPTIONS: the usual call, which then costs nothing). Rust
 * knows each function's keys and types and throws the `TypeError` for an unknown key or a
 * bad value; what is done here is only what JSON cannot carry: values JSON.stringify would
 * drop or change get stand-ins. `overrides` replaces values the wrapper prepares (the
 * schema's number).
 */
export function paramsOf(options, overrides) {
  if (options === NO_OPTIONS) return undefined;
  const params = overrides === undefined ? options : { ...options, ...overrides };
  for (const key in params) {
    if (needsStandIn(params[key])) return JSON.stringify(params, standIns(params));
  }
  return JSON.stringify(params);
}

/**
 * Whether JSON.stringify would drop or change an option's value: `undefined` (the key
 * must still reach Rust: a misspelt key is misspelt whatever its value), a function, a
 * Symbol, a BigInt, NaN, or an object JSON cannot write as such (a Map, a Date).
 */
function needsStandIn(value) {
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      return true;
    case 'number':
      return !Number.isFinite(value);
    case 'object':
      return value !== null && !Array.isArray(value) && !isPlainObject(value);
    default:
      return false;
  }
}

/**
 * The replacer that writes each such top-level value as what Rust reads the same way:
 * `undefined` as `null` (absent), anything else as `true` (a wrong type, not absent).
 */
function standIns(params) {
  return function standIn(key, value) {
    if (this !== params || !needsStandIn(params[key])) return value;
    return params[key] === undefined ? null : true;
  };
}

/** A build id or architecture that names one directory below the builds directory, no more. */
export function isDirectoryName(name) {
  return typeof name === 'string' && name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

/** `options.last`, `options.jobs`: a number that is a positive whole number. */
export function isPositiveWholeNumber(value) {
  return Number.isInteger(value) && value > 0;
}

/** `--last N`, `--jobs N`: text that is a positive whole number. */
export const WHOLE_NUMBER_TEXT = /^[1-9][0-9]*$/;

/**
 * The options of checkBuildsDir, checked; throws a TypeError for each misuse, before
 * anything is read. `suggest(key, known)` is the did-you-mean for an unknown key. What
 * checkBuild judges (profile, presence) is returned in `checkOptions` for it to judge.
 */
export function buildsDirOptionsOf(options, suggest) {
  const known = BUILDS_DIR_KEYS;
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`checkBuildsDir() expects options to be an object { ${known.map((k) => `${k}?`).join(', ')} }, not ${shown(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const close = suggest(key, known);
    const rest = close ? `did you mean ${JSON.stringify(close)}?` : `the options are ${known.map((k) => JSON.stringify(k)).join(', ')}`;
    throw new TypeError(`checkBuildsDir(): unknown option ${JSON.stringify(key)}; ${rest}`);
  }
  const { build, last, release, profile, presence, jobs, onProgress } = options;
  let builds;
  if (build !== undefined && build !== null) {
    builds = typeof build === 'string' ? [build] : build;
    if (!Array.isArray(builds) || builds.length === 0 || !builds.every(isDirectoryName)) {
      throw new TypeError(`checkBuildsDir() expects options.build to be a build id or a non-empty array of build ids, not ${shown(build)}`);
    }
  }
  if (last !== undefined && last !== null && !isPositiveWholeNumber(last)) {
    throw new TypeError(`checkBuildsDir() expects options.last to be a positive whole number, not ${shown(last)}`);
  }
  if (jobs !== undefined && jobs !== null && !isPositiveWholeNumber(jobs)) {
    throw new TypeError(`checkBuildsDir() expects options.jobs to be a positive whole number (worker threads), not ${shown(jobs)}`);
  }
  if (onProgress !== undefined && onProgress !== null && typeof onProgress !== 'function') {
    throw new TypeError(`checkBuildsDir() expects options.onProgress to be a function, not ${shown(onProgress)}`);
  }
  let releaseInput;
  if (release !== undefined && release !== null) {
    if (typeof release === 'string') releaseInput = release;
    else if (release instanceof Uint8Array) releaseInput = release;
    else if (ArrayBuffer.isView(release)) releaseInput = new Uint8Array(release.buffer, release.byteOffset, release.byteLength);
    else if (release instanceof ArrayBuffer) releaseInput = new Uint8Array(release);
    else throw new TypeError(`checkBuildsDir() expects options.release to be a release.json as text or bytes, not ${shown(release)}`);
  }
  const checkOptions = {};
  if (profile !== undefined && profile !== null) checkOptions.profile = profile;
  if (presence !== undefined && presence !== null) checkOptions.presence = presence;
  return { builds, last: last ?? undefined, release: releaseInput, jobs: jobs ?? 1, onProgress: onProgress ?? undefined, checkOptions };
}
