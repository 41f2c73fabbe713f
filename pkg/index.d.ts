// Types of the oscontainer package (the same for the Node and the browser entry).

/** A JSON value, as `JSON.parse` returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, e.g. a JSON Schema. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * What to check: JSON text; its UTF-8 bytes as a `Uint8Array`, or as any `ArrayBuffer`
 * (a `SharedArrayBuffer` too) or `ArrayBufferView` (`DataView`, `Buffer`, any typed
 * array), whose bytes are read as they lie in memory; or an already-parsed value, as
 * `JSON.parse` returns it (`null`, a boolean, a number, an array, or an object whose
 * prototype is `Object.prototype` or `null`). For a parsed value there is no text of the
 * caller's, so diagnostics have `line`/`column` `null`.
 *
 * Anything else throws a `TypeError` that names it: a Promise ("did you forget
 * `await`?"), a `Map`, a `Set`, a function, a `Blob` or `Response` (read its text first),
 * an instance of a class, `undefined`, a symbol, a BigInt. Only the value itself is
 * checked, not what a parsed value contains; what `JSON.stringify` cannot write inside it
 * (a BigInt, a cycle) throws a `TypeError` too.
 */
export type Input = string | Uint8Array | ArrayBuffer | SharedArrayBuffer | ArrayBufferView | JsonValue;

/** `canonical` (the default) is the agreed form; `compat` tolerates legacy shapes with warnings. */
export type Profile = 'canonical' | 'compat';

export type Severity = 'error' | 'warning' | 'info';

// begin generated DiagnosticCode: `make codes` writes this from src/diagnostic.rs; edit there
/** The stable diagnostic codes (see the table in docs/diagnostics.md). */
export type DiagnosticCode =
  | 'json-syntax'
  | 'nesting-too-deep'
  | 'not-an-object'
  | 'duplicate-key'
  | 'number-out-of-range'
  | 'lone-surrogate'
  | 'no-entries'
  | 'entry-not-object'
  | 'entry-is-artifact'
  | 'image-missing'
  | 'image-not-string'
  | 'image-invalid'
  | 'image-embedded-digest'
  | 'image-has-tag'
  | 'image-not-qualified'
  | 'digest-missing'
  | 'digest-invalid'
  | 'digest-conflict'
  | 'tags-not-array'
  | 'tag-invalid'
  | 'tag-duplicate'
  | 'manifest-list-digest-invalid'
  | 'digest-equals-manifest-list'
  | 'digest-maybe-manifest-list'
  | 'additional-images-not-array'
  | 'additional-image-not-object'
  | 'comment-not-string'
  | 'unknown-field'
  | 'schema-violation'
  | 'floating-tag-missing'
  | 'floating-tag-ambiguous'
  | 'build-id-missing'
  | 'release-field-missing'
  | 'release-field-invalid'
  | 'release-reference-invalid'
  | 'arch-digest-shared'
  | 'arch-entry-missing'
  | 'arch-entry-subset'
  | 'arch-image-mismatch'
  | 'arch-tags-mismatch'
  | 'arch-manifest-list-mismatch'
  | 'arch-build-mismatch'
  | 'arch-duplicate'
  | 'arch-unknown'
  | 'release-image-mismatch'
  | 'release-digest-mismatch'
  | 'release-arch-missing'
  | 'release-arch-extra'
  | 'release-build-mismatch'
  | 'release-invalid'
  | 'builds-json-invalid'
  | 'builds-schema-unsupported';
// end generated DiagnosticCode

// begin generated options types: `make codes` writes this from src/params.rs; edit there
/**
 * Options of `validate` and `upgrade`. Every function's options may be left out, or be
 * `undefined` or `null` (no options); otherwise they must be a plain object, and a key the
 * function does not know throws a `TypeError` (`unknown option "buildid"; did you mean
 * "buildId"?`).
 */
export interface Options {
  /** Which rules apply; default `"canonical"`. Anything else throws a `TypeError`. */
  profile?: Profile;
  /**
   * An extra JSON Schema for the whole document (e.g. cosa's `v1.json`), as an object or
   * as JSON text. Compiled once per distinct text and cached. A schema that does not
   * compile throws a `TypeError`. It runs in the schema module: loaded by itself in Node,
   * after `await loadSchemaSupport()` in browsers.
   */
  schema?: string | JsonObject | boolean;
  /**
   * The build id, to tell floating tags (`stable`) from build tags (`36.20221014.3.0`)
   * in each entry's `readiness`; default: the document's `buildid`.
   */
  buildId?: string;
}

