// Page states that never mislead (issue 12, "The page"): the share link follows the
// document, a document without entries is "Nothing to check", the Upgrade button says
// what it will change or why it is off, the heading names the source, an empty editor
// says what to paste, a fenced or quoted paste is unwrapped, a pull spec pasted alone is
// checked as a reference, and the profiles are explained where they are chosen. Each
// test leaves a screenshot in test-output/ for review.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import {
  OUTPUT, SAMPLE, assertClean, corpus, dropFile, editorText, findings, paste, sessionPerFile, settled, validated,
} from './support.mjs';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const SAMPLE_FINDING = ['error', 'image-embedded-digest', '20:18', '/base-oscontainer/image'];
const EMPTY_TEXT = 'Paste a whole meta.json, one container entry, or a fragment copied from an issue such as "oscontainer": {…}. Open file… and dropping a file work too.';
const PLAIN_NO_ENTRIES = 'the document has no container entry (oscontainer, base-oscontainer, extensions-container or kubevirt)';
const METADATA_HINT = "a build's meta.json is builds/<build id>/<arch>/meta.json in cosa's build directory";
const RELEASE_MESSAGE = "the document looks like a release.json (stream metadata for one release), not a meta.json; its oci-image and media.kubevirt.image pairs are made from the base-oscontainer and kubevirt entries of the build's meta.json files, so check those";
const RELEASE_INDEX_MESSAGE = "the document looks like a releases.json (the index of a stream's releases), not a meta.json; container entries are in the meta.json files of each build, so check those";
const STREAM_MESSAGE = "the document looks like a stream.json (stream metadata: a stream's current artifacts and images per architecture), not a meta.json; container entries are in the meta.json files of each build, so check those";
const REFERENCE_NOTE = 'One line that is not JSON is checked as an image reference. Paste a meta.json, an entry or a fragment to check container entries.';

const rowsOf = (list) => list.map((f) => [f.severity, f.code, f.position, f.pointer]);

const browser = sessionPerFile();
const { pageFor } = browser;

function screenshot(page, name) {
  return page.screenshot({ path: join(OUTPUT, `${name}.png`) });
}

/** What the status line, the note under it and the Upgrade button say. */
async function state(page) {
  return page.evaluate(() => {
    const $ = (s) => document.querySelector(s);
    const upgrade = $('#upgrade');
    return {
      heading: $('#doc-name').textContent,
      edited: !$('#doc-edited').hidden,
      status: $('#status').textContent,
      tone: $('#status').className,
      detail: $('#status-detail').hidden ? null : $('#status-detail').textContent,
      notice: $('#notice').hidden ? null : $('#notice-text').textContent,
      upgrade: upgrade.textContent,
      upgradeDisabled: upgrade.disabled,
      upgradeNote: $('#upgrade-note').textContent,
      upgradeReason: upgrade.title,
    };
  });
}

/** The document and profile a `#profile=…&doc=…` fragment holds (deflate, base64url). */
function decodeFragment(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const doc = params.get('doc');
  if (doc === null) return null;
  return { profile: params.get('profile'), text: inflateSync(Buffer.from(doc, 'base64url')).toString('utf8') };
}

/** Waits until the address holds `text` (the page updates it a moment after an edit). */
async function addressHolds(page, text) {
  let shared;
  for (let tries = 0; tries < 400; tries++) {
    shared = decodeFragment(await page.evaluate(() => location.hash));
    if (shared?.text === text) return shared;
    await page.waitForTimeout(50);
  }
  assert.fail(`the address never held the text; it holds ${JSON.stringify(shared?.text?.slice(0, 80))}`);
}

