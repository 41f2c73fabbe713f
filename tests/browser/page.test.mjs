// The reviewer page in real Chromium: what a reviewer sees and does, asserted exactly.
// One browser and one server for the whole file; every request of every page is kept
// for the last test (nothing may leave the origin).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  OUTPUT, SAMPLE, assertClean, clipboard, corpus, dropFile, editorText, entries, findings, paste, sessionPerFile, validated,
} from './support.mjs';

const SAMPLE_DIGEST = 'sha256:4e1b0f2ac43fbd41ec3c7bd0d3a5b2c0e6f8d9a7b1c3e5f7092a4c6e8b0d2f41';
const SAMPLE_IMAGE_LINE = `        "image": "quay.io/fedora/fedora-coreos@${SAMPLE_DIGEST}"`;
const UPGRADED_LINES = [
  '        "image": "quay.io/fedora/fedora-coreos",',
  `        "digest": "${SAMPLE_DIGEST}"`,
];
const UPGRADED_SAMPLE = SAMPLE.replace(`${SAMPLE_IMAGE_LINE}\n`, `${UPGRADED_LINES.join('\n')}\n`);

const rowsOf = (list) => list.map((f) => [f.severity, f.code, f.position, f.pointer]);

const browser = sessionPerFile();
const { pageFor } = browser;

test('the sample opens with its image-embedded-digest finding at line 20', async (t) => {
  const page = await pageFor(t);
  assert.equal(await page.textContent('#doc-name'), 'Sample meta.json');
  assert.equal(await editorText(page), SAMPLE);
  assert.equal(SAMPLE.split('\n')[19], SAMPLE_IMAGE_LINE, 'line 20 of the sample is the image');

  const [finding, ...rest] = await findings(page);
  assert.deepEqual(rest, []);
  assert.deepEqual(rowsOf([finding]), [['error', 'image-embedded-digest', '20:18', '/base-oscontainer/image']]);
  assert.match(finding.message, /embeds the digest/);
  assert.equal(await page.textContent('#status'), 'Invalid (canonical) · 1 error, 0 warnings');
  assert.deepEqual(await entries(page), [
    ['/base-oscontainer', 'embedded', `quay.io/fedora/fedora-coreos@${SAMPLE_DIGEST}`],
  ]);

  // The underline covers exactly the image value, and its gutter marker sits on line 20.
  assert.equal(await page.textContent('#editor .cm-lintRange-error'), `"quay.io/fedora/fedora-coreos@${SAMPLE_DIGEST}"`);
  const marker = await page.locator('#editor .cm-gutter-lint .cm-gutterElement:has(.cm-lint-marker-error)').boundingBox();
  const line20 = await page.locator('#editor .cm-lineNumbers .cm-gutterElement', { hasText: /^20$/ }).boundingBox();
  assert.equal(Math.round(marker.y), Math.round(line20.y));

  // Opening the finding selects the value it is about.
  await page.click('#findings button.finding');
  await page.keyboard.press('Control+c');
  assert.equal(await clipboard(page), `"quay.io/fedora/fedora-coreos@${SAMPLE_DIGEST}"`);

  await page.getByRole('button', { name: 'Copy pull spec of /base-oscontainer' }).click();
  await page.waitForSelector('#toast:has-text("Copied pull spec")');
  assert.equal(await clipboard(page), `quay.io/fedora/fedora-coreos@${SAMPLE_DIGEST}`);
  await assertClean(page, assert);
});