/** Options of `releaseView`. */
export interface ReleaseOptions {
  /** Severities of the document-level findings; default `"canonical"`. */
  profile?: Profile;
  /** The build id; default: the document's `buildid`. */
  buildId?: string;
}

/** Options of `compareArches`. */
export interface CompareOptions {
  /** Which rules apply; default `"canonical"`. */
  profile?: Profile;
  /** The build id; default: each document's `buildid`. */
  buildId?: string;
  /**
   * Where each entry key must be present, overriding the pipelines' defaults
   * (`base-oscontainer`, `oscontainer` and `extensions-container` on all arches or none,
   * `kubevirt` on any); an invalid value throws a `TypeError`.
   */
  presence?: Partial<Record<EntryKey, Presence>>;
}

/** Options of `parseReference`. */
export interface ParseReferenceOptions {
  /** Apply Docker's familiar normalisation first (`fedora` → `docker.io/library/fedora`). Default false. */
  normalize?: boolean;
}

// end generated options types

/** One finding, located in the input. */
export interface Diagnostic {
  /** Severity under the profile used. */
  severity: Severity;
  code: DiagnosticCode;
  /** One plain sentence naming the value. */
  message: string;
  /** RFC 6901 pointer to the value concerned, e.g. `/base-oscontainer/digest`. */
  pointer: string;
  /** 1-based line; `null` when the input was a parsed value. */
  line: number | null;
  /** 1-based column in UTF-16 code units (as JS strings and editors count); `null` for a parsed value. */
  column: number | null;
  /**
   * Line of the end of the range: the range covers exactly the token or value the finding is
   * about (a string from where it goes wrong to the end of its text, an object whole, a key
   * with its quotes, a syntax error's character). `null` for a parsed value.
   */
  endLine: number | null;
  /** Column just past the range (exclusive), in UTF-16 units; `null` for a parsed value. */
  endColumn: number | null;
  /** Whether `upgrade` fixes it; exactly when `fix` is not `null`. */
  fixable: boolean;
  /** A suggestion, e.g. `did you mean "digest"?`. */
  hint: string | null;
  /**
   * Other places the finding is about: the first of two duplicate keys, the image whose
   * embedded digest conflicts, `manifest-list-digest`, the other architecture's value.
   */
  related: RelatedPlace[];
  /** What `upgrade` does about it, when it is fixable. */
  fix: Fix | null;
}

/** Another place a finding is about, located like the finding. */
export interface RelatedPlace {
  /** What is there, in a few words. */
  message: string;
  /** RFC 6901 pointer to it. */
  pointer: string;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  /** For a place in another document of `compareArches`/`checkBuild`/`checkRelease`: that document's index in the input (absent for the same document). */
  document?: number;
  /** That document's architecture, when known. */
  arch?: string | null;
  /** That document's name, when given. */
  name?: string | null;
}

/**
 * The fix of a fixable finding. Every finding about one entry object carries the same fix
 * (upgrade rewrites an object at once); `upgrade` applies each distinct fix once, and two
 * different fixes never overlap.
 */
export interface Fix {
  /** What it does, e.g. `moved the digest "sha256:…" from image into digest`. */
  description: string;
  /**
   * The edits, in order and not overlapping: replace `start..end` of the input string
   * (UTF-16 offsets, as `String.prototype.slice` counts) with `text`. `null` when the input
   * was a parsed value (there is no text of the caller's to edit).
   */
  edits: Edit[] | null;
}

/**
 * One text edit, the one shape every edit has (a fix's, and the ones `upgrade` makes):
 * replace `start..end` of the input string (UTF-16 offsets, as `String.prototype.slice`
 * counts) with `text`; an insertion when they are equal.
 */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** @deprecated The old name of `Edit`. */
export type FixEdit = Edit;

/** How an entry is written. */
export type Shape = 'split' | 'tagged' | 'embedded' | 'image-only' | 'invalid';

/** The top-level keys of meta.json that describe a container image. */
export type EntryKey = 'oscontainer' | 'base-oscontainer' | 'extensions-container' | 'kubevirt';

