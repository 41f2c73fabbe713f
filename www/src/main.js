// The reviewer page: wires the editor, the validator worker and the panels together.
// Everything that comes from the document is put into the page with textContent only.

import { Transaction } from '@codemirror/state';
import {
  applyFix, createEditor, createDiff, findingRange, relatedKey, relatedLabel, selectRange, selectRelated,
  showDiagnostics,
} from './editor.js';
import { Validator } from './validator.js';
import { initBuilds } from './builds.js';
import { encodeShare, decodeShare } from './share.js';
import { looksLikeReference, unwrapNotice, unwrapPaste } from './paste.js';
import sample from './sample.json' with { type: 'text' };

// Chromium refuses longer URLs; a link that long would not open anyway.
const MAX_LINK_LENGTH = 2_000_000;
// The address follows the document this long after the last edit (as the TypeScript
// playground does), so that a reload or a copied address never brings back an older text.
const LINK_DELAY = 400;
const EMPTY_TEXT = 'Paste a whole meta.json, one container entry, or a fragment copied from an issue such as "oscontainer": {…}. Open file… and dropping a file work too.';
const PROFILE_HELP = {
  canonical: 'Only the agreed form {image, digest, tags} passes.',
  compat: 'Older shapes pass, with warnings instead of errors.',
};
const SOURCES = { sample: 'Sample meta.json', pasted: 'Pasted', shared: 'Shared link', typed: 'Untitled' };
const SEVERITY_ICONS = { error: '✖', warning: '⚠', info: 'ℹ' };
// Matches the one-column layout in style.css; there the diff is unified, not side by side.
const narrowWindow = matchMedia('(max-width: 820px)');

const $ = (selector) => document.querySelector(selector);

function element(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

const page = {
  fileName: null,
  // Set by the paste filter for the change it is about to make.
  unwrapped: null,
  // CodeMirror keeps lines without their breaks; a file written with CRLF is checked,
  // upgraded and downloaded with CRLF.
  lineBreak: '\n',
  schema: null,
  report: null,
  // The editor's document and the text that the report was made from: a fix's edits are
  // offsets into that text, and apply only while the editor still holds it.
  checked: null,
  upgrade: null,
  closeDiff: null,
};

const validator = new Validator();
const editor = createEditor($('#editor'), {
  onChange: documentChanged,
  transformPaste: (text) => {
    const { text: unwrapped, removed } = unwrapPaste(text);
    page.unwrapped = removed.length > 0 ? removed : null;
    return unwrapped;
  },
  emptyText: EMPTY_TEXT,
});

function documentChanged({ paste, wholeDocument, byUser }) {
  if (paste) {
    if (wholeDocument) {
      page.fileName = null;
      page.lineBreak = '\n';
      setSource(SOURCES.pasted);
    } else markEdited();
    if (page.unwrapped) showNotice(unwrapNotice(page.unwrapped));
    else hideNotice();
    page.unwrapped = null;
  } else if (byUser) markEdited();
  scheduleValidation(paste ? 0 : delayFor(editor.state.doc));
  scheduleLinkUpdate();
}

// ---- heading ----------------------------------------------------------------------

// The heading names where the text came from: the sample, a paste, a file or a shared
// link; "edited" follows once the user changes it.
function setSource(source) {
  $('#doc-name').textContent = source;
  $('#doc-edited').hidden = true;
}

function markEdited() {
  $('#doc-edited').hidden = false;
}

function documentText(doc = editor.state.doc) {
  return doc.sliceString(0, doc.length, page.lineBreak);
}

// ---- messages -------------------------------------------------------------------

let bannerSource = null;

function showBanner(message, source = 'page') {
  bannerSource = source;
  $('#banner-text').textContent = message;
  $('#banner').hidden = false;
}

function clearBanner(source) {
  if (source && source !== bannerSource) return;
  bannerSource = null;
  $('#banner').hidden = true;
}

function showNotice(message) {
  $('#notice-text').textContent = message;
  $('#notice').hidden = false;
}

function hideNotice() {
  $('#notice').hidden = true;
  $('#notice-text').textContent = '';
}

let toastTimer;
function toast(message) {
  $('#toast').textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { $('#toast').textContent = ''; }, 4000);
}

async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    toast(`Copied ${what}`);
  } catch (error) {
    showBanner(`Could not copy ${what}: ${error.message}`);
  }
}

// ---- options ----------------------------------------------------------------------