test('Upgrade shows the split form in a diff that marks only the entry lines; copy, download, apply', async (t) => {
  const page = await pageFor(t);
  await page.getByRole('button', { name: 'Upgrade' }).click();
  await page.waitForSelector('#diff .cm-merge-b .cm-changedLine');
  assert.equal(await page.isVisible('#editor-panel'), false);
  assert.equal(await page.textContent('#diff-summary'), '1 change; the result is valid.');
  assert.equal(
    await page.textContent('#changes'),
    `/base-oscontainer/image image-embedded-digest moved the digest "${SAMPLE_DIGEST}" from image into digest`,
  );
  const changed = (side) => page.$$eval(`#diff .cm-merge-${side} .cm-changedLine`, (lines) => lines.map((l) => l.textContent));
  assert.deepEqual(await changed('a'), [SAMPLE_IMAGE_LINE]);
  assert.deepEqual(await changed('b'), UPGRADED_LINES);

  await page.getByRole('button', { name: 'Copy result' }).click();
  await page.waitForSelector('#toast:has-text("Copied upgraded JSON")');
  assert.equal(await clipboard(page), UPGRADED_SAMPLE);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-result')]);
  assert.equal(download.suggestedFilename(), 'meta.json');
  assert.equal(await readFile(await download.path(), 'utf8'), UPGRADED_SAMPLE);

  await validated(page, () => page.getByRole('button', { name: 'Apply to editor' }).click());
  assert.equal(await page.isVisible('#diff-panel'), false);
  assert.deepEqual(await findings(page), []);
  assert.equal(await page.textContent('#status'), 'Valid (canonical) · 0 errors, 0 warnings');
  assert.deepEqual(await entries(page), [
    ['/base-oscontainer', 'split', `quay.io/fedora/fedora-coreos@${SAMPLE_DIGEST}`],
  ]);
  assert.equal(await editorText(page), UPGRADED_SAMPLE);
  await assertClean(page, assert);
});

test('a downloaded result keeps the name of the file that was opened', async (t) => {
  const page = await pageFor(t);
  const name = 'fedora-coreos-36.20220820.3.0-meta.json';
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open file…' }).click()]);
  await validated(page, () => chooser.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(SAMPLE) }));
  assert.equal(await page.textContent('#doc-name'), name);
  await page.click('#upgrade');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-result')]);
  assert.equal(download.suggestedFilename(), name);
  assert.equal(await readFile(await download.path(), 'utf8'), UPGRADED_SAMPLE);

  // A file written with CRLF line breaks is checked and downloaded with them.
  const crlf = SAMPLE.replaceAll('\n', '\r\n');
  await validated(page, () => page.setInputFiles('#file-input', { name: 'crlf.json', mimeType: 'application/json', buffer: Buffer.from(crlf) }));
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'image-embedded-digest', '20:18', '/base-oscontainer/image']]);
  await page.click('#upgrade');
  const [crlfDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-result')]);
  assert.equal(crlfDownload.suggestedFilename(), 'crlf.json');
  assert.equal(await readFile(await crlfDownload.path(), 'utf8'), UPGRADED_SAMPLE.replaceAll('\n', '\r\n'));
  await assertClean(page, assert);
});

test('pasted invalid JSON shows json-syntax at its line and column; typing and undo re-validate', async (t) => {
  const page = await pageFor(t);
  const broken = '{\n    "oscontainer": {\n        "image": "quay.io/x",\n    }\n}\n';
  await paste(page, broken);
  const [syntax] = await findings(page);
  // Reported at the comma itself, the character to delete.
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'json-syntax', '3:29', '/']]);
  assert.equal(syntax.message, "trailing comma before '}' is not allowed in JSON");
  assert.equal(await page.textContent('#editor .cm-lintRange-error'), ',');
  assert.deepEqual(await entries(page), []);
  assert.equal(await page.isVisible('#entries-empty'), true);

  // Delete the trailing comma by keyboard: the finding moves the cursor to 3:29.
  await page.click('#findings button.finding');
  await page.keyboard.press('End');
  await validated(page, () => page.keyboard.press('Backspace'));
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'digest-missing', '2:20', '/oscontainer']]);
  assert.equal(await editorText(page), broken.replace('"quay.io/x",', '"quay.io/x"'));

  await page.locator('#editor .cm-content').focus();
  await validated(page, () => page.keyboard.press('Control+z'));
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'json-syntax', '3:29', '/']]);

  await validated(page, () => page.getByRole('button', { name: 'Load sample' }).click());
  assert.equal(await editorText(page), SAMPLE);
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'image-embedded-digest', '20:18', '/base-oscontainer/image']]);
  await assertClean(page, assert);
});

