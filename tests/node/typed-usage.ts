// Compiled with `tsc --noEmit` against the installed package's index.d.ts (see
// package.test.mjs). The @ts-expect-error lines must stay errors: they prove the
// types are precise, not `any`.

import init, {
  checkBuild,
  checkRelease,
  compareArches,
  parseReference,
  releaseView,
  schema,
  upgrade,
  validate,
  version,
  type ArchDiagnostic,
  type ArchDocument,
  type ArchReport,
  type BuildReport,
  type EntryState,
  type ReleaseCheck,
  type CompareOptions,
  type Change,
  type Diagnostic,
  type DiagnosticCode,
  type Entry,
  type InternalError,
  type JsonObject,
  type Options,
  type Readiness,
  type ReadyState,
  type Reference,
  type ReferenceParseError,
  type ReleaseEntry,
  type ReleaseMetadata,
  type ReleaseView,
  type Report,
  type UpgradeResult,
} from 'oscontainer';

await init();

const options: Options = { profile: 'compat', schema: { type: 'object' } };
const report: Report = validate('{"kubevirt": {"image": "quay.io/a/b"}}', options);
const fromBytes: Report = validate(new TextEncoder().encode('{}'));
const fromValue: Report = validate({ kubevirt: { image: 'quay.io/a/b' } }, { schema: '{"type": "object"}' });

const first: Diagnostic | undefined = report.diagnostics[0];
if (first) {
  const code: DiagnosticCode = first.code;
  const line: number | null = first.line;
  const severity: 'error' | 'warning' | 'info' = first.severity;
  const hint: string | null = first.hint;
  console.log(code, line, severity, hint, first.pointer, first.fixable, first.message);
}
const entry: Entry | undefined = fromValue.entries[0];
if (entry) {
  const tags: string[] | null = entry.tags;
  const shape: 'split' | 'tagged' | 'embedded' | 'image-only' | 'invalid' = entry.shape;
  const ok: boolean = entry.readiness.pullByDigest.state === 'ready';
  console.log(tags, shape, ok, entry.pullSpec, entry.repository, entry.manifestListDigest, entry.key);
}

const result: UpgradeResult = upgrade('{}', { profile: 'canonical' });
const output: string = result.output;
const changes: Change[] = result.changes;
console.log(output, changes, result.changed, result.valid, fromBytes.valid);

const ref: Reference = parseReference('fedora', { normalize: true });
const domain: string | null = ref.domain;
console.log(domain, ref.string, ref.tag, ref.digest, ref.name, ref.path);

try {
  parseReference('Quay.io/A');
} catch (error) {
  const e = error as ReferenceParseError | InternalError;
  if (e.code === 'internal-error') {
    console.log(e.message);
  } else {
    const offset: number = e.offset;
    console.log(e.code, offset);
  }
}

const embedded: JsonObject = schema();
const v: string = version;
console.log(embedded, v);

const withBuild: Report = validate('{}', { buildId: '36.20221014.3.0', profile: 'compat' });
const readiness: Readiness | undefined = withBuild.entries[0]?.readiness;
const signable: ReadyState | undefined = readiness?.signing.state;
const why: string | null | undefined = readiness?.garbageCollection.reason;
console.log(signable, why);

const view: ReleaseView = releaseView(new TextEncoder().encode('{}'), { buildId: '36.1', profile: 'canonical' });
const buildId: string | null = view.buildId;
const released: ReleaseEntry | undefined = view.entries[0];
if (released) {
  const pair: ReleaseMetadata | null = released.releaseMetadata;
  const digestRef: string | undefined = pair?.['digest-ref'];
  const buildTags: string[] = released.buildTags;
  console.log(pair?.image, digestRef, buildTags, released.floatingTag, released.digestRef, released.image);
}
console.log(buildId, view.valid, view.diagnostics.length);

const arches: ArchReport = compareArches([{ arch: 'x86_64', input: '{}' }, { input: { buildid: '1' } }, { input: new Uint8Array() }]);
const archDiagnostic: ArchDiagnostic | undefined = arches.diagnostics[0];
if (archDiagnostic) {
  const document: number = archDiagnostic.document;
  const arch: string | null = archDiagnostic.arch;
  const fileName: string | null = archDiagnostic.name;
  console.log(fileName);
  const archCode: DiagnosticCode = archDiagnostic.code;
  console.log(document, arch, archCode, archDiagnostic.line);
}
const archNames: (string | null)[] = arches.arches;
console.log(archNames, arches.buildIds, arches.valid);
const releaseCode: DiagnosticCode = 'floating-tag-ambiguous';
console.log(releaseCode);