function profile() {
  return /** @type {HTMLInputElement} */ (document.querySelector('input[name="profile"]:checked')).value;
}

function setProfile(name) {
  const radio = `input[name="profile"][value="${name === 'compat' ? 'compat' : 'canonical'}"]`;
  /** @type {HTMLInputElement} */ (document.querySelector(radio)).checked = true;
  showProfileHelp();
}

function showProfileHelp() {
  $('#profile-help').textContent = PROFILE_HELP[profile()];
}

function options() {
  return page.schema ? { profile: profile(), schema: page.schema.text } : { profile: profile() };
}

// ---- validation -------------------------------------------------------------------

let timer;
let latestCall = 0;

// Large documents take longer to check: wait for a longer pause in typing.
function delayFor(doc) {
  return doc.length > 1_000_000 ? 700 : 200;
}

let finishedValidations = 0;

// aria-busy tells assistive technology (and the tests, with the count) when the findings
// describe the current text.
function setBusy(busy) {
  const section = $('#findings-section');
  section.setAttribute('aria-busy', String(busy));
  if (!busy) section.dataset.validations = String(++finishedValidations);
}

function scheduleValidation(delay) {
  clearTimeout(timer);
  setBusy(true);
  timer = setTimeout(validateNow, delay);
}

// What the editor holds decides how it is checked: nothing yet, a pull spec alone (as an
// image reference), or JSON (validate).
function inputKind(text) {
  if (text.trim() === '') return 'empty';
  // One line, so the length check keeps a large document from being scanned here.
  return text.length < 10_000 && looksLikeReference(text) ? 'reference' : 'json';
}

async function validateNow() {
  clearTimeout(timer);
  setBusy(true);
  const call = ++latestCall;
  const doc = editor.state.doc;
  const text = documentText(doc);
  const kind = inputKind(text);
  let result;
  try {
    if (kind === 'empty') result = null;
    else if (kind === 'reference') result = await validator.reference(text.trim());
    else result = await validator.validate(text, options());
  } catch (error) {
    if (call !== latestCall) return;
    page.report = null;
    renderFailure(error);
    setBusy(false);
    return;
  }
  // An edit made meanwhile has scheduled its own validation; positions of this report
  // belong to the old text.
  if (call !== latestCall || editor.state.doc !== doc) return;
  page.checked = { doc, text };
  clearBanner('validate');
  if (kind === 'empty') renderEmpty();
  else if (kind === 'reference') renderReference(result, doc);
  else renderReport(result);
  setBusy(false);
}

function setStatus(text, tone) {
  $('#status').textContent = text;
  $('#status').className = `status status-${tone}`;
}

function setStatusDetail(message, hint) {
  const detail = $('#status-detail');
  detail.replaceChildren(message);
  if (hint) detail.append(element('span', { className: 'hint', textContent: ` (${hint})` }));
  detail.hidden = !message;
}

function showEntriesOrReference(reference) {
  $('#entries-section').hidden = reference;
  $('#reference-section').hidden = !reference;
}

function renderFindings(diagnostics) {
  const fixable = diagnostics.filter((d) => d.fixable).length;
  $('#findings-count').textContent = fixable > 0 ? `(${diagnostics.length}, ${fixable} fixable)` : `(${diagnostics.length})`;
  $('#findings').replaceChildren(...diagnostics.map(findingRow));
  if (diagnostics.length === 0) $('#findings').append(element('li', { className: 'empty', textContent: 'No findings.' }));
  showDiagnostics(editor, diagnostics, { onFix: fixFinding });
}

function renderFailure(error) {
  showBanner(`Could not validate: ${error.message}`, 'validate');
  setStatus('Not checked', 'error');
  setStatusDetail('');
  $('#findings').replaceChildren();
  $('#findings-count').textContent = '';
  $('#entries-body').replaceChildren();
  showEntriesOrReference(false);
  showDiagnostics(editor, []);
  setUpgrade(0, 'not checked', 'The document could not be checked, so there is nothing to upgrade yet.');
}

function renderEmpty() {
  page.report = null;
  setStatus('Empty', 'neutral');
  setStatusDetail('');
  $('#findings-count').textContent = '';
  $('#findings').replaceChildren(element('li', { className: 'empty', textContent: 'Nothing to check yet.' }));
  renderEntries([]);
  showEntriesOrReference(false);
  showDiagnostics(editor, []);
  setUpgrade(0, 'nothing to upgrade', 'The editor is empty; Upgrade rewrites the container entries of a document.');
}