/** What one entry (or one of its additional images) says, as far as it can be read. */
export interface Entry {
  /** Pointer to the entry object (`""` for a bare entry). */
  pointer: string;
  /** The top-level key it belongs to; `null` for a bare entry. */
  key: EntryKey | null;
  shape: Shape;
  /** `image` as written. */
  image: string | null;
  /** `digest`, or else the digest embedded in `image`. */
  digest: string | null;
  /** `tags` (a lone string counts as one tag). */
  tags: string[] | null;
  manifestListDigest: string | null;
  /** `repository@digest` when both are known and agree, else `null`. */
  pullSpec: string | null;
  /** `image` without tag and digest, when it is a valid reference. */
  repository: string | null;
  /** Which downstream operations this entry supports. */
  readiness: Readiness;
}

/**
 * Whether a downstream tool reads the entry and, if it does, whether it gets what it needs:
 * `ready`, `not-ready` (it would fail, or produce a wrong reference), or `not-applicable`
 * (it never reads this key).
 */
export type ReadyState = 'ready' | 'not-ready' | 'not-applicable';

/** One downstream use of an entry. */
export interface Ready {
  state: ReadyState;
  /** Why not ready, or why the tool does not read the entry (e.g. "cosa does not make release metadata from oscontainer …"); `null` when ready. */
  reason: string | null;
}

/**
 * Each downstream use of an entry, judged by the tool that has it (the consumer rules of
 * the domain notes). The build id is `options.buildId`, else the document's `buildid`.
 */
export interface Readiness {
  /** ART's release assembly and cosa `oc-adm-release` join `image + "@" + digest`; every top-level entry. */
  pullByDigest: Ready;
  /** cosa `generate-release-meta`: `base-oscontainer` and `kubevirt` only; needs a digest and exactly one floating tag. */
  releaseMetadata: Ready;
  /** cosa `sign`: `base-oscontainer` only; needs a digest and tags. */
  signing: Ready;
  /** cosa `prune`: `base-oscontainer` and its `additional-images` only; needs the pushed tags. */
  garbageCollection: Ready;
}

/** The result of `validate`. */
export interface Report {
  /** True when no diagnostic has severity `error`. */
  valid: boolean;
  profile: Profile;
  /** Findings in document order. */
  diagnostics: Diagnostic[];
  /** The container entries found, additional images included, in document order. */
  entries: Entry[];
}

/** One fix `upgrade` applied. */
export interface Change {
  /** Pointer to what changed. */
  pointer: string;
  /** The code of the diagnostic it fixes. */
  code: DiagnosticCode;
  /** What was done. */
  message: string;
}

/** The result of `upgrade`. */
export interface UpgradeResult {
  /** The upgraded text: the input itself when nothing changed; for a parsed value, JSON with 4-space indentation. */
  output: string;
  /** Whether `output` differs from the input. */
  changed: boolean;
  /** What was changed, in document order. */
  changes: Change[];
  /** The findings that remain in `output`. */
  diagnostics: Diagnostic[];
  /** True when `output` has no diagnostic of severity `error`. */
  valid: boolean;
  profile: Profile;
}

/** The pair release and stream metadata use for a container (`oci-image`, `kubevirt`), with their key names and order. */
export interface ReleaseMetadata {
  /** `<repository>:<floating tag>`. */
  image: string;
  /** `<repository>@<digest>`. */
  'digest-ref': string;
}

/** One top-level entry, with what cosa's `generate-release-meta` would write for it. */
export interface ReleaseEntry {
  /** Pointer to the entry, e.g. `/base-oscontainer`. */
  pointer: string;
  /** The top-level key; `null` for a bare entry. */
  key: EntryKey | null;
  /** Whether cosa makes release metadata from this entry (`base-oscontainer`, `kubevirt`, or a bare entry). */
  released: boolean;
  /** The entry's readiness for each downstream use. */
  readiness: Readiness;
  /** `image + ":" + floating tag` exactly as cosa joins it, right or wrong; `null` when cosa fails on the entry or does not read it. */
  image: string | null;
  /** `image + "@" + digest` exactly as cosa joins it, right or wrong; `null` when cosa fails on the entry or does not read it. */
  digestRef: string | null;
  /** The single tag without the build id, else `null`. */
  floatingTag: string | null;
  /** The tags that contain the build id. */
  buildTags: string[];
  /** The pair to paste into release metadata: what cosa writes today, when both are right references; else `null`. */
  releaseMetadata: ReleaseMetadata | null;
  /** What cosa would write after `oscontainer upgrade`, when the entry gives no right pair today and the upgrade mends it; else `null`. */
  afterUpgrade: ReleaseMetadata | null;
}

