// The diagnostics cases of tests/cases/diagnostics.json (the one list tests/cases.rs runs
// too; its "about" says how a case is written), through the package: every finding's code,
// severity per profile, pointer, fixable, message, hint, start, end and related places; then
// the same cases as bytes and as parsed values, and upgrade fixing exactly what is fixable.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { compareArches, releaseView, upgrade, validate } from '../../pkg/node.js';
import { sha256 } from './helpers.mjs';

const D = sha256('ab');

/**
 * [canonical, compat] severity of every code: the contract, written from src/diagnostic.rs
 * by `make codes` (as are docs/diagnostics.md's tables and index.d.ts's union).
 */
const CODES = JSON.parse(readFileSync(new URL('./codes.generated.json', import.meta.url), 'utf8'));
const SEVERITY = Object.fromEntries(CODES.map(({ code, canonical, compat }) => [code, { canonical, compat }]));

const FILE = JSON.parse(readFileSync(new URL('../cases/diagnostics.json', import.meta.url), 'utf8'));

const BUILDID_SCHEMA = { type: 'object', properties: { buildid: { type: 'string' } } };

/** `${NAME}` replaced by the file's vars. */
function substitute(text) {
  const out = text.replace(/\$\{(\w+)\}/g, (whole, name) => FILE.vars[name] ?? whole);
  assert.ok(!out.includes('${'), `an unknown var in ${text}`);
  return out;
}

/** A text as the file writes it: a string, or an array of lines joined with \n. */
function textOf(value) {
  return substitute(Array.isArray(value) ? value.join('\n') : value);
}

/**
 * Removes the marks (‸ a place, ⟦…⟧ a range) from `source` and appends to `marks`, in the
 * order they open, the 1-based line and UTF-16 column of each start (and end), counted
 * here (line breaks: \r\n, \n, \r) so that the expectations do not come from the code
 * under test.
 */
function unmark(source, document, marks) {
  let text = '';
  let line = 1;
  let lineStart = 0;
  const open = [];
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    const here = { line, column: text.length - lineStart + 1 };
    if (ch === '‸' || ch === '⟦') {
      if (ch === '⟦') open.push(marks.length);
      marks.push({ document, start: here, end: undefined });
      continue;
    }
    if (ch === '⟧') {
      assert.ok(open.length > 0, 'a ⟧ without its ⟦');
      marks[open.pop()].end = here;
      continue;
    }
    text += ch;
    if (ch === '\n' || (ch === '\r' && source[i + 1] !== '\n')) {
      line += 1;
      lineStart = text.length;
    }
  }
  assert.equal(open.length, 0, 'a ⟦ without its ⟧');
  return text;
}

/** Checks a message against `message` (exact), `messageStarts`, `messageHas`, `messageEnds`. */
function checkMessage(message, expected, what) {
  assert.equal(typeof message, 'string', what);
  if (expected.message !== undefined) assert.equal(message, substitute(expected.message), what);
  let rest = message;
  if (expected.messageStarts !== undefined) {
    const prefix = substitute(expected.messageStarts);
    assert.ok(rest.startsWith(prefix), `${what}: ${JSON.stringify(message)} starts with ${JSON.stringify(prefix)}`);
    rest = rest.slice(prefix.length);
  }
  const parts = expected.messageHas === undefined ? [] : [expected.messageHas].flat();
  for (const part of parts.map(substitute)) {
    const at = rest.indexOf(part);
    assert.ok(at >= 0, `${what}: ${JSON.stringify(message)} has ${JSON.stringify(part)} (in order)`);
    rest = rest.slice(at + part.length);
  }
  if (expected.messageEnds !== undefined) {
    const suffix = substitute(expected.messageEnds);
    assert.ok(rest.endsWith(suffix), `${what}: ${JSON.stringify(message)} ends with ${JSON.stringify(suffix)}`);
  }
}

/** Where a finding or related place is, as far as its mark says (a range: its end too). */
function place(d, mark) {
  const start = { line: d.line, column: d.column };
  return mark.end === undefined ? start : { ...start, endLine: d.endLine, endColumn: d.endColumn };
}