// A pull spec pasted alone: the package's parseReference says whether it is a valid image
// reference and what its parts are; the page shows that instead of a JSON syntax error.
function renderReference({ reference, error }, doc) {
  const text = doc.toString();
  const start = text.length - text.trimStart().length;
  if (reference) {
    page.report = { diagnostics: [] };
    setStatus('Valid reference', 'valid');
    renderFindings([]);
  } else {
    // Offset 0 means the whole reference is at fault; otherwise it is the first wrong
    // character, which may be just past the end (a digest cut short).
    const end = start + text.trim().length;
    const at = Math.min(start + error.offset, end);
    const from = error.offset === 0 ? start : Math.min(at, end - 1);
    const to = error.offset === 0 ? end : from + 1;
    const line = doc.lineAt(at);
    const finding = {
      severity: 'error',
      code: error.code,
      message: error.message,
      pointer: null,
      line: line.number,
      column: at - line.from + 1,
      from,
      to,
      fixable: false,
    };
    page.report = { diagnostics: [finding] };
    setStatus('Invalid reference', 'error');
    renderFindings([finding]);
  }
  setStatusDetail('One line that is not JSON is checked as an image reference. Paste a meta.json, an entry or a fragment to check container entries.');
  $('#reference-parts').replaceChildren(...(reference ? referenceParts(reference) : [
    element('dt', { textContent: 'Reference' }), element('dd', {}, [element('code', { textContent: text.trim() })]),
  ]));
  showEntriesOrReference(true);
  setUpgrade(0, 'nothing to upgrade', 'A reference alone has no container entries for Upgrade to rewrite.');
}

function referenceParts(reference) {
  const parts = [
    ['Registry', reference.domain ?? 'none (the puller\'s default)'],
    ['Repository', reference.path],
    ['Tag', reference.tag ?? 'none'],
    ['Digest', reference.digest ?? 'none'],
  ];
  return parts.flatMap(([name, value]) => [
    element('dt', { textContent: name }),
    element('dd', {}, [element('code', { textContent: value })]),
  ]);
}

function countBy(diagnostics, severity) {
  return diagnostics.filter((d) => d.severity === severity).length;
}

function plural(n, word) {
  if (n === 1) return `${n} ${word}`;
  return `${n} ${word}${/(s|x|ch|sh)$/.test(word) ? 'es' : 's'}`;
}

const BROKEN_JSON = new Set(['json-syntax', 'nesting-too-deep']);

function renderReport(report) {
  page.report = report;
  const { diagnostics } = report;
  const counts = `${plural(countBy(diagnostics, 'error'), 'error')}, ${plural(countBy(diagnostics, 'warning'), 'warning')}`;
  // A document without container entries is neither valid nor invalid as a meta.json:
  // there was nothing to check, and no-entries says what it looks like instead.
  const noEntries = report.entries.length === 0 ? diagnostics.find((d) => d.code === 'no-entries') : undefined;
  if (report.valid && noEntries) {
    setStatus('Nothing to check', 'neutral');
    setStatusDetail(noEntries.message, noEntries.hint);
  } else {
    setStatus(report.valid ? `Valid (${report.profile}) · ${counts}` : `Invalid (${report.profile}) · ${counts}`, report.valid ? 'valid' : 'error');
    setStatusDetail('');
  }
  renderFindings(diagnostics);
  renderEntries(report.entries);
  showEntriesOrReference(false);

  const fixable = diagnostics.filter((d) => d.fixable).length;
  if (diagnostics.some((d) => BROKEN_JSON.has(d.code))) {
    setUpgrade(0, 'JSON does not parse', 'Upgrade needs a document that parses as JSON; fix the syntax error first.');
  } else if (report.entries.length === 0) {
    setUpgrade(0, 'nothing to upgrade', 'This document has no container entries for Upgrade to rewrite.');
  } else if (fixable === 0) {
    setUpgrade(0, 'nothing to fix', report.valid && countBy(diagnostics, 'warning') === 0
      ? 'The container entries are already in the agreed form.'
      : 'None of the findings is one that Upgrade can fix.');
  } else {
    setUpgrade(fixable);
  }
}

// The Upgrade button says what it will change, or why it is off (in its tooltip and in a
// short visible note beside it).
function setUpgrade(fixable, note = '', reason = '') {
  const button = $('#upgrade');
  button.disabled = fixable === 0;
  button.textContent = fixable === 0 ? 'Upgrade' : `Upgrade: ${plural(fixable, 'fix')}`;
  button.title = fixable === 0 ? reason : `Rewrite the entries into the agreed form: ${plural(fixable, 'fix')}, shown as a diff first`;
  $('#upgrade-note').textContent = note;
  $('#upgrade-note').title = reason;
}