test('a pasted fragment "oscontainer": {...} is validated as members of an object', async (t) => {
  const page = await pageFor(t);
  const digest = `sha256:${'ab'.repeat(32)}`;
  const fragment = `"oscontainer": {"image": "quay.io/openshift-release-dev/ocp-v4.0-art-dev:4.9", "digest": "${digest}"}`;
  await paste(page, fragment);
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'image-has-tag', '1:26', '/oscontainer/image']]);
  assert.deepEqual(await entries(page), [
    // The image's own tag does not make it the agreed form: no `tags` were written.
    ['/oscontainer', 'split', `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${digest}`],
  ]);

  assert.equal(await page.isVisible('#entries-body .tags'), false);

  await paste(page, `"base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "digest": "${digest}", "tags": ["stable", "36.20221014.3.0"]}`);
  assert.deepEqual(await findings(page), []);
  assert.deepEqual(await entries(page), [['/base-oscontainer', 'tagged', `quay.io/fedora/fedora-coreos@${digest}`]]);
  assert.equal(await page.textContent('#entries-body .tags'), 'tags: stable, 36.20221014.3.0');

  // Columns count UTF-16 units, as the editor does: the rocket before the image is two.
  await paste(page, `{"summary": "🚀 café", "oscontainer": {"image": "quay.io/x@${digest}"}}`);
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'image-embedded-digest', '1:49', '/oscontainer/image']]);
  assert.equal(await page.textContent('#editor .cm-lintRange-error'), `"quay.io/x@${digest}"`);
  await assertClean(page, assert);
});

test('a corpus file dropped on the page opens; cosa v1.json as extra schema adds schema-violation findings', async (t) => {
  const dir = corpus('meta', t);
  const schemaDir = corpus('cosa-schema', t);
  if (!dir || !schemaDir) return;
  const firstRequest = browser.session.requests.length;
  const page = await pageFor(t);
  const fetched = () => browser.session.requests.slice(firstRequest).map((url) => new URL(url).pathname);

  // Dropped on the editor itself, a file replaces the document instead of being inserted.
  const fcosName = 'coreos-coreos-assembler__fixtures_fcos.json';
  const fcos = await readFile(join(dir, fcosName), 'utf8');
  await validated(page, () => dropFile(page, '#editor .cm-content', fcosName, fcos));
  assert.equal(await page.textContent('#doc-name'), fcosName);
  assert.equal(await editorText(page), fcos);
  assert.deepEqual(rowsOf(await findings(page)), [['info', 'no-entries', '1:1', '/']]);

  const installerName = 'openshift-installer__data_data_rhcos-amd64@18d578307.json';
  const installer = await readFile(join(dir, installerName), 'utf8');
  let overlayShown;
  await validated(page, async () => { overlayShown = await dropFile(page, '#entries-section', installerName, installer); });
  assert.equal(overlayShown, true, 'dragging a file over the page shows the drop overlay');
  assert.equal(await page.isVisible('#drop-overlay'), false);
  assert.equal(await page.textContent('#doc-name'), installerName);
  assert.equal(await editorText(page), installer);
  assert.deepEqual(await findings(page), []);
  const { oscontainer } = JSON.parse(installer);
  assert.deepEqual(await entries(page), [['/oscontainer', 'split', `${oscontainer.image}@${oscontainer.digest}`]]);

  // jsonschema is in a second module, fetched only once a schema is picked.
  assert.deepEqual(fetched().filter((path) => path.endsWith('.wasm')), ['/oscontainer_bg.wasm']);
  const schemaFile = join(schemaDir, 'coreos-coreos-assembler__src_v1.json@05db482e6.json');
  await validated(page, () => page.setInputFiles('#schema-input', schemaFile));
  assert.deepEqual(fetched().filter((path) => path.endsWith('.wasm')), ['/oscontainer_bg.wasm', '/oscontainer_schema_bg.wasm']);
  assert.equal(await page.textContent('#schema-name'), 'coreos-coreos-assembler__src_v1.json@05db482e6.json');
  const violations = await findings(page);
  assert.deepEqual(rowsOf(violations), [
    ['error', 'schema-violation', '1:1', '/'],
    ['error', 'schema-violation', '1:1', '/'],
    ['error', 'schema-violation', '2:13', '/amis'],
    ['error', 'schema-violation', '59:5', '/baseURI'],
  ]);
  assert.match(violations[0].message, /missing the required property "name"/);
  assert.match(violations[3].message, /property "baseURI"/);
  assert.equal(installer.split('\n')[58].slice(4, 13), '"baseURI"', '59:5 is the baseURI member');

  await validated(page, () => page.getByRole('button', { name: 'Remove extra schema' }).click());
  assert.deepEqual(await findings(page), []);
  await assertClean(page, assert);
});