test('the share link follows the edits: copy, edit, reload shows the edited text; Load sample clears it', async (t) => {
  const page = await pageFor(t);
  assert.equal(await page.evaluate(() => location.hash), '', 'the sample needs no fragment');
  const first = SAMPLE.replace('Fedora CoreOS stable', 'Fedora CoreOS stable (shared)');
  await paste(page, first);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.waitForSelector('#toast:has-text("Copied link")');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.deepEqual(decodeFragment(new URL(link).hash), { profile: 'canonical', text: first });

  // Typing changes the address (debounced), so the copied link is a snapshot and the
  // address is always the current text.
  await page.locator('#editor .cm-content').focus();
  await page.keyboard.press('Control+End');
  await validated(page, () => page.keyboard.type('\n'));
  const edited = `${first}\n`;
  await addressHolds(page, edited);
  assert.deepEqual(decodeFragment(await page.evaluate(() => location.hash)), { profile: 'canonical', text: edited });
  assert.deepEqual(await state(page).then((s) => [s.heading, s.edited]), ['Pasted', true]);

  // The profile is part of it too.
  await validated(page, () => page.getByLabel('compat').check());
  await page.waitForFunction(() => location.hash.startsWith('#profile=compat&'));

  await page.reload();
  await settled(page);
  await screenshot(page, 'share-after-reload');
  assert.equal(await editorText(page), edited, 'the reload shows the edited text, not the copied one');
  assert.equal(await page.isChecked('input[name="profile"][value="compat"]'), true);
  assert.deepEqual(await state(page).then((s) => [s.heading, s.edited]), ['Shared link', false]);
  assert.deepEqual(rowsOf(await findings(page)), [['warning', 'image-embedded-digest', '20:18', '/base-oscontainer/image']]);
  assert.equal(await page.isVisible('#banner'), false);

  // The link copied before the edit still opens what it held then.
  const old = await pageFor(t, { path: new URL(link).hash });
  assert.equal(await editorText(old), first);
  assert.equal((await state(old)).heading, 'Shared link');

  // Load sample (canonical) empties the fragment: a reload shows the sample.
  await validated(page, () => page.getByLabel('canonical').check());
  await validated(page, () => page.getByRole('button', { name: 'Load sample' }).click());
  await page.waitForFunction(() => location.hash === '');
  await page.reload();
  await settled(page);
  assert.equal(await editorText(page), SAMPLE);
  assert.equal((await state(page)).heading, 'Sample meta.json');

  // The sample under compat is not what a bare address opens: it gets a fragment.
  await validated(page, () => page.getByLabel('compat').check());
  await addressHolds(page, SAMPLE);
  assert.ok((await page.evaluate(() => location.hash)).startsWith('#profile=compat&doc='));
  for (const p of [page, old]) await assertClean(p, assert);
});

test('{} and a corpus release file show a neutral Nothing to check with what the document looks like', async (t) => {
  const page = await pageFor(t);
  await paste(page, '{}');
  assert.deepEqual(await state(page), {
    heading: 'Pasted',
    edited: false,
    status: 'Nothing to check',
    tone: 'status status-neutral',
    detail: PLAIN_NO_ENTRIES,
    notice: null,
    upgrade: 'Upgrade',
    upgradeDisabled: true,
    upgradeNote: 'nothing to upgrade',
    upgradeReason: 'This document has no container entries for Upgrade to rewrite.',
  });
  assert.deepEqual(rowsOf(await findings(page)), [['info', 'no-entries', '1:1', '/']]);
  assert.equal(await page.isVisible('#entries-empty'), true);
  await screenshot(page, 'nothing-to-check-empty-object');

  // Not a green Valid: the status is drawn in the muted colour.
  const colours = await page.evaluate(() => [getComputedStyle(document.querySelector('#status')).color, getComputedStyle(document.body).getPropertyValue('--muted').trim()]);
  assert.equal(colours[0], 'rgb(91, 101, 117)', `muted ${colours[1]}`);

  const dir = corpus('release', t);
  if (!dir) return;
  const cases = [
    ['coreos-stream-metadata-go__release_fixtures_fcos-release.json', RELEASE_MESSAGE],
    ['coreos-stream-metadata-go__release_fixtures_fcos-releases.json', RELEASE_INDEX_MESSAGE],
    ['coreos-fedora-coreos-stream-generator__fixtures_stream.json', STREAM_MESSAGE],
  ];
  for (const [name, message] of cases) {
    const text = await readFile(join(dir, name), 'utf8');
    await validated(page, () => dropFile(page, '#editor .cm-content', name, text));
    const shown = await state(page);
    assert.deepEqual(
      [shown.heading, shown.status, shown.tone, shown.detail, shown.upgradeDisabled, shown.upgradeNote],
      [name, 'Nothing to check', 'status status-neutral', `${message} (${METADATA_HINT})`, true, 'nothing to upgrade'],
      name,
    );
    const [finding, ...rest] = await findings(page);
    assert.deepEqual(rest, [], name);
    assert.deepEqual([finding.severity, finding.code, finding.position, finding.message, finding.hint], ['info', 'no-entries', '1:1', message, METADATA_HINT]);
    if (name.endsWith('fcos-release.json')) await screenshot(page, 'nothing-to-check-release-json');
  }
  await assertClean(page, assert);
});