function findingRow(diagnostic, index) {
  const position = diagnostic.line == null ? '' : `${diagnostic.line}:${diagnostic.column}`;
  const button = element('button', { type: 'button', className: `finding severity-${diagnostic.severity}` }, [
    element('span', { className: 'icon', textContent: SEVERITY_ICONS[diagnostic.severity] ?? '•', ariaHidden: 'true' }),
    element('span', { className: 'visually-hidden', textContent: `${diagnostic.severity}: ` }),
    element('span', { className: 'head' }, [
      element('code', { className: 'code', textContent: diagnostic.code }),
      ...(diagnostic.fixable ? [element('span', { className: 'fixable', textContent: 'fixable' })] : []),
      element('span', { className: 'position', textContent: position }),
    ]),
    element('span', { className: 'message', textContent: diagnostic.message }),
  ]);
  if (diagnostic.pointer != null) button.append(element('code', { className: 'pointer', textContent: diagnostic.pointer || '/' }));
  if (diagnostic.hint) button.append(element('span', { className: 'hint', textContent: diagnostic.hint }));
  button.dataset.index = String(index);
  return element('li', {}, [button, ...findingActions(diagnostic, index)]);
}

// Under the row, not inside it (a button holds no other controls): the finding's related
// places, each selectable, and its fix.
function findingActions(diagnostic, index) {
  const related = (diagnostic.related ?? []).map((place, k) => element('div', { className: 'related' }, relatedLabel(place, () => {
    closeDiff();
    selectRelated(editor, relatedKey(index, k), true);
  })));
  const fix = diagnostic.fix?.edits ? [element('button', {
    type: 'button',
    className: 'quick-fix',
    textContent: `Fix: ${diagnostic.fix.description}`,
    onclick: () => fixFinding(index),
  })] : [];
  return related.length + fix.length > 0 ? [element('div', { className: 'finding-actions' }, [...related, ...fix])] : [];
}

// One finding's fix, applied to the editor as one edit (one undo); the change is checked
// again as any edit is.
function fixFinding(index) {
  const fix = page.report?.diagnostics[index]?.fix;
  if (!fix?.edits) return;
  // Its edits are offsets into the text that was checked; a check of newer text is pending.
  if (page.checked?.doc !== editor.state.doc) {
    toast('The text changed since it was checked; try the fix again once the findings are updated.');
    return;
  }
  closeDiff();
  applyFix(editor, fix.edits, page.checked.text);
  editor.focus();
}

function revealFinding(index, focusEditor) {
  const diagnostic = page.report?.diagnostics[index];
  if (!diagnostic || diagnostic.line == null) return;
  closeDiff();
  selectRange(editor, findingRange(editor.state.doc, diagnostic), focusEditor);
}

$('#findings').addEventListener('click', (event) => {
  const row = event.target.closest('button.finding');
  if (row) revealFinding(Number(row.dataset.index), true);
});

// Arrow keys walk the list and show each finding in the editor; Enter (a click) jumps
// into the editor.
$('#findings').addEventListener('keydown', (event) => {
  const rows = [...$('#findings').querySelectorAll('button.finding')];
  const at = rows.indexOf(document.activeElement);
  const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 }[event.key];
  if (next === undefined || rows.length === 0) return;
  event.preventDefault();
  const row = rows[Math.max(0, Math.min(rows.length - 1, next))];
  row.focus();
  revealFinding(Number(row.dataset.index), false);
});

function renderEntries(entries) {
  $('#entries-empty').hidden = entries.length > 0;
  $('#entries-body').replaceChildren(...entries.map((entry) => {
    const spec = entry.pullSpec
      ? element('td', { className: 'pull-spec' }, [
        element('code', { textContent: entry.pullSpec }),
        element('button', {
          type: 'button',
          className: 'copy-pull-spec',
          textContent: 'Copy',
          ariaLabel: `Copy pull spec of ${entry.pointer}`,
          onclick: () => copyText(entry.pullSpec, `pull spec of ${entry.pointer}`),
        }),
      ])
      : element('td', { className: 'pull-spec missing', textContent: 'none (no digest)' });
    if (entry.tags?.length) spec.append(element('div', { className: 'tags', textContent: `tags: ${entry.tags.join(', ')}` }));
    return element('tr', {}, [
      element('td', {}, [element('code', { textContent: entry.pointer })]),
      element('td', { textContent: entry.shape }),
      spec,
    ]);
  }));
}

