// The reviewer page: wires the editor, the validator worker and the panels together.
// Everything that comes from the document is put into the page with textContent only.

import { Transaction } from '@codemirror/state';
import {
  createEditor, createDiff, offsetAt, selectRange, showDiagnostics, valueRange,
} from './editor.js';
import { Validator } from './validator.js';
import { encodeShare, decodeShare } from './share.js';
import sample from './sample.json' with { type: 'text' };

// Chromium refuses longer URLs; a link that long would not open anyway.
const MAX_LINK_LENGTH = 2_000_000;
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
  // CodeMirror keeps lines without their breaks; a file written with CRLF is checked,
  // upgraded and downloaded with CRLF.
  lineBreak: '\n',
  schema: null,
  report: null,
  upgrade: null,
  closeDiff: null,
};

const validator = new Validator();
const editor = createEditor($('#editor'), {
  onChange: (isPaste) => scheduleValidation(isPaste ? 0 : delayFor(editor.state.doc)),
});

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
  return document.querySelector('input[name="profile"]:checked').value;
}

function setProfile(name) {
  document.querySelector(`input[name="profile"][value="${name === 'compat' ? 'compat' : 'canonical'}"]`).checked = true;
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

async function validateNow() {
  clearTimeout(timer);
  setBusy(true);
  const call = ++latestCall;
  const doc = editor.state.doc;
  let report;
  try {
    report = await validator.validate(documentText(doc), options());
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
  page.report = report;
  clearBanner('validate');
  renderReport(report);
  setBusy(false);
}

function renderFailure(error) {
  showBanner(`Could not validate: ${error.message}`, 'validate');
  $('#status').textContent = 'Not checked';
  $('#status').className = 'status status-error';
  $('#findings').replaceChildren();
  $('#findings-count').textContent = '';
  $('#entries-body').replaceChildren();
  showDiagnostics(editor, []);
}

function countBy(diagnostics, severity) {
  return diagnostics.filter((d) => d.severity === severity).length;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function renderReport(report) {
  const { diagnostics } = report;
  const counts = `${plural(countBy(diagnostics, 'error'), 'error')}, ${plural(countBy(diagnostics, 'warning'), 'warning')}`;
  $('#status').textContent = report.valid ? `Valid (${report.profile}) · ${counts}` : `Invalid (${report.profile}) · ${counts}`;
  $('#status').className = `status ${report.valid ? 'status-valid' : 'status-error'}`;
  $('#findings-count').textContent = `(${diagnostics.length})`;
  $('#findings').replaceChildren(...diagnostics.map(findingRow));
  if (diagnostics.length === 0) $('#findings').append(element('li', { className: 'empty', textContent: 'No findings.' }));
  renderEntries(report.entries);
  showDiagnostics(editor, diagnostics);
}

function findingRow(diagnostic, index) {
  const position = diagnostic.line == null ? '' : `${diagnostic.line}:${diagnostic.column}`;
  const button = element('button', { type: 'button', className: `finding severity-${diagnostic.severity}` }, [
    element('span', { className: 'icon', textContent: SEVERITY_ICONS[diagnostic.severity] ?? '•', ariaHidden: 'true' }),
    element('span', { className: 'visually-hidden', textContent: `${diagnostic.severity}: ` }),
    element('span', { className: 'head' }, [
      element('code', { className: 'code', textContent: diagnostic.code }),
      element('span', { className: 'position', textContent: position }),
    ]),
    element('span', { className: 'message', textContent: diagnostic.message }),
    element('code', { className: 'pointer', textContent: diagnostic.pointer || '/' }),
  ]);
  if (diagnostic.hint) button.append(element('span', { className: 'hint', textContent: diagnostic.hint }));
  button.dataset.index = String(index);
  return element('li', {}, [button]);
}

function revealFinding(index, focusEditor) {
  const diagnostic = page.report?.diagnostics[index];
  if (!diagnostic || diagnostic.line == null) return;
  closeDiff();
  const range = diagnostic.code === 'json-syntax'
    ? { from: offsetAt(editor.state.doc, diagnostic.line, diagnostic.column) }
    : valueRange(editor.state.doc, diagnostic);
  selectRange(editor, range, focusEditor);
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
  page.upgrade = result;
  const remaining = result.diagnostics.filter((d) => d.severity === 'error').length;
  $('#diff-summary').textContent = result.changed
    ? `${plural(result.changes.length, 'change')}; the result is ${result.valid ? 'valid' : `still invalid (${plural(remaining, 'error')})`}.`
    : `Nothing to upgrade; the document is ${result.valid ? 'valid' : `invalid (${plural(remaining, 'error')})`}.`;
  $('#changes').replaceChildren(...result.changes.map((change) => element('li', {}, [
    element('code', { className: 'pointer', textContent: change.pointer }), ' ',
    element('code', { className: 'code', textContent: change.code }), ' ',
    element('span', { textContent: change.message }),
  ])));
  for (const id of ['#copy-result', '#download-result', '#apply-result']) $(id).disabled = !result.changed;
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
  editor.focus();
}

// ---- loading documents ---------------------------------------------------------------

function load(text, { name = null, addToHistory = true } = {}) {
  closeDiff();
  page.fileName = name;
  page.lineBreak = /^[^\n]*\r\n/.test(text) ? '\r\n' : '\n';
  $('#doc-name').textContent = name ?? 'Untitled meta.json';
  editor.dispatch({
    changes: { from: 0, to: editor.state.doc.length, insert: text },
    selection: { anchor: 0 },
    scrollIntoView: true,
    annotations: Transaction.addToHistory.of(addToHistory),
  });
  validateNow();
}

function loadSample(addToHistory = true) {
  load(sample, { addToHistory });
  $('#doc-name').textContent = 'Sample meta.json';
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
    showBanner(`${file.name} is not JSON, so it cannot be a schema: ${error.message}`);
    return;
  }
  // A schema that does not compile would fail every validation: refuse it now instead.
  try {
    await validator.validate('{}', { profile: profile(), schema: text });
  } catch (error) {
    showBanner(`${file.name} cannot be used as a schema: ${error.message}`);
    return;
  }
  page.schema = { name: file.name, text };
  $('#schema-name').textContent = file.name;
  $('#schema-chip').hidden = false;
  validateNow();
}

function removeSchema() {
  page.schema = null;
  $('#schema-chip').hidden = true;
  $('#open-schema').focus();
  validateNow();
}

// ---- share links --------------------------------------------------------------------

async function copyLink() {
  const fragment = await encodeShare({ text: documentText(), profile: profile() });
  const url = `${location.origin}${location.pathname}#${fragment}`;
  if (url.length > MAX_LINK_LENGTH) {
    showBanner(`This document is too large for a link (${Math.round(url.length / 1000)} kB compressed); share the file instead.`);
    return;
  }
  history.replaceState(null, '', url);
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
  load(shared.text, { addToHistory: false });
  $('#doc-name').textContent = 'Shared meta.json';
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
    validateNow();
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
window.addEventListener('hashchange', restoreFromLocation);

if (!(await restoreFromLocation())) loadSample(false);