/** The result of `releaseView`. */
export interface ReleaseView {
  /** The build id used (`options.buildId`, else the document's `buildid`). */
  buildId: string | null;
  /** One per top-level entry, in document order, released or not (additional images are not released). */
  entries: ReleaseEntry[];
  /**
   * Why cosa would fail on, or write a wrong reference for, a released entry
   * (`release-*`, `floating-tag-*`, `build-id-missing`), plus problems of the document as
   * a whole (`json-syntax`, `duplicate-key`, …).
   */
  diagnostics: Diagnostic[];
  /** True when no diagnostic is an error: cosa writes right release metadata for every released entry (a document with none is valid). */
  valid: boolean;
}

/**
 * One meta.json of a build, for `compareArches`, `checkBuild` and `checkRelease`: a plain object with these keys only (any
 * other key throws a `TypeError` with a did-you-mean).
 */
export interface ArchDocument {
  /** The architecture, e.g. `x86_64`, used when the document does not record its `coreos-assembler.basearch`. */
  arch?: string | null;
  /**
   * The file name or path the document was read from (e.g. `builds/36.1/aarch64/meta.json`,
   * `rhcos-aarch64.json`): messages name the document by it, and the architecture is taken
   * from it when neither the document nor `arch` gives one.
   */
  name?: string | null;
  /** The document: JSON text, its UTF-8 bytes, or a parsed value (see `Input`). */
  input: Input;
}

/**
 * Whether a key must be on every architecture (`'all'`), may be on some only (`'any'`),
 * or must be on the architectures listed.
 */
export type Presence = 'all' | 'any' | string[];

/** A finding about one of the documents given to `compareArches`. */
export interface ArchDiagnostic extends Diagnostic {
  /** The document's architecture, when known. */
  arch: string | null;
  /** The document's `name` as given, else `null`. */
  name: string | null;
  /** The document's index in the array given; `line` and `column` are in that document. */
  document: number;
}

/** The result of `compareArches`. */
export interface ArchReport {
  /** True when no finding is an error. */
  valid: boolean;
  /** Each document's architecture, in input order. */
  arches: (string | null)[];
  /** Each document's build id, in input order. */
  buildIds: (string | null)[];
  /** Findings, by document and then position. */
  diagnostics: ArchDiagnostic[];
}

/** Options of `checkBuild` and `checkRelease`: those of `compareArches`. */
export type BuildOptions = CompareOptions;

/** One meta.json of the build in a `BuildReport`. */
export interface BuildArch {
  /** The architecture (recorded, given, or taken from the file name), when known. */
  arch: string | null;
  /** The document's `name` as given, else `null`. */
  name: string | null;
  /** The document's report, as `validate` gives it. */
  report: Report;
  /** What cosa's `generate-release-meta` would write from it, as `releaseView` gives it. */
  release: ReleaseView;
}

/** One cell of the build matrix: an entry on one architecture. */
export interface EntryState {
  /** How the entry is written. */
  shape: Shape;
  /**
   * The worst severity among the findings about the entry (in its report, its release
   * view, and the cross-arch findings for its document); `null` when there are none.
   */
  severity: Severity | null;
  /** The entry's readiness for each consumer. */
  readiness: Readiness;
}

/** `media.kubevirt` of one architecture in release metadata. */
export interface KubevirtMedia {
  /** The pair made from `kubevirt`. */
  image: ReleaseMetadata;
}

/** `media` of one architecture in release metadata: only what comes from container entries. */
export interface ReleaseMedia {
  kubevirt: KubevirtMedia;
}

/** The containers of one architecture in release metadata, as release.json lays them out. */
export interface ArchReleaseMetadata {
  /** Made from `base-oscontainer`; absent when cosa writes no right pair from it. */
  'oci-image'?: ReleaseMetadata;
  /** Made from `kubevirt`; absent when cosa writes no right pair from it. */
  media?: ReleaseMedia;
}

/** The container part of a build's release metadata. */
export interface BuildReleaseMetadata {
  /** By architecture, in input order: only those for which cosa writes a right pair. */
  architectures: Record<string, ArchReleaseMetadata>;
}

/**
 * The result of `checkBuild`. A finding about a document as a whole appears where each
 * part puts it: in its `report`, again in its `release` view (as `releaseView` repeats
 * `json-syntax`, `duplicate-key`, …), and `json-syntax`, `nesting-too-deep` and
 * `not-an-object` once more in `diagnostics` (as `compareArches` gives them); to list every
 * finding once, skip those with the same document, code and position.
 */
