// Compiled with `tsc --noEmit` against the installed package's index.d.ts (see
// package.test.mjs). The @ts-expect-error lines must stay errors: they prove the
// types are precise, not `any`.

import init, {
  parseReference,
  schema,
  upgrade,
  validate,
  version,
  type Change,
  type Diagnostic,
  type DiagnosticCode,
  type Entry,
  type InternalError,
  type JsonObject,
  type Options,
  type Reference,
  type ReferenceParseError,
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
  const ok: boolean = entry.readiness.pullByDigest.ok;
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

// @ts-expect-error: not a profile
validate('{}', { profile: 'strict' });
// @ts-expect-error: input must be text, bytes or a value
validate(42);
// @ts-expect-error: valid is a boolean
const notANumber: number = report.valid;
// @ts-expect-error: codes are a closed set
const notACode: DiagnosticCode = 'no-such-code';
// @ts-expect-error: normalize is a boolean
parseReference('fedora', { normalize: 'yes' });
// @ts-expect-error: output is a string
const notText: number = result.output;
console.log(notANumber, notACode, notText);
