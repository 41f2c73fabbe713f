// The real documents in ../shared/corpus through the package: every meta.json as text,
// bytes and parsed value, both profiles, upgrade leaves them alone, and cosa's own schema
// passed as options.schema (as an object and as text) with positions that land on the
// value concerned.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { upgrade, validate } from '../../pkg/node.js';
import { corpus, indexOf, positionless } from './helpers.mjs';

const meta = corpus('meta');
const schemas = corpus('cosa-schema');
const release = corpus('release');
const COSA_HEAD = 'coreos-coreos-assembler__src_v1.json@05db482e6.json';

/** Documents with no container entry (FCOS 2020 fixture; RHCOS 4.13 with file artifacts only). */
const NO_ENTRIES = new Set(['coreos-coreos-assembler__fixtures_fcos.json', 'openshift-eng-art-tools__doozer_tests_resources_rhcos2_4.13-meta.json']);

/** The value at an RFC 6901 pointer. */
function resolve(value, pointer) {
  if (pointer === '') return value;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((v, token) => v?.[token], value);
}

test('every meta.json: text, bytes and parsed value, both profiles', { skip: meta.reason }, () => {
  assert.equal(meta.files.length, 10);
  for (const [name, text] of meta.files) {
    for (const profile of ['canonical', 'compat']) {
      const report = validate(text, { profile });
      assert.equal(report.valid, true, name);
      if (NO_ENTRIES.has(name)) {
        assert.deepEqual(
          report.diagnostics.map(({ code, pointer, line, column }) => ({ code, pointer, line, column })),
          [{ code: 'no-entries', pointer: '', line: 1, column: 1 }],
          name,
        );
        assert.deepEqual(report.entries, []);
      } else {
        assert.deepEqual(report.diagnostics, [], name);
        assert.equal(report.entries.length, 1, name);
        const [entry] = report.entries;
        const written = JSON.parse(text).oscontainer;
        assert.equal(entry.pointer, '/oscontainer');
        assert.equal(entry.shape, 'split');
        assert.equal(entry.image, written.image);
        assert.equal(entry.digest, written.digest);
        assert.equal(entry.pullSpec, `${written.image}@${written.digest}`, name);
      }
      assert.deepEqual(validate(new TextEncoder().encode(text), { profile }), report, name);
      const parsed = validate(JSON.parse(text), { profile });
      assert.deepEqual(parsed, { ...report, diagnostics: positionless(report.diagnostics) }, name);
    }
    const result = upgrade(text);
    assert.equal(result.changed, false, name);
    assert.equal(result.output, text, name);
  }
});

test("cosa's schema at HEAD: the installer copies fail it, the cosa and ART fixtures pass", { skip: meta.reason ?? schemas.reason }, () => {
  const schemaText = schemas.files.find(([name]) => name === COSA_HEAD)[1];
  const schema = JSON.parse(schemaText);
  for (const [name, text] of meta.files) {
    const report = validate(text, { schema });
    assert.deepEqual(validate(text, { schema: schemaText }), report, `${name}: schema as text`);
    const violations = report.diagnostics.filter((d) => d.code === 'schema-violation');
    assert.equal(violations.length > 0, name.startsWith('openshift-installer__'), name);
    const value = JSON.parse(text);
    for (const d of violations) {
      // The position is the key of the property concerned or the start of its value.
      const at = text.slice(indexOf(text, d.line, d.column));
      const token = d.pointer.split('/').pop();
      const target = resolve(value, d.pointer);
      const valueStart = target === undefined ? null : JSON.stringify(target)[0];
      assert.ok(at.startsWith(`"${token}"`) || (valueStart !== null && at.startsWith(valueStart)), `${name} ${d.pointer} at ${d.line}:${d.column}`);
    }
  }
  const installer = meta.files.find(([name]) => name === 'openshift-installer__data_data_rhcos-amd64@18d578307.json')[1];
  assert.deepEqual(
    validate(installer, { schema })
      .diagnostics.map(({ code, pointer, line, column }) => [code, pointer, line, column]),
    [
      ['schema-violation', '', 1, 1],
      ['schema-violation', '', 1, 1],
      ['schema-violation', '/amis', 2, 13],
      ['schema-violation', '/baseURI', 59, 5],
    ],
  );
});

test('release and stream metadata have no container entries', { skip: release.reason }, () => {
  assert.ok(release.files.length > 0);
  for (const [name, text] of release.files) {
    const report = validate(text);
    assert.deepEqual(report.diagnostics.map((d) => d.code), ['no-entries'], name);
    assert.equal(upgrade(text).output, text);
  }
});