export interface BuildReport {
  /** True when no finding anywhere (a document's report, its release view, the cross-arch findings) is an error. */
  valid: boolean;
  /** `options.buildId`, else the first build id a document records. */
  buildId: string | null;
  /** One per document, in input order. */
  arches: BuildArch[];
  /**
   * The matrix: entry key → column → the entry there, or `null` where it is absent. Only
   * the keys present on some architecture, in the order `oscontainer`,
   * `base-oscontainer`, `extensions-container`, `kubevirt`; columns in input order, named
   * by the architecture, else the file name, else `input <n>` (1-based).
   */
  entries: Partial<Record<EntryKey, Record<string, EntryState | null>>>;
  /** The cross-arch findings, as `compareArches` gives them. */
  diagnostics: ArchDiagnostic[];
  /**
   * What cosa's `generate-release-meta` would write for the containers: byte for byte the
   * objects of a release.json, for the architectures where it writes a right pair.
   */
  releaseMetadata: BuildReleaseMetadata;
}

/** The findings about a release.json. */
export interface ReleaseFindings {
  /** True when none is an error. */
  valid: boolean;
  /** The release.json's `release` (the build id it was published from), when it is a string. */
  release: string | null;
  /**
   * Findings located in the release.json (`line`/`column` in its text, `null` when it was
   * given as a parsed value): `release-image-mismatch`, `release-digest-mismatch`,
   * `release-arch-missing`, `release-arch-extra`, `release-build-mismatch`,
   * `release-invalid`, `json-syntax`. Their `related` places are in the meta.json files,
   * with the `document` index, `arch` and `name` of the file.
   */
  diagnostics: Diagnostic[];
}

/** The result of `checkRelease`. */
export interface ReleaseCheck {
  /** True when neither the release nor the build has an error. */
  valid: boolean;
  /** The findings in the release.json. */
  release: ReleaseFindings;
  /** The build's own report, as `checkBuild` gives it. */
  build: BuildReport;
}

/** Which of coreos-assembler's builds.json layouts a file is. */
export type BuildsLayout =
  /** `schema-version` 1.x: each build's meta.json files at `<id>/<arch>/meta.json`. */
  | 'schema-1'
  /** No `schema-version` (or 0.x), the layout before 2019-10: ids alone, the meta.json at `<id>/meta.json`. */
  | 'legacy';

/** One build that builds.json lists. */
export interface ListedBuild {
  /** The build id, a directory name below the builds directory. */
  id: string;
  /** The architectures listed; `null` when the entry names none (an id alone, no `arches`): the build's directory says. */
  arches: string[] | null;
  /** `policy-cleanup` as written: the build was partly pruned, its meta.json names artifacts and tags that are gone on purpose. */
  policyCleanup: JsonValue | null;
  /** RFC 6901 pointer to the entry in builds.json. */
  pointer: string;
}

/** The result of `readBuildsIndex`: what builds.json lists and what is wrong with it. */
export interface BuildsIndex {
  /** False when builds.json is not JSON (`diagnostics` then holds that one finding). */
  json: boolean;
  /** False when no builds could be read: not JSON, not an object, an unreadable or refused `schema-version`, no `builds` array. */
  usable: boolean;
  /** True when there is no finding of severity `error`. */
  valid: boolean;
  /** The layout, once the version is known. */
  layout: BuildsLayout | null;
  /** `schema-version` as written, when it is a string. */
  schemaVersion: string | null;
  /** `timestamp` as written, when it is a string. */
  timestamp: string | null;
  /** The builds, newest first (builds.json's order), each id once; entries with a finding are left out. */
  builds: ListedBuild[];
  /** The fully pruned builds of `tombstone-builds` (their folders are gone). */
  tombstones: { id: string; pointer: string }[];
  /** Entries of `builds` whose id an earlier entry (`first`) has: left out, without a finding. */
  duplicates: { id: string; pointer: string; first: string }[];
  /** How many entries of `builds` were left out (those with a finding and the repeats). */
  skipped: number;
  /** The findings (`builds-json-invalid`, `builds-schema-unsupported`), located in builds.json. */
  diagnostics: Diagnostic[];
}