// @ts-expect-error: the build id is a string
releaseView('{}', { buildId: 36 });
// @ts-expect-error: releaseView takes no schema
releaseView('{}', { schema: {} });
// @ts-expect-error: each document needs its input
compareArches([{ arch: 'x86_64' }]);
// @ts-expect-error: an arch is a string
compareArches([{ arch: 64, input: '{}' }]);
// @ts-expect-error: the release metadata pair has no digest key
const noDigest: string | undefined = view.entries[0]?.releaseMetadata?.digest;
console.log(noDigest);

// Bytes in any buffer or view, and `null` for "no options".
const fromBuffer: Report = validate(new TextEncoder().encode('{}').buffer, null);
const fromView: UpgradeResult = upgrade(new DataView(new ArrayBuffer(2)), undefined);
const fromInt8: ReleaseView = releaseView(new Int8Array(2), { buildId: '36.1' });
const nullProto: Report = validate(Object.assign(Object.create(null) as JsonObject, { kubevirt: null }));
console.log(fromBuffer.valid, fromView.output, fromInt8.valid, nullProto.valid);
const compareOptions: CompareOptions = { profile: 'compat', buildId: '36.1', presence: { kubevirt: ['x86_64', 'aarch64'], 'base-oscontainer': 'all' } };
const named: ArchDocument = { arch: null, name: 'builds/36.1/aarch64/meta.json', input: '{}' };
const byName: ArchReport = compareArches([named, { name: 'rhcos-s390x.json', input: new Uint8Array() }], compareOptions);
const noOptions: ArchReport = compareArches([{ input: '{}' }], null);
console.log(byName.valid, noOptions.valid);

// @ts-expect-error: a Promise is not a document (a forgotten await)
validate(Promise.resolve('{}'));
// @ts-expect-error: a Map is not a JSON value
validate(new Map([['kubevirt', {}]]));
// @ts-expect-error: a Map is not a JSON value, in compareArches either
compareArches([{ input: new Map() }]);
// @ts-expect-error: a forgotten await in compareArches
compareArches([{ input: Promise.resolve(new Uint8Array()) }]);
// @ts-expect-error: unknown option (buildId)
validate('{}', { buildid: '36.1' });
// @ts-expect-error: unknown option (profile)
upgrade('{}', { profil: 'compat' });
// @ts-expect-error: compareArches takes no schema
compareArches([{ input: '{}' }], { schema: {} });
// @ts-expect-error: a typo'd item key (name)
compareArches([{ nmae: 'x86_64/meta.json', input: '{}' }]);
// @ts-expect-error: a name is a string
compareArches([{ name: 3, input: '{}' }]);
// @ts-expect-error: presence says all, any or which arches
compareArches([{ input: '{}' }], { presence: { kubevirt: 'some' } });
// @ts-expect-error: presence is keyed by entry keys
compareArches([{ input: '{}' }], { presence: { images: 'all' } });
const build: BuildReport = checkBuild([{ name: 'builds/37.1/x86_64/meta.json', input: '{}' }], { presence: { kubevirt: 'any' } });
const cell: EntryState | null | undefined = build.entries.kubevirt?.x86_64;
const cellSeverity: 'error' | 'warning' | 'info' | null | undefined = cell?.severity;
const digestRef: string | undefined = build.releaseMetadata.architectures.x86_64?.['oci-image']?.['digest-ref'];
const kubevirtRef: string | undefined = build.releaseMetadata.architectures.x86_64?.media?.kubevirt.image.image;
const checked: ReleaseCheck = checkRelease({ release: '37.1', architectures: {} }, [{ input: new Uint8Array() }], null);
const releaseId: string | null = checked.release.release;
const built: BuildReport = checked.build;
console.log(cellSeverity, digestRef, kubevirtRef, releaseId, built.valid);
// @ts-expect-error: checkBuild takes no schema
checkBuild([{ input: '{}' }], { schema: {} });
// @ts-expect-error: checkRelease needs the build's documents
checkRelease('{}');
// @ts-expect-error: a forgotten await for the release
checkRelease(Promise.resolve('{}'), []);
// @ts-expect-error: options are an object
validate('{}', 'compat');

// @ts-expect-error: not a profile
validate('{}', { profile: 'strict' });
// @ts-expect-error: input must be text, bytes or a JSON value (a BigInt is none)
validate(42n);
// @ts-expect-error: input is required
validate(undefined);
// @ts-expect-error: valid is a boolean
const notANumber: number = report.valid;
// @ts-expect-error: codes are a closed set
const notACode: DiagnosticCode = 'no-such-code';
// @ts-expect-error: normalize is a boolean
parseReference('fedora', { normalize: 'yes' });
// @ts-expect-error: output is a string
const notText: number = result.output;
console.log(notANumber, notACode, notText);