// ---- upgrade ----------------------------------------------------------------------

function closeDiff() {
  if (!page.closeDiff) return;
  page.closeDiff();
  page.closeDiff = null;
  $('#diff-panel').hidden = true;
  $('#editor-panel').hidden = false;
}

async function showUpgrade() {
  const input = documentText();
  let result;
  try {
    result = await validator.upgrade(input, options());
  } catch (error) {
    showBanner(`Could not upgrade: ${error.message}`, 'upgrade');
    return;
  }
  clearBanner('upgrade');
  closeDiff();
  // Never a diff of two equal sides (the button is off then, but the text may have
  // changed since the last check).
  if (!result.changed) {
    toast('Nothing to upgrade: Upgrade would change nothing in this document.');
    editor.focus();
    return;
  }
  page.upgrade = result;
  const remaining = result.diagnostics.filter((d) => d.severity === 'error').length;
  $('#diff-summary').textContent = `${plural(result.changes.length, 'change')}; the result is ${result.valid ? 'valid' : `still invalid (${plural(remaining, 'error')})`}.`;
  $('#changes').replaceChildren(...result.changes.map((change) => element('li', {}, [
    element('code', { className: 'pointer', textContent: change.pointer }), ' ',
    element('code', { className: 'code', textContent: change.code }), ' ',
    element('span', { textContent: change.message }),
  ])));
  const unified = narrowWindow.matches;
  $('#diff-panel').classList.toggle('unified', unified);
  $('#editor-panel').hidden = true;
  $('#diff-panel').hidden = false;
  page.closeDiff = createDiff($('#diff'), input, result.output, { unified });
  $('#diff-title').focus();
}

function downloadResult() {
  const url = URL.createObjectURL(new Blob([page.upgrade.output], { type: 'application/json' }));
  const link = element('a', { href: url, download: page.fileName ?? 'meta.json' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function applyResult() {
  const output = page.upgrade.output;
  closeDiff();
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: output } });
  markEdited();
  editor.focus();
}

// ---- loading documents ---------------------------------------------------------------

function load(text, { name = null, source = name ?? SOURCES.typed, addToHistory = true } = {}) {
  closeDiff();
  hideNotice();
  page.fileName = name;
  page.lineBreak = /^[^\n]*\r\n/.test(text) ? '\r\n' : '\n';
  setSource(source);
  editor.dispatch({
    changes: { from: 0, to: editor.state.doc.length, insert: text },
    selection: { anchor: 0 },
    scrollIntoView: true,
    annotations: Transaction.addToHistory.of(addToHistory),
  });
  validateNow();
}

function loadSample(addToHistory = true) {
  load(sample, { source: SOURCES.sample, addToHistory });
}

async function readText(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    showBanner(`${file.name} is not valid UTF-8; the invalid bytes are shown as \uFFFD.`);
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  }
}

async function openFile(file) {
  load(await readText(file), { name: file.name });
}

async function openSchema(file) {
  const text = await readText(file);
  try {
    JSON.parse(text);
  } catch (error) {
    showBanner(`${file.name} cannot be used as a schema: it is not JSON (${error.message.replace(/\.$/, '')}).`);
    return;
  }
  // A schema that does not compile would fail every validation: refuse it now instead.
  try {
    await validator.validate('{}', { profile: profile(), schema: text });
  } catch (error) {
    showBanner(`${file.name} cannot be used as a schema: ${schemaProblem(error.message)}`);
    return;
  }
  page.schema = { name: file.name, text };
  $('#schema-name').textContent = file.name;
  $('#schema-chip').hidden = false;
  validateNow();
}

// The package names its argument for a programmer ("options.schema cannot be used: the
// schema cannot be compiled: at /type, …"); the page names the file, so one sentence
// keeps only what is wrong in it.
function schemaProblem(message) {
  const why = message.replace(/^options\.schema cannot be used: /, '').replace(/^the schema cannot be compiled: /, '');
  return /[.!?]$/.test(why) ? why : `${why}.`;
}

function removeSchema() {
  page.schema = null;
  $('#schema-chip').hidden = true;
  $('#open-schema').focus();
  validateNow();
}

// ---- share links --------------------------------------------------------------------

let linkTimer;
let linkCall = 0;