test('a file that cannot be a schema is refused with one plain sentence, and the page keeps working', async (t) => {
  const page = await pageFor(t);
  await page.setInputFiles('#schema-input', {
    name: 'broken-schema.json', mimeType: 'application/json', buffer: Buffer.from('{"type": 12}'),
  });
  await page.waitForSelector('#banner:visible');
  // The file is named once, and nothing of the package's API (options.schema) shows.
  assert.equal(
    await page.textContent('#banner-text'),
    "broken-schema.json cannot be used as a schema: at /type, value is not valid under any of the schemas listed in the 'anyOf' keyword.",
  );
  assert.equal(await page.isVisible('#schema-chip'), false);
  await mkdir(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, 'schema-error.png') });
  await validated(page, () => page.getByLabel('compat').check());
  assert.deepEqual(rowsOf(await findings(page)), [['warning', 'image-embedded-digest', '20:18', '/base-oscontainer/image']]);
  await page.getByRole('button', { name: 'Dismiss message' }).click();
  assert.equal(await page.isVisible('#banner'), false);

  await page.setInputFiles('#schema-input', { name: 'list.json', mimeType: 'application/json', buffer: Buffer.from('[1]') });
  await page.waitForSelector('#banner:visible');
  assert.equal(await page.textContent('#banner-text'), 'list.json cannot be used as a schema: at its root, value is not of types "boolean", "object".');
  await page.getByRole('button', { name: 'Dismiss message' }).click();

  await page.setInputFiles('#schema-input', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not json') });
  await page.waitForSelector('#banner:visible');
  // The rest is the browser's own JSON.parse message.
  assert.match(await page.textContent('#banner-text'), /^notes\.txt cannot be used as a schema: it is not JSON \(.+\)\.$/);
  assert.equal(await page.isVisible('#schema-chip'), false);
  await assertClean(page, assert);
});

test('when the validator crashes, the call shows an error banner and the next edit is checked again', async (t) => {
  const page = await pageFor(t);
  const [worker] = page.workers();
  // The next message makes the worker throw outside any handler of ours, as a trap that
  // escaped the package's own recovery would.
  await worker.evaluate(() => {
    self.onmessage = () => {
      throw new Error('simulated crash');
    };
  });
  await validated(page, () => page.getByLabel('compat').check());
  assert.equal(await page.isVisible('#banner'), true);
  assert.equal(await page.textContent('#banner-text'), 'Could not validate: Uncaught Error: simulated crash');
  assert.equal(await page.textContent('#status'), 'Not checked');
  assert.deepEqual(await findings(page), []);

  await validated(page, () => page.getByLabel('canonical').check());
  assert.equal(await page.isVisible('#banner'), false);
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'image-embedded-digest', '20:18', '/base-oscontainer/image']]);
  await assertClean(page, assert);
});

test('a share link restores the document and the profile, and its fragment never reaches the server', async (t) => {
  const page = await pageFor(t);
  const doc = SAMPLE.replace('Fedora CoreOS stable', 'Fedora CoreOS stable — café ☕ 🚀');
  await paste(page, doc);
  await validated(page, () => page.getByLabel('compat').check());
  assert.deepEqual(rowsOf(await findings(page)), [['warning', 'image-embedded-digest', '20:18', '/base-oscontainer/image']]);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.waitForSelector('#toast:has-text("Copied link")');
  const link = await clipboard(page);
  assert.ok(link.startsWith(`${browser.session.url}#profile=compat&doc=`), link.slice(0, 80));
  assert.equal(await page.evaluate(() => location.href), link);

  const reopened = await pageFor(t, { path: link.slice(browser.session.url.length) });
  assert.equal(await reopened.textContent('#doc-name'), 'Shared link');
  assert.equal(await reopened.isChecked('input[name="profile"][value="compat"]'), true);
  assert.equal(await editorText(reopened), doc);
  assert.deepEqual(rowsOf(await findings(reopened)), [['warning', 'image-embedded-digest', '20:18', '/base-oscontainer/image']]);
  assert.equal(await reopened.textContent('#status'), 'Valid (compat) · 0 errors, 1 warning');

  assert.deepEqual(browser.session.served.filter((url) => url.includes('doc=')), []);
  await assertClean(page, assert);
  await assertClean(reopened, assert);
});