/** builds.json as text or as the bytes of the file (bytes that are not UTF-8 are a finding). */
export type BuildsInput = string | Uint8Array | ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** A parsed image reference. */
export interface Reference {
  /** Registry host with optional port, e.g. `quay.io`; `null` when the reference names none (only without `normalize`). */
  domain: string | null;
  /** Repository path, e.g. `fedora/fedora-coreos`. */
  path: string;
  /** `domain/path`, or `path` without a domain. */
  name: string;
  tag: string | null;
  digest: string | null;
  /** The whole reference, `name[:tag][@digest]`. */
  string: string;
}

/** The grammar rule a reference broke (`ReferenceParseError.code`). */
export type ReferenceErrorCode =
  | 'name-empty'
  | 'invalid-format'
  | 'name-contains-uppercase'
  | 'name-too-long'
  | 'name-not-canonical'
  | 'tag-invalid'
  | 'digest-invalid-format'
  | 'digest-invalid-length'
  | 'digest-unsupported'
  /** A pull spec with a transport (`docker://…`, `ostree-unverified-registry:…`); the message shows it without. */
  | 'transport-prefix';

/** What `parseReference` throws for a string that is not a valid reference. */
export interface ReferenceParseError extends Error {
  code: ReferenceErrorCode;
  /** Index in the string (UTF-16 units) of the first offending character; 0 when the whole string is at fault. */
  offset: number;
}

/** What every function throws, once, when the WebAssembly instance crashed (a bug); the instance is restarted. */
export interface InternalError extends Error {
  code: 'internal-error';
}

/** Where the browser entry loads the `.wasm` from; ignored in Node, which reads the file next to the module. */
export type InitInput =
  | string
  | URL
  | Request
  | Response
  | BufferSource
  | WebAssembly.Module
  | Promise<Response | BufferSource | WebAssembly.Module>;

/**
 * Loads the WebAssembly module. Browsers must await it once before any other call (by
 * default it fetches `oscontainer_bg.wasm` next to the module or bundle). In Node it
 * does nothing: the module is loaded synchronously at import.
 */
export default function init(input?: InitInput): Promise<void>;
export { init };

/**
 * Loads the module that `options.schema` needs: the core plus a JSON Schema validator,
 * several times the size of the core, so it is fetched and compiled only on request.
 * Browsers must await it once before passing a schema (until then such a call throws a
 * `TypeError` that says so); by default it fetches `oscontainer_schema_bg.wasm` next to
 * the module. In Node the first call with a schema loads it synchronously by itself;
 * this resolves at once.
 */
export function loadSchemaSupport(input?: InitInput): Promise<void>;

/** Checks the container entries of a meta.json, a bare entry, or a pasted fragment. Never throws for bad data. */
export function validate(input: Input, options?: Options | null): Report;

/** Rewrites the entries into the agreed form, changing nothing else. Never throws for bad data. */
export function upgrade(input: Input, options?: Options | null): UpgradeResult;

/**
 * What cosa's release-metadata step would make of each top-level entry: `{ image:
 * "<repo>:<floating tag>", "digest-ref": "<repo>@<digest>" }`, and why not when it
 * cannot. Never throws for bad data.
 */
export function releaseView(input: Input, options?: ReleaseOptions | null): ReleaseView;

/** Compares the meta.json files of one build, one per architecture. Never throws for bad data. */
export function compareArches(docs: ArchDocument[], options?: CompareOptions | null): ArchReport;

/**
 * Checks the meta.json files of one build, one per architecture: each as `validate` and
 * `releaseView` do, across architectures as `compareArches` does, and the release
 * metadata cosa would write from them. Never throws for bad data.
 */
export function checkBuild(docs: ArchDocument[], options?: BuildOptions | null): BuildReport;

/**
 * Checks a published release.json (stream metadata for one release) against the meta.json
 * files of its build, and the build itself. Never throws for bad data.
 */
export function checkRelease(release: Input, docs: ArchDocument[], options?: BuildOptions | null): ReleaseCheck;

/**
 * Reads a coreos-assembler builds.json (schema 1.x, the legacy id list; another major
 * version is refused as cosa refuses it): the builds it lists and its findings, as
 * `checkBuildsDir` and the page's builds view use them. Never throws for bad data.
 */
export function readBuildsIndex(input: BuildsInput): BuildsIndex;

/** Parses an image reference; throws a `ReferenceParseError` when it is not valid. */
export function parseReference(ref: string, options?: ParseReferenceOptions | null): Reference;

/** The embedded JSON Schema (draft 2020-12) of the agreed form; a fresh copy on every call. */
export function schema(): JsonObject;

/** The package version. */
export const version: string;