function marked(mark) {
  return mark.end === undefined ? mark.start : { ...mark.start, endLine: mark.end.line, endColumn: mark.end.column };
}

/** The findings of one run, each with its document's index, against the case. */
function checkFindings(diagnostics, testCase, profile, marks) {
  const expected = testCase.findings.map((f, i) => {
    const mark = marks[f.at ?? i];
    assert.ok(mark, `finding ${i}: a mark ${f.at ?? i} in the text`);
    return {
      document: mark.document,
      code: f.code,
      severity: f.severity ?? SEVERITY[f.code][profile],
      pointer: f.pointer,
      fixable: f.fixable ?? false,
      ...marked(mark),
    };
  });
  const actual = diagnostics.map((d, i) => ({
    document: d.document,
    code: d.code,
    severity: d.severity,
    pointer: d.pointer,
    fixable: d.fixable,
    ...place(d, marks[testCase.findings[i]?.at ?? i] ?? { start: {} }),
  }));
  assert.deepEqual(actual, expected);
  testCase.findings.forEach((f, i) => {
    const d = diagnostics[i];
    const what = `finding ${i} (${f.code})`;
    checkMessage(d.message, f, what);
    if (f.hint !== undefined) assert.equal(d.hint, f.hint === null ? null : substitute(f.hint), what);
    const related = f.related ?? [];
    assert.equal(d.related.length, related.length, `${what}: related places ${JSON.stringify(d.related)}`);
    related.forEach((r, j) => {
      const mark = marks[r.at];
      const other = d.related[j];
      if (r.pointer !== undefined) assert.equal(other.pointer, r.pointer, `${what}, related ${j}`);
      assert.equal(other.document ?? mark.document, mark.document, `${what}, related ${j}: its document`);
      checkMessage(other.message, r, `${what}, related ${j}`);
      assert.deepEqual(place(other, mark), marked(mark), `${what}, related ${j}`);
    });
  });
}

/** The diagnostics without what depends on the input form (positions, edits). */
function positionless(diagnostics) {
  const blank = { line: null, column: null, endLine: null, endColumn: null };
  return diagnostics.map((d) => ({
    ...d,
    ...blank,
    related: d.related.map((r) => ({ ...r, ...blank })),
    fix: d.fix && { ...d.fix, edits: null },
  }));
}

/** Options of a case under `profile`. */
function optionsOf(testCase, profile) {
  const options = { profile };
  if (testCase.schema !== undefined) options.schema = testCase.schema;
  if (testCase.buildId !== undefined) options.buildId = testCase.buildId;
  return options;
}

const seen = new Set();