test('the Upgrade button counts the fixable findings and is off, with a reason, when there is nothing to fix', async (t) => {
  const page = await pageFor(t);
  assert.deepEqual(
    await state(page).then((s) => [s.upgrade, s.upgradeDisabled, s.upgradeNote]),
    ['Upgrade: 1 fix', false, ''],
  );
  assert.equal(await page.textContent('#findings-count'), '(1, 1 fixable)');
  assert.equal(await page.textContent('#findings button.finding .fixable'), 'fixable');

  const two = JSON.stringify({
    oscontainer: { image: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${DIGEST}` },
    'base-oscontainer': { image: `quay.io/fedora/fedora-coreos@${DIGEST}` },
  }, null, 4);
  await paste(page, two);
  assert.deepEqual(rowsOf(await findings(page)), [
    ['error', 'image-embedded-digest', '3:18', '/oscontainer/image'],
    ['error', 'image-embedded-digest', '6:18', '/base-oscontainer/image'],
  ]);
  const button = page.getByRole('button', { name: 'Upgrade: 2 fixes', exact: true });
  assert.equal(await button.isEnabled(), true);
  assert.equal(await button.getAttribute('title'), 'Rewrite the entries into the agreed form: 2 fixes, shown as a diff first');
  await screenshot(page, 'upgrade-two-fixes');

  // After applying the upgrade there is nothing left to fix.
  await button.click();
  await page.waitForSelector('#diff .cm-merge-b .cm-changedLine');
  assert.equal(await page.textContent('#diff-summary'), '2 changes; the result is valid.');
  await validated(page, () => page.getByRole('button', { name: 'Apply to editor' }).click());
  assert.deepEqual(await state(page).then((s) => [s.status, s.edited, s.upgrade, s.upgradeDisabled, s.upgradeNote, s.upgradeReason]), [
    'Valid (canonical) · 0 errors, 0 warnings', true, 'Upgrade', true, 'nothing to fix', 'The container entries are already in the agreed form.',
  ]);
  assert.equal(await page.textContent('#findings-count'), '(0)');

  // Findings that no upgrade can fix.
  await paste(page, '{"oscontainer": {"image": "quay.io/x"}}');
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'digest-missing', '1:17', '/oscontainer']]);
  assert.deepEqual(await state(page).then((s) => [s.upgrade, s.upgradeDisabled, s.upgradeNote, s.upgradeReason]), [
    'Upgrade', true, 'nothing to fix', 'None of the findings is one that Upgrade can fix.',
  ]);

  // Broken JSON.
  await paste(page, '{"oscontainer": {"image": ');
  assert.deepEqual(await state(page).then((s) => [s.upgrade, s.upgradeDisabled, s.upgradeNote, s.upgradeReason]), [
    'Upgrade', true, 'JSON does not parse', 'Upgrade needs a document that parses as JSON; fix the syntax error first.',
  ]);
  // The accessible description of the button is the visible note.
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const node = nodes.find((n) => n.role?.value === 'button' && n.name?.value === 'Upgrade');
  assert.equal(node.description?.value, 'JSON does not parse');
  await screenshot(page, 'upgrade-disabled-broken-json');
  // A click on the disabled button opens nothing.
  await page.click('#upgrade', { force: true });
  assert.equal(await page.isVisible('#diff-panel'), false);
  await assertClean(page, assert);
});

test('the heading names the source: sample, paste, file, shared link; edits are marked', async (t) => {
  const page = await pageFor(t);
  assert.deepEqual(await state(page).then((s) => [s.heading, s.edited]), ['Sample meta.json', false]);

  await page.locator('#editor .cm-content').focus();
  await validated(page, () => page.keyboard.type(' '));
  assert.deepEqual(await state(page).then((s) => [s.heading, s.edited]), ['Sample meta.json', true]);
  assert.equal(await page.textContent('#doc-edited'), 'edited');

  await paste(page, '{"oscontainer": {}}');
  assert.deepEqual(await state(page).then((s) => [s.heading, s.edited]), ['Pasted', false]);

  // A paste into part of the text is an edit of what is there.
  await page.keyboard.press('Control+End');
  await page.evaluate(() => navigator.clipboard.writeText(' '));
  await validated(page, () => page.keyboard.press('Control+v'));
  assert.deepEqual(await state(page).then((s) => [s.heading, s.edited]), ['Pasted', true]);

  const name = 'rhcos-413.92.202305021736-0-aarch64-meta.json';
  await validated(page, () => page.setInputFiles('#file-input', { name, mimeType: 'application/json', buffer: Buffer.from(SAMPLE) }));
  assert.deepEqual(await state(page).then((s) => [s.heading, s.edited]), [name, false]);
  await screenshot(page, 'heading-file-name');

  await validated(page, () => page.getByRole('button', { name: 'Load sample' }).click());
  assert.deepEqual(await state(page).then((s) => [s.heading, s.edited]), ['Sample meta.json', false]);
  await assertClean(page, assert);
});

test('an empty editor shows what can be pasted, not an error', async (t) => {
  const page = await pageFor(t);
  await page.locator('#editor .cm-content').focus();
  await page.keyboard.press('Control+a');
  await validated(page, () => page.keyboard.press('Delete'));
  assert.equal(await page.textContent('#editor .cm-placeholder'), EMPTY_TEXT);
  assert.deepEqual(await state(page), {
    heading: 'Sample meta.json',
    edited: true,
    status: 'Empty',
    tone: 'status status-neutral',
    detail: null,
    notice: null,
    upgrade: 'Upgrade',
    upgradeDisabled: true,
    upgradeNote: 'nothing to upgrade',
    upgradeReason: 'The editor is empty; Upgrade rewrites the container entries of a document.',
  });
  assert.deepEqual(await findings(page), []);
  assert.equal(await page.textContent('#findings'), 'Nothing to check yet.');
  assert.equal(await page.locator('#editor .cm-lintRange, #editor .cm-lint-marker').count(), 0);
  // Whitespace alone is empty too.
  await validated(page, () => page.keyboard.type('\n  \n'));
  assert.equal((await state(page)).status, 'Empty');
  await page.keyboard.press('Control+a');
  await validated(page, () => page.keyboard.press('Delete'));
  await screenshot(page, 'empty-editor');

  // The placeholder goes with the first character.
  await validated(page, () => page.keyboard.type('{'));
  assert.equal(await page.locator('#editor .cm-placeholder').count(), 0);
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'json-syntax', '1:2', '/']]);
  await assertClean(page, assert);
});

test('a paste in a Markdown fence or quoted with "> " is unwrapped, and the page says so', async (t) => {
  const page = await pageFor(t);
  const entry = `{\n    "oscontainer": {\n        "image": "quay.io/x@${DIGEST}"\n    }\n}`;
  const finding = [['error', 'image-embedded-digest', '3:18', '/oscontainer/image']];

  await paste(page, `\`\`\`json\n${entry}\n\`\`\`\n`);
  assert.equal(await editorText(page), entry);
  assert.equal((await state(page)).notice, 'Removed the Markdown code fence (```) around the pasted text.');
  assert.deepEqual(rowsOf(await findings(page)), finding);
  await screenshot(page, 'paste-fenced');

  // One undo brings back what was there before the paste, the fence is no extra step.
  await page.locator('#editor .cm-content').focus();
  await validated(page, () => page.keyboard.press('Control+z'));
  assert.equal(await editorText(page), SAMPLE);

  await paste(page, entry.split('\n').map((line) => `> ${line}`).join('\n'));
  assert.equal(await editorText(page), entry);
  assert.equal((await state(page)).notice, 'Removed the “> ” quote marks from the pasted text.');
  assert.deepEqual(rowsOf(await findings(page)), finding);

  // A fence inside a quote (a reply that quotes a comment), with CRLF line breaks and a
  // tilde fence: both go.
  await paste(page, ['> ~~~', ...entry.split('\n').map((line) => `> ${line}`), '> ~~~'].join('\r\n'));
  assert.equal(await editorText(page), entry);
  assert.equal((await state(page)).notice, 'Removed the “> ” quote marks and the Markdown code fence around the pasted text.');
  assert.deepEqual(rowsOf(await findings(page)), finding);

  // A plain paste removes the note; so does the close button.
  await paste(page, entry);
  assert.equal((await state(page)).notice, null);
  await paste(page, `\`\`\`\n${entry}\n\`\`\``);
  await page.getByRole('button', { name: 'Dismiss note' }).click();
  assert.equal((await state(page)).notice, null);

  // Backticks inside a document are left alone.
  const inside = '{"summary": "```json"}';
  await paste(page, inside);
  assert.equal(await editorText(page), inside);
  assert.equal((await state(page)).notice, null);
  await assertClean(page, assert);
});

test('a pull spec pasted alone is checked as an image reference', async (t) => {
  const page = await pageFor(t);
  const spec = `quay.io/fedora/fedora-coreos@${DIGEST}`;
  await paste(page, `${spec}\n`);
  assert.deepEqual(await state(page), {
    heading: 'Pasted',
    edited: false,
    status: 'Valid reference',
    tone: 'status status-valid',
    detail: REFERENCE_NOTE,
    notice: null,
    upgrade: 'Upgrade',
    upgradeDisabled: true,
    upgradeNote: 'nothing to upgrade',
    upgradeReason: 'A reference alone has no container entries for Upgrade to rewrite.',
  });
  assert.deepEqual(await findings(page), []);
  const parts = () => page.$$eval('#reference-parts > *', (nodes) => nodes.map((n) => n.textContent));
  assert.deepEqual(await parts(), ['Registry', 'quay.io', 'Repository', 'fedora/fedora-coreos', 'Tag', 'none', 'Digest', DIGEST]);
  assert.equal(await page.isVisible('#entries-section'), false);
  await screenshot(page, 'reference-valid');

  // A digest cut short: the package's error, placed at the end of the line.
  await paste(page, '  quay.io/fedora/fedora-coreos@sha256:abc');
  const [finding, ...rest] = await findings(page);
  assert.deepEqual(rest, []);
  assert.deepEqual(finding, {
    severity: 'error',
    code: 'digest-invalid-length',
    position: '1:42',
    pointer: null,
    message: 'digest "sha256:abc" has 3 hex characters; sha256 needs exactly 64',
    hint: null,
  });
  assert.equal(await page.locator('#findings button.finding .pointer').count(), 0, 'a reference has no JSON pointer');
  assert.equal((await state(page)).status, 'Invalid reference');
  assert.equal(await page.textContent('#editor .cm-lintRange-error'), 'c');
  assert.deepEqual(await parts(), ['Reference', 'quay.io/fedora/fedora-coreos@sha256:abc']);
  await screenshot(page, 'reference-invalid');

  await paste(page, 'quay.io/Fedora/fedora-coreos:stable');
  assert.deepEqual(rowsOf(await findings(page)).map((r) => r.slice(0, 3)), [['error', 'name-contains-uppercase', '1:9']]);
  assert.equal(await page.textContent('#editor .cm-lintRange-error'), 'F');
  // Opening the finding puts the cursor on it.
  await page.click('#findings button.finding');
  assert.equal(await page.evaluate(() => document.getSelection().toString()), 'F');

  await paste(page, 'docker://quay.io/fedora/fedora-coreos:stable');
  const [transport] = await findings(page);
  assert.deepEqual([transport.code, transport.position, transport.message], [
    'transport-prefix', '1:1', 'the transport prefix "docker://" is not part of an image reference; drop it: "quay.io/fedora/fedora-coreos:stable"',
  ]);
  assert.equal(await page.textContent('#editor .cm-lintRange-error'), 'docker://quay.io/fedora/fedora-coreos:stable');

  // What starts like JSON stays JSON, and so does JSON on one line.
  await paste(page, '{"oscontainer": ');
  assert.deepEqual(rowsOf(await findings(page)).map((r) => r[1]), ['json-syntax']);
  assert.equal(await page.isVisible('#entries-section'), true);
  await paste(page, '42');
  assert.deepEqual(rowsOf(await findings(page)).map((r) => r[1]), ['not-an-object']);
  await paste(page, 'two words');
  assert.deepEqual(rowsOf(await findings(page)).map((r) => r[1]), ['json-syntax']);
  await assertClean(page, assert);
});

test('the chosen profile is explained beside the choice', async (t) => {
  const page = await pageFor(t);
  const help = () => page.textContent('#profile-help');
  assert.equal(await help(), 'Only the agreed form {image, digest, tags} passes.');
  await validated(page, () => page.getByLabel('compat').check());
  assert.equal(await help(), 'Older shapes pass, with warnings instead of errors.');
  assert.deepEqual(rowsOf(await findings(page)), [['warning', ...SAMPLE_FINDING.slice(1)]]);
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const group = nodes.find((n) => n.name?.value === 'Profile');
  assert.equal(group.description?.value, 'Older shapes pass, with warnings instead of errors.');
  await page.locator('.profile').screenshot({ path: join(OUTPUT, 'profile-compat.png') });
  await validated(page, () => page.getByLabel('canonical').check());
  assert.equal(await help(), 'Only the agreed form {image, digest, tags} passes.');
  await assertClean(page, assert);
});