test('a damaged share link says so and opens the sample instead', async (t) => {
  const page = await pageFor(t, { path: '#profile=compat&doc=bm90LWRlZmxhdGU' });
  assert.equal(await page.isVisible('#banner'), true);
  assert.match(await page.textContent('#banner-text'), /^This link's document could not be read \(.+\); the sample is shown instead\.$/);
  assert.equal(await page.textContent('#doc-name'), 'Sample meta.json');
  assert.equal(await editorText(page), SAMPLE);
  await assertClean(page, assert);
});

test('hostile keys and strings are shown as text and never run', async (t) => {
  const page = await pageFor(t);
  const hostile = [
    '{',
    '    "<img src=x onerror=\\"window.__pwned=1;alert(1)\\">": "</script><script>window.__pwned=2</script>",',
    '    "oscontainer": {',
    '        "image": "<img src=x onerror=window.__pwned=3>",',
    '        "</script><svg onload=window.__pwned=4>": "<b>bold</b>",',
    // A fixable finding, so that Upgrade has a diff to draw the hostile lines in.
    '        "tags": "<iframe onload=window.__pwned=5>"',
    '    }',
    '}',
    '',
  ].join('\n');
  await paste(page, hostile);
  const rows = await findings(page);
  assert.deepEqual(rowsOf(rows), [
    ['error', 'digest-missing', '3:20', '/oscontainer'],
    ['error', 'image-invalid', '4:19', '/oscontainer/image'],
    ['warning', 'unknown-field', '5:9', '/oscontainer/<~1script><svg onload=window.__pwned=4>'],
    ['error', 'tags-not-array', '6:17', '/oscontainer/tags'],
    ['error', 'tag-invalid', '6:18', '/oscontainer/tags'],
  ]);
  assert.ok(rows[1].message.startsWith('image "<img src=x onerror=window.__pwned=3>" is not a valid reference'), rows[1].message);
  assert.equal(rows[2].message, 'unknown field "</script><svg onload=window.__pwned=4>" in a container entry');
  assert.deepEqual(await entries(page), [['/oscontainer', 'image-only', 'none (no digest)tags: <iframe onload=window.__pwned=5>']]);

  await page.click('#upgrade');
  await page.waitForSelector('#diff .cm-merge-b .cm-changedLine');
  assert.equal(await page.textContent('#changes'), '/oscontainer/tags tags-not-array wrapped the tag in an array');

  const planted = await page.evaluate(() => {
    const roots = [document, ...[...document.querySelectorAll('*')].map((e) => e.shadowRoot).filter(Boolean)];
    return roots.flatMap((root) => [...root.querySelectorAll('img, svg, b, iframe, object, embed, script:not([src])')])
      .map((e) => e.outerHTML);
  });
  assert.deepEqual(planted, []);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.evaluate(() => document.querySelectorAll('script').length), 1);
  await assertClean(page, assert);
});

