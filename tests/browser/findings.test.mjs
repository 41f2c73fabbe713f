// Findings as the package locates them (issue 14): the editor marks and selects each
// finding's own range (line/column to endLine/endColumn) with no scanning of the page's
// own, shows related places fainter with a "see also" that selects them, and offers each
// fixable finding's fix in its lint tooltip and in the findings list.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  OUTPUT, SAMPLE, assertClean, clipboard, editorText, findings, paste, sessionPerFile, validated,
} from './support.mjs';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const SAMPLE_DIGEST = 'sha256:4e1b0f2ac43fbd41ec3c7bd0d3a5b2c0e6f8d9a7b1c3e5f7092a4c6e8b0d2f41';
const MOVE_A = `Fix: moved the digest "${A}" from image into digest`;
const MOVE_B = `Fix: moved the digest "${B}" from image into digest`;

const rowsOf = (list) => list.map((f) => [f.severity, f.code, f.position, f.pointer]);

// Two entries, each with its digest inside image: two findings, each with its own fix.
const TWO_EMBEDDED = [
  '{',
  '    "oscontainer": {',
  `        "image": "quay.io/x/y@${A}"`,
  '    },',
  '    "base-oscontainer": {',
  `        "image": "quay.io/x/y@${B}"`,
  '    }',
  '}',
  '',
].join('\n');

const browser = sessionPerFile();
const { pageFor } = browser;

/** The editor's selection, copied as a user would. */
async function selection(page) {
  await page.keyboard.press('Control+c');
  return clipboard(page);
}

/** The line number the gutter highlights: the line of the selection's end. */
function selectedLine(page) {
  return page.textContent('#editor .cm-lineNumbers .cm-activeLineGutter');
}

/** Hovers a mark in the editor and waits for its lint tooltip. */
async function tooltipOf(page, selector) {
  await page.hover(selector);
  const tooltip = page.locator('#editor .cm-tooltip-lint');
  await tooltip.waitFor();
  return tooltip;
}

test('a digest finding underlines the whole digest string and nothing else; its related place is marked and selectable', async (t) => {
  const page = await pageFor(t);
  const doc = [
    '{',
    '    "base-oscontainer": {',
    '        "image": "quay.io/fedora/fedora-coreos",',
    `        "digest": "${A}",`,
    `        "manifest-list-digest": "${A}"`,
    '    }',
    '}',
    '',
  ].join('\n');
  await paste(page, doc);
  const [finding, ...rest] = await findings(page);
  assert.deepEqual(rest, []);
  assert.deepEqual(rowsOf([finding]), [['warning', 'digest-equals-manifest-list', '4:19', '/base-oscontainer/digest']]);

  // Exactly the string value of "digest", quotes included: not the key, not the comma.
  assert.equal(await page.locator('#editor .cm-lintRange').count(), 1);
  assert.equal(await page.textContent('#editor .cm-lintRange-warning'), `"${A}"`);
  // manifest-list-digest's value is the related place: marked fainter, not as a finding.
  assert.equal(await page.locator('#editor .cm-relatedRange').count(), 1);
  assert.equal(await page.textContent('#editor .cm-relatedRange'), `"${A}"`);
  assert.equal(await page.getAttribute('#editor .cm-relatedRange', 'title'), 'manifest-list-digest, the same digest');
  assert.equal(await page.locator('#editor .cm-lint-marker').count(), 1);

  // The findings list names it under the row; "see also line 5" selects that value.
  assert.equal(await page.textContent('#findings .finding-actions'), 'see also line 5: manifest-list-digest, the same digest');
  assert.equal(await page.locator('#findings .quick-fix').count(), 0, 'not fixable: no fix button');
  await page.getByRole('button', { name: 'see also line 5' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'editor');
  assert.equal(await selection(page), `"${A}"`);
  assert.equal(await selectedLine(page), '5');

  // Opening the finding itself selects its own range.
  await page.click('#findings button.finding');
  assert.equal(await selection(page), `"${A}"`);
  assert.equal(await selectedLine(page), '4');
  await page.screenshot({ path: join(OUTPUT, 'finding-related.png') });
  await assertClean(page, assert);
});

test('a digest that goes wrong inside the string is underlined from there to the end of its text', async (t) => {
  const page = await pageFor(t);
  const upper = `sha256:${'A'.repeat(64)}`;
  await paste(page, `{\n    "oscontainer": {\n        "image": "quay.io/x/y",\n        "digest": "${upper}"\n    }\n}\n`);
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'digest-invalid', '4:27', '/oscontainer/digest']]);
  // From the first upper-case hex digit (after "sha256:") to the closing quote, not past it.
  assert.equal(await page.textContent('#editor .cm-lintRange-error'), 'A'.repeat(64));
  await page.click('#findings button.finding');
  assert.equal(await selection(page), 'A'.repeat(64));
  await assertClean(page, assert);
});