function scheduleLinkUpdate() {
  clearTimeout(linkTimer);
  linkTimer = setTimeout(updateLink, LINK_DELAY);
}

function cancelLinkUpdate() {
  clearTimeout(linkTimer);
  linkCall++;
}

/**
 * Puts the current document into the address (the sample, unchanged, needs none), so
 * that a reload shows what is in the editor. Returns the link, or null when the document
 * is too large for one (then the address has no document and a reload opens the sample).
 */
async function updateLink() {
  clearTimeout(linkTimer);
  const call = ++linkCall;
  const text = documentText();
  const base = `${location.origin}${location.pathname}${location.search}`;
  let url = base;
  let tooLarge = 0;
  if (text !== sample || profile() !== 'canonical') {
    const full = `${base}#${await encodeShare({ text, profile: profile() })}`;
    if (full.length <= MAX_LINK_LENGTH) url = full;
    else tooLarge = full.length;
  }
  // A later edit has started its own update.
  if (call !== linkCall) return undefined;
  if (url !== location.href) history.replaceState(null, '', url);
  if (tooLarge) {
    showNotice(`This document is too large to keep in the address (${Math.round(tooLarge / 1000)} kB compressed): a reload opens the sample.`);
    return null;
  }
  return url;
}

async function copyLink() {
  const url = await updateLink();
  if (url === undefined) return;
  if (url === null) {
    showBanner('This document is too large for a link; share the file instead.');
    return;
  }
  await copyText(url, 'link to this document');
}

async function restoreFromLocation() {
  let shared;
  try {
    shared = await decodeShare(location.hash);
  } catch (error) {
    showBanner(`This link's document could not be read (${error.message}); the sample is shown instead.`);
  }
  if (!shared) return false;
  setProfile(shared.profile);
  load(shared.text, { source: SOURCES.shared, addToHistory: false });
  // The address already holds this document.
  cancelLinkUpdate();
  return true;
}

// ---- drag and drop anywhere -------------------------------------------------------------

function carriesFiles(event) {
  return event.dataTransfer?.types.includes('Files');
}

let overlayTimer;
window.addEventListener('dragover', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = 'copy';
  $('#drop-overlay').hidden = false;
  // dragover repeats while a file is held over the page; once it stops (the drag left
  // the window or was cancelled, which not every browser reports) the overlay goes.
  clearTimeout(overlayTimer);
  overlayTimer = setTimeout(() => { $('#drop-overlay').hidden = true; }, 500);
});
window.addEventListener('dragleave', (event) => {
  if (event.relatedTarget === null) $('#drop-overlay').hidden = true;
});
window.addEventListener('drop', (event) => {
  $('#drop-overlay').hidden = true;
  const file = event.dataTransfer?.files[0];
  if (!file) return;
  event.preventDefault();
  openFile(file);
});

// ---- controls ------------------------------------------------------------------------

$('#open-file').addEventListener('click', () => $('#file-input').click());
$('#file-input').addEventListener('change', (event) => {
  const [file] = event.target.files;
  event.target.value = '';
  if (file) openFile(file);
});
$('#open-schema').addEventListener('click', () => $('#schema-input').click());
$('#schema-input').addEventListener('change', (event) => {
  const [file] = event.target.files;
  event.target.value = '';
  if (file) openSchema(file);
});
$('#remove-schema').addEventListener('click', removeSchema);
$('#load-sample').addEventListener('click', () => loadSample());
for (const radio of document.querySelectorAll('input[name="profile"]')) {
  radio.addEventListener('change', () => {
    showProfileHelp();
    validateNow();
    scheduleLinkUpdate();
    if (page.closeDiff) showUpgrade();
  });
}
$('#upgrade').addEventListener('click', showUpgrade);
$('#share').addEventListener('click', copyLink);
$('#copy-result').addEventListener('click', () => copyText(page.upgrade.output, 'upgraded JSON'));
$('#download-result').addEventListener('click', downloadResult);
$('#apply-result').addEventListener('click', applyResult);
$('#close-diff').addEventListener('click', () => {
  closeDiff();
  editor.focus();
});
$('#banner-close').addEventListener('click', () => clearBanner());
$('#notice-close').addEventListener('click', hideNotice);
window.addEventListener('hashchange', restoreFromLocation);
// Open builds folder…: a cell opens its meta.json here, named by its path.
initBuilds({ validator, profile, open: (text, name) => load(text, { name }) });

showProfileHelp();
if (!(await restoreFromLocation())) loadSample(false);