test('findings are keyboard navigable, and every control has an accessible name', async (t) => {
  const page = await pageFor(t);
  await paste(page, '{\n    "kubevirt": {\n        "image": "Quay.io/X:latest",\n        "tags": "stable"\n    }\n}\n');
  assert.deepEqual(rowsOf(await findings(page)), [
    ['error', 'digest-missing', '2:17', '/kubevirt'],
    ['error', 'image-invalid', '3:27', '/kubevirt/image'],
    ['error', 'tags-not-array', '4:17', '/kubevirt/tags'],
  ]);
  const focusedRow = () => page.evaluate(() => [...document.querySelectorAll('#findings button.finding')].indexOf(document.activeElement));

  // Arrow keys walk the list; Enter opens a finding: the editor gets the focus with the
  // finding's range selected (image-invalid's runs from the "X", where the reference goes
  // wrong, to the end of the string's text).
  await page.locator('#findings button.finding').first().focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedRow(), 1);
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'editor');
  await page.keyboard.press('Control+c');
  assert.equal(await clipboard(page), 'X:latest');
  // digest-missing's mark (the whole object) holds the others.
  assert.ok((await page.$$eval('#editor .cm-lintRange-error', (marks) => marks.map((m) => m.textContent))).includes('X:latest'));

  await page.locator('#findings button.finding').first().focus();
  await page.keyboard.press('End');
  assert.equal(await focusedRow(), 2);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Home');
  assert.equal(await focusedRow(), 0);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+c');
  // A missing member is located at the object that lacks it.
  assert.equal(await clipboard(page), '{\n        "image": "Quay.io/X:latest",\n        "tags": "stable"\n    }');

  // The search panel (Ctrl-F) is part of what must be named.
  await page.locator('#editor .cm-content').focus();
  await page.keyboard.press('Control+f');
  await page.waitForSelector('#editor .cm-search');

  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const controls = nodes.filter((n) => !n.ignored && ['button', 'textbox', 'radio', 'checkbox', 'combobox', 'link'].includes(n.role?.value));
  const unnamed = controls.filter((n) => !n.name?.value?.trim()).map((n) => n.role.value);
  assert.deepEqual(unnamed, []);
  // tags-not-array is the one fixable finding.
  for (const name of ['Open file…', 'Load sample', 'Extra schema…', 'Upgrade: 1 fix', 'Copy link']) {
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, name);
  }
  assert.equal(await page.getByRole('textbox', { name: 'meta.json document' }).count(), 1);
  assert.equal(await page.getByRole('radio', { name: 'canonical' }).count(), 1);
  await assertClean(page, assert);
});

test('a 5 MB paste is validated and its finding is placed on the right line', async (t) => {
  const page = await pageFor(t);
  const lines = SAMPLE.split('\n');
  const filler = Array.from({ length: 110000 }, (_, i) => `        "package-${String(i).padStart(5, '0')}-with-a-long-name.x86_64",`);
  filler[filler.length - 1] = filler[filler.length - 1].slice(0, -1);
  const big = [lines[0], '    "pkglist": [', ...filler, '    ],', ...lines.slice(1)].join('\n');
  assert.ok(big.length > 5_000_000, `${big.length} characters`);
  await paste(page, big);
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'image-embedded-digest', `${20 + filler.length + 2}:18`, '/base-oscontainer/image']]);
  await assertClean(page, assert);
});

test('screenshots of the loaded page: 1280x800, dark, and narrow without sideways scrolling', async (t) => {
  await mkdir(OUTPUT, { recursive: true });
  const page = await pageFor(t);
  const file = join(OUTPUT, 'page.png');
  await page.screenshot({ path: file });
  assert.ok((await stat(file)).size > 10_000);

  const dark = await pageFor(t, { colorScheme: 'dark' });
  assert.equal(await dark.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(21, 24, 29)');
  assert.equal(await dark.evaluate(() => getComputedStyle(document.querySelector('#editor').shadowRoot.querySelector('.cm-editor')).backgroundColor), 'rgb(26, 29, 35)');
  await dark.screenshot({ path: join(OUTPUT, 'page-dark.png') });

  const narrow = await pageFor(t, { viewport: { width: 390, height: 844 } });
  assert.equal(await narrow.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  assert.equal(await narrow.isVisible('#findings button.finding'), true);
  await narrow.screenshot({ path: join(OUTPUT, 'page-narrow.png'), fullPage: true });

  // Too narrow for two columns, the diff is unified: deleted lines above the new ones.
  await narrow.click('#upgrade');
  await narrow.waitForSelector('#diff .cm-changedLine');
  assert.deepEqual(await narrow.$$eval('#diff .cm-deletedChunk .cm-deletedLine', (lines) => lines.map((l) => l.textContent)), [SAMPLE_IMAGE_LINE]);
  assert.deepEqual(await narrow.$$eval('#diff .cm-changedLine', (lines) => lines.map((l) => l.textContent)), UPGRADED_LINES);
  assert.equal(await narrow.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  await narrow.screenshot({ path: join(OUTPUT, 'upgrade-narrow.png'), fullPage: true });
  for (const p of [page, dark, narrow]) await assertClean(p, assert);
});

test('no request of the whole session left the origin', () => {
  const { origin, requests } = browser.session;
  assert.ok(requests.includes(`${origin}/oscontainer_bg.wasm`), 'the wasm was loaded from the origin');
  assert.ok(requests.includes(`${origin}/worker.js`));
  const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith(`blob:${origin}/`));
  assert.deepEqual(foreign, []);
});