test('a quick fix from the findings list rewrites only its entry, and its finding goes away', async (t) => {
  const page = await pageFor(t);
  await paste(page, TWO_EMBEDDED);
  assert.deepEqual(rowsOf(await findings(page)), [
    ['error', 'image-embedded-digest', '3:18', '/oscontainer/image'],
    ['error', 'image-embedded-digest', '6:18', '/base-oscontainer/image'],
  ]);
  assert.equal(await page.textContent('#upgrade'), 'Upgrade: 2 fixes');
  const fixes = page.locator('#findings .quick-fix');
  assert.deepEqual(await fixes.allTextContents(), [MOVE_A, MOVE_B]);

  await validated(page, () => page.getByRole('button', { name: MOVE_B }).click());
  const fixed = TWO_EMBEDDED.replace(
    `        "image": "quay.io/x/y@${B}"\n`,
    `        "image": "quay.io/x/y",\n        "digest": "${B}"\n`,
  );
  assert.equal(await editorText(page), fixed);
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'image-embedded-digest', '3:18', '/oscontainer/image']]);
  assert.deepEqual(await fixes.allTextContents(), [MOVE_A]);
  assert.equal(await page.textContent('#upgrade'), 'Upgrade: 1 fix');
  assert.equal(await page.isVisible('#doc-edited'), true, 'a fix is an edit');

  // One fix is one undo.
  await page.locator('#editor .cm-content').focus();
  await validated(page, () => page.keyboard.press('Control+z'));
  assert.equal(await editorText(page), TWO_EMBEDDED);
  assert.equal((await findings(page)).length, 2);
  await assertClean(page, assert);
});

test('the lint tooltip offers the finding\'s fix; applied, the document is re-checked', async (t) => {
  const page = await pageFor(t);
  await paste(page, TWO_EMBEDDED);
  const tooltip = await tooltipOf(page, '#editor .cm-lintRange-error >> nth=0');
  assert.equal(await tooltip.locator('.cm-diagnosticAction').count(), 1);
  assert.equal(await tooltip.locator('.cm-diagnosticAction').textContent(), MOVE_A);
  await page.screenshot({ path: join(OUTPUT, 'finding-quick-fix-tooltip.png') });

  await validated(page, () => tooltip.locator('.cm-diagnosticAction').click());
  assert.equal(await editorText(page), TWO_EMBEDDED.replace(
    `        "image": "quay.io/x/y@${A}"\n`,
    `        "image": "quay.io/x/y",\n        "digest": "${A}"\n`,
  ));
  // The other entry is untouched, one line further down.
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'image-embedded-digest', '7:18', '/base-oscontainer/image']]);
  await assertClean(page, assert);
});

test('a duplicate key\'s tooltip says where the first one is, and "see also" selects it', async (t) => {
  const page = await pageFor(t);
  await paste(page, `{\n    "oscontainer": {\n        "image": "quay.io/x/y",\n        "image": "quay.io/x/z",\n        "digest": "${A}"\n    }\n}\n`);
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'duplicate-key', '4:9', '/oscontainer/image']]);
  // The key with its quotes, for the finding and for its related place.
  assert.equal(await page.textContent('#editor .cm-lintRange-error'), '"image"');
  assert.equal(await page.textContent('#editor .cm-relatedRange'), '"image"');

  const tooltip = await tooltipOf(page, '#editor .cm-lintRange-error');
  assert.equal(await tooltip.locator('.cm-relatedPlace').textContent(), 'see also line 3: the first occurrence, which JSON.parse drops');
  await tooltip.getByRole('button', { name: 'see also line 3' }).click();
  assert.equal(await selection(page), '"image"');
  assert.equal(await selectedLine(page), '3');
  await assertClean(page, assert);
});

test('a fix applies at the right place in a file with CRLF line breaks', async (t) => {
  const page = await pageFor(t);
  const crlf = SAMPLE.replaceAll('\n', '\r\n');
  await validated(page, () => page.setInputFiles('#file-input', { name: 'crlf.json', mimeType: 'application/json', buffer: Buffer.from(crlf) }));
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'image-embedded-digest', '20:18', '/base-oscontainer/image']]);
  await validated(page, () => page.locator('#findings .quick-fix').click());
  assert.deepEqual(await findings(page), []);
  assert.equal(await editorText(page), SAMPLE.replace(
    `        "image": "quay.io/fedora/fedora-coreos@${SAMPLE_DIGEST}"\n`,
    `        "image": "quay.io/fedora/fedora-coreos",\n        "digest": "${SAMPLE_DIGEST}"\n`,
  ));
  await assertClean(page, assert);
});

test('a fix offered for older text is not applied to newer text', async (t) => {
  const page = await pageFor(t);
  assert.equal((await findings(page)).length, 1);
  // The worker stops answering, so the findings stay those of the text before the edit.
  const [worker] = page.workers();
  await worker.evaluate(() => {
    self.onmessage = () => {};
  });
  await page.locator('#editor .cm-content').focus();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Enter');
  const edited = `\n${SAMPLE}`;
  assert.equal(await editorText(page), edited);

  await page.locator('#findings .quick-fix').click();
  await page.waitForSelector('#toast:has-text("The text changed since it was checked")');
  assert.equal(await editorText(page), edited);
  await assertClean(page, assert);
});
