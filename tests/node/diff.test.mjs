// The unified-diff generator of `oscontainer upgrade` (pkg/cli/diff.js): exact output for
// hand-made cases, agreement with GNU diff -u, and for random texts that the diff applies
// (with a small applier here and with GNU patch) and is minimal (checked against an LCS).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { pkgDir } from './helpers.mjs';

const { unifiedDiff, splitLines, editScript } = await import(`${pkgDir}cli/diff.js`);

const names = { oldName: 'f', newName: 'f' };
const lines = (n, from = 1) => Array.from({ length: n }, (_, i) => `${i + from}\n`).join('');

function has(command) {
  return spawnSync(command, ['--version'], { encoding: 'utf8' }).status === 0;
}

test('splitLines keeps each line break, \\r\\n included', () => {
  assert.deepEqual(splitLines(''), []);
  assert.deepEqual(splitLines('a'), ['a']);
  assert.deepEqual(splitLines('a\r\nb\n\nc'), ['a\r\n', 'b\n', '\n', 'c']);
});

test('equal texts give no diff', () => {
  assert.equal(unifiedDiff('', '', names), '');
  assert.equal(unifiedDiff(lines(5), lines(5), names), '');
});

test('one changed line with three lines of context', () => {
  const before = lines(10);
  const after = before.replace('5\n', 'five\n');
  assert.equal(unifiedDiff(before, after, { oldName: 'a/meta.json', newName: 'a/meta.json' }), '--- a/meta.json\n+++ a/meta.json\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
});

test('changes at most six lines apart share a hunk; further apart they do not', () => {
  const before = lines(20);
  const near = before.replace('3\n', 'x\n').replace('10\n', 'y\n');
  assert.equal(
    unifiedDiff(before, near, names),
    '--- f\n+++ f\n@@ -1,13 +1,13 @@\n 1\n 2\n-3\n+x\n 4\n 5\n 6\n 7\n 8\n 9\n-10\n+y\n 11\n 12\n 13\n',
  );
  const far = before.replace('3\n', 'x\n').replace('11\n', 'y\n');
  assert.equal(
    unifiedDiff(before, far, names),
    '--- f\n+++ f\n@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+x\n 4\n 5\n 6\n@@ -8,7 +8,7 @@\n 8\n 9\n 10\n-11\n+y\n 12\n 13\n 14\n',
  );
});

test('insertions and deletions at the ends, empty sides, one-line ranges', () => {
  assert.equal(unifiedDiff('', 'a\nb\n', names), '--- f\n+++ f\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  assert.equal(unifiedDiff('a\nb\n', '', names), '--- f\n+++ f\n@@ -1,2 +0,0 @@\n-a\n-b\n');
  assert.equal(unifiedDiff('a\n', 'b\n', names), '--- f\n+++ f\n@@ -1 +1 @@\n-a\n+b\n');
  assert.equal(unifiedDiff(lines(5), `0\n${lines(5)}`, names), '--- f\n+++ f\n@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n');
  assert.equal(unifiedDiff(lines(5), lines(4), names), '--- f\n+++ f\n@@ -2,4 +2,3 @@\n 2\n 3\n 4\n-5\n');
});

test('a missing newline at the end is marked as diff marks it', () => {
  assert.equal(unifiedDiff('a\nb', 'a\nb\n', names), '--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
  assert.equal(unifiedDiff('a\n', 'a\nb', names), '--- f\n+++ f\n@@ -1 +1,2 @@\n a\n+b\n\\ No newline at end of file\n');
});

test('removed lines come before added ones within a change', () => {
  const diff = unifiedDiff('a\nb\nc\nd\n', 'a\nx\ny\nd\n', names);
  assert.equal(diff, '--- f\n+++ f\n@@ -1,4 +1,4 @@\n a\n-b\n-c\n+x\n+y\n d\n');
});

test('\\r\\n line breaks are kept in the diff lines', () => {
  assert.equal(unifiedDiff('a\r\nb\r\n', 'a\r\nc\r\n', names), '--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n');
});

test('the same hunks as GNU diff -u for unambiguous changes', (t) => {
  if (!has('diff')) {
    t.skip('GNU diff is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'oscontainer-diff-'));
  try {
    const base = lines(40);
    const cases = [
      base.replace('7\n', 'seven\n'),
      base.replace('1\n', '').replace('40\n', 'forty\nforty-one\n'),
      base.replace('12\n13\n14\n', 'x\n').replace('30\n', '30\nthirty\n'),
      `${base}no newline`,
      base.replace('20\n', '20\r\n'),
    ];
    for (const after of cases) {
      writeFileSync(join(dir, 'old'), base);
      writeFileSync(join(dir, 'new'), after);
      const gnu = spawnSync('diff', ['-u', 'old', 'new'], { cwd: dir, encoding: 'utf8' }).stdout;
      const body = (diff) => diff.split('\n').slice(2).join('\n');
      assert.equal(body(unifiedDiff(base, after, { oldName: 'old', newName: 'new' })), body(gnu));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Applies a unified diff made by unifiedDiff to `text` (strictly: context must match). */
function apply(text, diff) {
  const source = splitLines(text);
  const result = [];
  let at = 0;
  const diffLines = splitLines(diff).slice(2);
  let i = 0;
  while (i < diffLines.length) {
    const header = diffLines[i].match(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$/);
    assert.ok(header, `a hunk header: ${JSON.stringify(diffLines[i])}`);
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const oldStart = oldCount === 0 ? Number(header[1]) : Number(header[1]) - 1;
    while (at < oldStart) result.push(source[at++]);
    i += 1;
    let removed = 0;
    while (i < diffLines.length && !diffLines[i].startsWith('@@')) {
      let line = diffLines[i].slice(1);
      const kind = diffLines[i][0];
      if (diffLines[i + 1] === '\\ No newline at end of file\n') {
        line = line.slice(0, -1);
        i += 1;
      }
      if (kind === ' ' || kind === '-') {
        assert.equal(source[at], line, 'context and removed lines match the old text');
        at += 1;
        removed += 1;
      }
      if (kind === ' ' || kind === '+') result.push(line);
      i += 1;
    }
    assert.equal(removed, oldCount, 'the hunk header counts the old lines');
  }
  while (at < source.length) result.push(source[at++]);
  return result.join('');
}

function lcs(a, b) {
  const row = new Array(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
      diagonal = above;
    }
  }
  return row[b.length];
}

/** A small deterministic generator, so that a failure can be reproduced. */
function random(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

test('random texts: the diff applies and the edit script is minimal', () => {
  const next = random(42);
  const text = () => {
    const n = Math.floor(next() * 30);
    let s = '';
    for (let i = 0; i < n; i++) s += `${'abcd'[Math.floor(next() * 4)]}\n`;
    return next() < 0.2 ? `${s}end` : s;
  };
  for (let round = 0; round < 500; round++) {
    const a = text();
    const b = text();
    const diff = unifiedDiff(a, b, names);
    assert.equal(apply(a, diff), b, `round ${round}`);
    const ops = editScript(splitLines(a), splitLines(b));
    const kept = ops.filter(([kind]) => kind === '=').length;
    assert.equal(kept, lcs(splitLines(a), splitLines(b)), `round ${round}: minimal`);
  }
});

test('GNU patch applies the diffs', (t) => {
  if (!has('patch')) {
    t.skip('GNU patch is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'oscontainer-patch-'));
  try {
    const next = random(7);
    for (let round = 0; round < 20; round++) {
      const base = lines(60);
      const after = splitLines(base)
        .map((line) => (next() < 0.1 ? `changed ${line}` : next() < 0.05 ? '' : line))
        .join('');
      writeFileSync(join(dir, 'meta.json'), base);
      writeFileSync(join(dir, 'change.diff'), unifiedDiff(base, after, { oldName: 'meta.json', newName: 'meta.json' }));
      const run = spawnSync('patch', ['-p0', '--quiet', '-i', 'change.diff'], { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.equal(readFileSync(join(dir, 'meta.json'), 'utf8'), after);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('very different texts fall back to replacing the middle, still a correct diff', () => {
  const a = Array.from({ length: 3000 }, (_, i) => `a${i}\n`).join('');
  const b = Array.from({ length: 3000 }, (_, i) => `b${i}\n`).join('');
  const ops = editScript(splitLines(a), splitLines(b), 100);
  assert.equal(ops.length, 6000);
  assert.equal(apply(a, unifiedDiff(a, b, names)), b);
});