for (const testCase of FILE.cases) {
  const profiles = testCase.profile ? [testCase.profile] : ['canonical', 'compat'];
  describe(testCase.name, () => {
    for (const profile of profiles) {
      test(`${profile} profile`, () => {
        const marks = [];
        const options = optionsOf(testCase, profile);
        let diagnostics;
        let valid;
        if (testCase.arches !== undefined) {
          const docs = testCase.arches.map(({ arch, text }, i) => ({ arch, input: unmark(textOf(text), i, marks) }));
          ({ diagnostics, valid } = compareArches(docs, { profile }));
        } else if (testCase.view === 'release') {
          ({ diagnostics, valid } = releaseView(unmark(textOf(testCase.text), 0, marks), options));
          diagnostics = diagnostics.map((d) => ({ ...d, document: 0 }));
        } else {
          const report = validate(unmark(textOf(testCase.text), 0, marks), options);
          assert.equal(report.profile, profile);
          ({ diagnostics, valid } = report);
          diagnostics = diagnostics.map((d) => ({ ...d, document: 0 }));
        }
        for (const d of diagnostics) seen.add(d.code);
        checkFindings(diagnostics, testCase, profile, marks);
        assert.equal(valid, !diagnostics.some((d) => d.severity === 'error'));
        for (const d of diagnostics) {
          for (const key of ['severity', 'code', 'message', 'pointer', 'line', 'column', 'endLine', 'endColumn', 'fixable', 'hint', 'related', 'fix']) {
            assert.ok(key in d, `diagnostic has ${key}`);
          }
        }
      });
    }
    if (testCase.arches !== undefined || testCase.view === 'release') return;

    const text = unmark(textOf(testCase.text), 0, []);
    const options = optionsOf(testCase, profiles[0]);
    test('UTF-8 bytes give the same report', () => {
      const bytes = new TextEncoder().encode(text);
      assert.deepEqual(validate(bytes, options), validate(text, options));
      assert.deepEqual(validate(Buffer.from(bytes), options), validate(text, options));
    });

    let value;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    // JSON.parse keeps only the last of duplicate keys, and makes 1e999 Infinity (written
    // back as null): what is reported is then gone from the value.
    const lostInParsing = ['duplicate-key', 'number-out-of-range'];
    const sameAsParsed =
      value !== undefined && typeof value !== 'string' && !testCase.findings.some(({ code }) => lostInParsing.includes(code));
    test('a parsed value gives the same diagnostics without positions', { skip: !sameAsParsed && 'not JSON.parse-able as is' }, () => {
      const fromText = validate(text, options);
      const fromValue = validate(value, options);
      assert.deepEqual(fromValue, { ...fromText, diagnostics: positionless(fromText.diagnostics) });
    });

    test('upgrade fixes exactly the fixable diagnostics', () => {
      const before = validate(text, options);
      const result = upgrade(text, options);
      const fixable = before.diagnostics.filter((d) => d.fixable).map((d) => d.code).sort();
      assert.deepEqual(result.changes.map((c) => c.code).sort(), fixable);
      assert.equal(result.changed, fixable.length > 0);
      if (!result.changed) assert.equal(result.output, text);
      assert.ok(!result.diagnostics.some((d) => d.fixable), 'nothing fixable remains');
      assert.deepEqual(upgrade(result.output, options).changed, false, 'idempotent');
    });
  });
}

test('invalid UTF-8 bytes: json-syntax at the byte', () => {
  const bytes = new Uint8Array([...new TextEncoder().encode('{\n  "name": "caf'), 0xe9, ...new TextEncoder().encode('"\n}')]);
  const report = validate(bytes);
  assert.equal(report.valid, false);
  assert.deepEqual(
    report.diagnostics.map(({ code, pointer, line, column }) => ({ code, pointer, line, column })),
    [{ code: 'json-syntax', pointer: '', line: 2, column: 15 }],
  );
  assert.match(report.diagnostics[0].message, /0xE9/);
});

test('a JSON value that is not an object, given parsed', () => {
  for (const value of [null, 42, true, []]) {
    const report = validate(value);
    assert.deepEqual(
      report.diagnostics.map(({ code, line, column }) => ({ code, line, column })),
      [{ code: 'not-an-object', line: null, column: null }],
      JSON.stringify(value),
    );
  }
});

test('options.schema as an object and as JSON text give the same diagnostics', () => {
  const text = `{"buildid": 36, "kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}}`;
  const asObject = validate(text, { schema: BUILDID_SCHEMA });
  assert.deepEqual(validate(text, { schema: JSON.stringify(BUILDID_SCHEMA) }), asObject);
  assert.deepEqual(asObject.diagnostics.map((d) => [d.code, d.pointer, d.column]), [['schema-violation', '/buildid', 13]]);
  // A boolean schema is a schema too: `false` rejects everything.
  assert.deepEqual(validate(text, { schema: false }).diagnostics.map((d) => d.code), ['schema-violation']);
  assert.deepEqual(validate(text, { schema: true }).diagnostics, []);
  // Absent options behave like the defaults.
  for (const options of [undefined, {}, { profile: undefined, schema: null }]) {
    assert.deepEqual(validate(text, options), validate(text, { profile: 'canonical' }));
  }
});

// Runs last (top-level tests run in order): every code that validate, releaseView and
// compareArches report was produced by a case above.
test('every diagnostic code is reached', () => {
  // The release check's and the builds index's codes come from checkRelease and
  // readBuildsIndex (build.test.mjs, builds-index.test.mjs), not from these cases.
  const expected = CODES.filter(({ summary }) => !/^(Release check|Builds index):/.test(summary)).map(({ code }) => code);
  assert.deepEqual([...seen].sort(), expected.sort(), 'every diagnostic code is reached from JS');
});
