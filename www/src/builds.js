// The builds view (issue 15): a folder of coreos-assembler builds opened from this machine
// (the directory picker or a dropped folder; nothing leaves the browser), each build checked
// in the worker with checkBuild, or with checkRelease when a release.json lies next to it,
// and drawn as a table: builds down in builds.json's order (newest first), architectures
// across, the container entries of each meta.json in its cell, and the build's cross-arch
// and release findings beside its row. A cell opens its meta.json in the editor.
//
// Only File handles are kept: a build's files are read when it is checked and a cell's file
// again when it is opened, so a builds folder of years of builds never sits in memory.

/** @typedef {import('oscontainer').BuildReport} BuildReport */
/** @typedef {import('oscontainer').ReleaseFindings} ReleaseFindings */
/** @typedef {import('oscontainer').Diagnostic} Diagnostic */
/** @typedef {import('oscontainer').ArchDiagnostic} ArchDiagnostic */
/** @typedef {import('oscontainer').EntryKey} EntryKey */
/** @typedef {import('oscontainer').Severity} Severity */

/** A file of the picked or dropped folder; `path` runs from the folder's own name down. */
/** @typedef {{ path: string[], file: File }} Picked */
/** One meta.json of a build: where builds.json (or the folder) says it is, and its file if there. */
/** @typedef {{ arch: string | null, name: string, file: File | null }} ArchFile */
/**
 * One build of the folder; `result` is what the matrix shows of its check.
 * @typedef {{ id: string, dir: string, arches: ArchFile[], release: Picked | null, result: Summary | null }} Build
 */
/**
 * What is kept of a check: the cells by position in `arches`, and the findings beside the row.
 * @typedef {{ valid: boolean, failed?: string, cells: (Cell | null)[], findings: RowFinding[], releaseName: string | null }} Summary
 * @typedef {{ badges: Badge[], counts: Record<Severity, number>, broken: boolean, more: RowFinding[] }} Cell
 * @typedef {{ key: EntryKey, shape: string | null, severity: Severity | null }} Badge
 * @typedef {{ severity: Severity, code: string, where: string, message: string, document: number | null, pointer?: string }} RowFinding
 */

// Short names for the cells; the full key is in each badge's title and the cell's label.
const ENTRY_ABBREVIATIONS = { oscontainer: 'os', 'base-oscontainer': 'base', 'extensions-container': 'ext', kubevirt: 'kv' };
// Findings about a document as a whole that checkBuild repeats in its cross-arch list: the
// cell already says so.
const DOCUMENT_CODES = new Set(['json-syntax', 'nesting-too-deep', 'not-an-object']);
// cosa's layout is <builds>/<id>/<arch>/meta.json; a dropped folder may be the directory
// above builds/ (a cosa working directory), never deeper than this is worth walking.
const MAX_DEPTH = 6;
const WANTED = new Set(['builds.json', 'meta.json', 'release.json']);

const $ = (selector) => document.querySelector(selector);

function element(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function plural(n, word, many = `${word}s`) {
  return `${n} ${n === 1 ? word : many}`;
}

const statusOf = (severity) => severity ?? 'ok';

// ---- reading the folder --------------------------------------------------------------

/** The files of `<input type=file webkitdirectory>` that the layout uses. */
function pickedFromInput(files) {
  return [...files]
    .map((file) => ({ path: (file.webkitRelativePath || file.name).split('/'), file }))
    .filter((p) => WANTED.has(p.path.at(-1)) || p.path.length === 1);
}

function readEntries(reader) {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

/** @returns {Promise<File>} */
function fileOf(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Walks a dropped entry; files dropped by themselves (depth 1) are all kept, below that only the layout's. */
async function walk(entry, out, depth = 1) {
  const path = entry.fullPath.replace(/^\//, '').split('/');
  if (entry.isFile) {
    if (depth === 1 || WANTED.has(entry.name)) out.push({ path, file: await fileOf(/** @type {FileSystemFileEntry} */ (entry)) });
    return;
  }
  if (!entry.isDirectory || depth >= MAX_DEPTH) return;
  const reader = /** @type {FileSystemDirectoryEntry} */ (entry).createReader();
  // readEntries gives a directory's entries in batches until an empty one.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await walk(child, out, depth + 1);
  }
}

/**
 * builds.json's list of `{ id, arches }` (arches null: look in the folder) as the package's
 * builds index reads it (readBuildsIndex, as `checkBuildsDir` does), with its findings;
 * `error` when no builds can be read from it.
 * @param {File} file
 * @param {import('./validator.js').Validator} validator
 * @returns {Promise<{ error?: string, builds?: { id: string, arches: string[] | null }[], skipped?: number, findings: RowFinding[] }>}
 */
async function parseBuildsJson(file, validator) {
  let index;
  try {
    index = await validator.readBuildsIndex(new Uint8Array(await file.arrayBuffer()));
  } catch (error) {
    return { error: `builds.json could not be read (${error.message})`, findings: [] };
  }
  const findings = index.diagnostics.map((d) => ({
    severity: d.severity, code: d.code, where: `builds.json ${d.line}:${d.column}`, message: d.message, document: null, pointer: d.pointer,
  }));
  if (!index.usable) return { error: index.json ? 'builds.json cannot be used' : 'builds.json is not JSON', findings };
  return { builds: index.builds.map(({ id, arches }) => ({ id, arches })), skipped: index.skipped, findings };
}

async function jsonField(file, read) {
  try {
    return read(JSON.parse((await file.text()).replace(/^\uFEFF/, '')));
  } catch {
    return undefined;
  }
}

/**
 * The builds of the picked files: builds.json's (the shallowest one) with
 * `<id>/<arch>/meta.json` beside it, else the build directories that hold
 * `<arch>/meta.json` (or a meta.json alone). Returns the builds, the release.json files that
 * are not in a build's directory, a note on what was not as expected, and builds.json's
 * findings.
 * @param {Picked[]} picked
 * @param {import('./validator.js').Validator} validator
 */
async function discover(picked, validator) {
  const byPath = new Map(picked.map((p) => [p.path.join('/'), p]));
  const metas = picked.filter((p) => p.path.at(-1) === 'meta.json' && p.path.length > 1);
  const notes = [];
  /** @type {RowFinding[]} */
  let findings = [];

  async function buildAt(dir, id, arches) {
    const prefix = dir.join('/');
    let list = arches;
    if (list === null) {
      list = metas
        .filter((m) => m.path.length === dir.length + 2 && m.path.slice(0, dir.length).join('/') === prefix)
        .map((m) => m.path[dir.length])
        .sort();
      if (list.length === 0 && byPath.has(`${prefix}/meta.json`)) list = [null];
    }
    const files = await Promise.all(list.map(async (arch) => {
      const name = arch === null ? `${prefix}/meta.json` : `${prefix}/${arch}/meta.json`;
      const file = byPath.get(name)?.file ?? null;
      // A build of one architecture keeps its meta.json in the build's directory: the column
      // is named by the arch the document records.
      const recorded = arch === null && file ? await jsonField(file, (v) => v['coreos-assembler.basearch']) : undefined;
      return { arch: arch ?? (typeof recorded === 'string' ? recorded : null), name, file };
    }));
    return { id, dir: prefix, arches: files, release: byPath.get(`${prefix}/release.json`) ?? null, result: null };
  }

  let builds = null;
  const [buildsFile] = picked.filter((p) => p.path.at(-1) === 'builds.json').sort((a, b) => a.path.length - b.path.length);
  if (buildsFile) {
    const listed = await parseBuildsJson(buildsFile.file, validator);
    findings = listed.findings;
    const root = buildsFile.path.slice(0, -1);
    if (listed.error) notes.push(`${listed.error}; the builds were found from the folders instead.`);
    else {
      if (listed.skipped > 0) notes.push(`builds.json: ${plural(listed.skipped, 'entry', 'entries')} without a usable id or arches list left out.`);
      builds = await Promise.all(listed.builds.map(({ id, arches }) => buildAt([...root, id], id, arches)));
    }
  }
  if (builds === null) {
    const depth = Math.min(...metas.map((m) => m.path.length));
    const dirs = new Map();
    for (const m of metas.filter((m) => m.path.length === depth)) {
      // folder/meta.json is a build of one arch; otherwise <build>/<arch>/meta.json.
      const dir = depth === 2 ? m.path.slice(0, -1) : m.path.slice(0, -2);
      dirs.set(dir.join('/'), dir);
    }
    builds = await Promise.all([...dirs.values()].map((dir) => buildAt(dir, dir.at(-1), null)));
    // Newest first, as builds.json would list them: build ids carry their date.
    builds.sort((a, b) => b.id.localeCompare(a.id, 'en', { numeric: true }));
  }
  const inBuilds = new Set(builds.map((b) => b.release).filter(Boolean));
  const loose = picked.filter((p) => !inBuilds.has(p) && /release.*\.json$/i.test(p.path.at(-1)));
  return { builds, loose, notes, findings };
}

// ---- the view ------------------------------------------------------------------------

/**
 * Sets up **Open builds folder…**, folder drops and the builds view.
 * @param {{
 *   validator: import('./validator.js').Validator,
 *   profile: () => string,
 *   open: (text: string, name: string) => void,
 * }} page
 */
export function initBuilds({ validator, profile, open }) {
  /** @type {{ title: string, builds: Build[], columns: string[], notes: string[] } | null} */
  let state = null;
  let generation = 0;
  /** The cell (build id and column) that opened the editor, focused again on the way back. */
  let openedFrom = null;

  function setView(builds) {
    document.body.classList.toggle('builds-view', builds);
    $('#builds-panel').hidden = !builds;
    $('#builds-bar').hidden = builds || state === null;
  }

  function showBuilds() {
    setView(true);
    // The row may have been drawn again meanwhile (a new profile): find the cell by name.
    const cell = openedFrom && /** @type {HTMLElement | null} */ ($('#builds-body').querySelector(
      `tr[data-build="${CSS.escape(openedFrom.id)}"] button[data-arch="${CSS.escape(openedFrom.column)}"]`,
    ));
    if (cell) cell.focus();
    else $('#builds-title').focus();
  }

  /** Leaves the builds view for the editor; the matrix stays, one button away. */
  function showEditor(context = null) {
    setView(false);
    $('#builds-context').replaceChildren(...(context ?? []));
    if (!context) openedFrom = null;
  }

  function setStatus(text) {
    $('#builds-status').textContent = text;
  }

  function setNotes(notes) {
    $('#builds-note').textContent = notes.join(' ');
    $('#builds-note').hidden = notes.length === 0;
  }

  /** builds.json's findings, above the matrix, listed as a row's findings are. */
  function setBuildsJsonFindings(findings) {
    $('#builds-json-findings').replaceChildren(...findings.map(findingItem));
    $('#builds-json-findings').hidden = findings.length === 0;
  }

  async function openFolder(picked, title) {
    const found = picked.length > 0 ? await discover(picked, validator) : { builds: [], loose: [], notes: [], findings: [] };
    setBuildsJsonFindings(found.findings);
    if (found.builds.length === 0) {
      state = null;
      generation += 1;
      renderTable();
      setNotes([`${title || 'The folder'} is neither a builds directory (no builds.json) nor a build directory (no <arch>/meta.json).`]);
      setStatus('No builds');
      openedFrom = null;
      showBuilds();
      return;
    }
    const columns = [];
    for (const build of found.builds) {
      for (const { arch, name } of build.arches) {
        const column = arch ?? name;
        if (!columns.includes(column)) columns.push(column);
      }
    }
    state = { title, builds: found.builds, columns, notes: found.notes };
    openedFrom = null;
    await attachReleases(found.loose);
    renderTable();
    showBuilds();
    checkAll();
  }

  /**
   * Puts each loose release.json on the build it names (its `release`), or on the only
   * build; that build is checked again. A release.json of no build here is a note.
   */
  async function attachReleases(files) {
    for (const picked of files) {
      const id = await jsonField(picked.file, (v) => v.release);
      const named = state.builds.find((b) => b.id === id);
      const build = named ?? (state.builds.length === 1 ? state.builds[0] : null);
      if (build) {
        build.release = picked;
        build.result = null;
      } else {
        const names = typeof id === 'string' ? `names build ${id}, which is not in the folder` : 'names no build ("release" is missing)';
        state.notes.push(`${picked.path.join('/')} ${names}; it was not checked.`);
      }
    }
    setNotes(state.notes);
  }

  /** Checks the builds not checked yet, in order; a later call (a new folder, a new profile) takes over. */
  async function checkAll() {
    const run = ++generation;
    const builds = state.builds;
    const pending = builds.filter((b) => b.result === null);
    for (const [i, build] of pending.entries()) {
      if (run !== generation) return;
      setStatus(`Checking build ${i + 1} of ${pending.length}…`);
      const result = await check(build);
      if (run !== generation) return;
      build.result = result;
      renderRow(build);
    }
    const invalid = builds.filter((b) => !b.result.valid).length;
    setStatus(`${plural(builds.length, 'build')}, ${plural(state.columns.length, 'arch', 'arches')} · ${invalid === 0 ? 'all valid' : `${invalid} invalid`}`);
  }

  /** @returns {Promise<Summary>} */
  async function check(build) {
    const present = build.arches.filter((a) => a.file !== null);
    const options = { profile: profile() };
    try {
      const docs = await Promise.all(present.map(async ({ arch, name, file }) => ({
        ...(arch === null ? {} : { arch }),
        name,
        input: new Uint8Array(await file.arrayBuffer()),
      })));
      let report;
      let release = null;
      let valid;
      if (build.release) {
        const checked = await validator.checkRelease(new Uint8Array(await build.release.file.arrayBuffer()), docs, options);
        ({ build: report, release, valid } = checked);
      } else {
        report = await validator.checkBuild(docs, options);
        ({ valid } = report);
      }
      return summarize(build, present, report, release, valid);
    } catch (error) {
      return { valid: false, failed: error.message, cells: [], findings: [], releaseName: null };
    }
  }

  /**
   * @param {Build} build
   * @param {ArchFile[]} present
   * @param {BuildReport} report
   * @param {ReleaseFindings | null} release
   * @returns {Summary}
   */
  function summarize(build, present, report, release, valid) {
    const keys = /** @type {EntryKey[]} */ (Object.keys(report.entries));
    const crossArch = report.diagnostics
      .filter((d) => !(DOCUMENT_CODES.has(d.code) && report.arches[d.document]?.report.diagnostics.some((o) => o.code === d.code && o.line === d.line && o.column === d.column)))
      .map((d) => finding(d, `${d.arch ?? d.name ?? `input ${d.document + 1}`}${d.line == null ? '' : ` ${d.line}:${d.column}`}`, d.document));
    const releaseName = build.release ? build.release.path.join('/') : null;
    const releaseFindings = (release?.diagnostics ?? []).map((d) => finding(d, `release.json${d.line == null ? '' : ` ${d.line}:${d.column}`}`, null));
    const cells = build.arches.map((archFile) => {
      const i = present.indexOf(archFile);
      if (i < 0) return null;
      const doc = report.arches[i];
      const column = doc.arch ?? doc.name ?? `input ${i + 1}`;
      // The document's release view adds what cosa's release step would fail on (a missing
      // digest is a warning under compat, but cosa has no pair to write): the editor shows
      // the document's own findings only, so these go with the cell.
      const own = doc.report.diagnostics;
      const releaseView = doc.release.diagnostics.filter((d) => !own.some((o) => sameFinding(o, d)));
      const counts = { error: 0, warning: 0, info: 0 };
      for (const d of [...own, ...releaseView]) counts[d.severity] += 1;
      return {
        badges: keys.map((key) => {
          const cell = report.entries[key][column];
          return { key, shape: cell?.shape ?? null, severity: cell?.severity ?? null };
        }),
        counts,
        broken: own.some((d) => DOCUMENT_CODES.has(d.code)),
        more: [
          ...releaseView.map((d) => finding(d, `release view${d.line == null ? '' : ` ${d.line}:${d.column}`}`, i)),
          ...crossArch.filter((f) => f.document === i),
        ],
      };
    });
    const missing = build.arches.some((a) => a.file === null);
    return { valid: valid && !missing, cells, findings: [...crossArch, ...releaseFindings], releaseName };
  }

  function sameFinding(a, b) {
    return a.code === b.code && a.pointer === b.pointer && a.line === b.line && a.column === b.column;
  }

  /** @returns {RowFinding} */
  function finding(d, where, document) {
    return { severity: d.severity, code: d.code, where, message: d.message, document };
  }

  // ---- rendering ----------------------------------------------------------------------

  function renderTable() {
    const columns = state?.columns ?? [];
    $('#builds-title').textContent = state ? `Builds: ${state.title}` : 'Builds';
    $('#builds-caption').textContent = state
      ? `${plural(state.builds.length, 'build')} (newest first) by architecture: each cell lists the meta.json's container entries (key, shape, status); select a cell to open it in the editor.`
      : '';
    $('#builds-head').replaceChildren(
      element('th', { scope: 'col', textContent: 'Build' }),
      ...columns.map((column) => element('th', { scope: 'col', textContent: column })),
      element('th', { scope: 'col', textContent: 'Cross-arch and release findings' }),
    );
    $('#builds-body').replaceChildren(...(state?.builds ?? []).map(rowOf));
    $('#builds-matrix').hidden = state === null;
  }

  function renderRow(build) {
    const row = $('#builds-body').querySelector(`tr[data-build="${CSS.escape(build.id)}"]`);
    if (!row) return;
    const focused = row.contains(document.activeElement) ? document.activeElement.getAttribute('data-arch') : null;
    const fresh = rowOf(build);
    row.replaceWith(fresh);
    if (focused !== null) /** @type {HTMLElement} */ (fresh.querySelector(`[data-arch="${CSS.escape(focused)}"]`))?.focus();
  }

  /** @param {Build} build */
  function rowOf(build) {
    const { result } = build;
    let verdict;
    if (result === null) verdict = element('span', { className: 'verdict verdict-pending', textContent: 'Checking…' });
    else if (result.failed) verdict = element('span', { className: 'verdict verdict-error', textContent: `Not checked: ${result.failed}` });
    else verdict = element('span', { className: `verdict verdict-${result.valid ? 'valid' : 'error'}`, textContent: result.valid ? 'Valid' : 'Invalid' });
    const head = element('th', { scope: 'row', className: 'build-head' }, [
      element('span', { className: 'build-id', textContent: build.id }),
      verdict,
    ]);
    if (build.release) head.append(element('span', { className: 'build-release', textContent: `release.json checked` }));
    const cells = state.columns.map((column) => {
      const index = build.arches.findIndex((a) => (a.arch ?? a.name) === column);
      if (index < 0) return element('td', { className: 'cell-none', textContent: 'not built' });
      const archFile = build.arches[index];
      if (archFile.file === null) {
        return element('td', { className: 'cell-missing' }, [
          element('span', { className: 'cell-state', textContent: 'meta.json missing' }),
          element('span', { className: 'cell-path', textContent: archFile.name }),
        ]);
      }
      return element('td', {}, [cellButton(build, archFile, column, result?.cells[index] ?? null)]);
    });
    const row = element('tr', {}, [head, ...cells, element('td', { className: 'build-findings' }, [findingsOf(build)])]);
    row.dataset.build = build.id;
    return row;
  }

  function cellButton(build, archFile, column, cell) {
    const button = element('button', { type: 'button', className: 'cell' });
    button.dataset.arch = column;
    if (cell === null) {
      button.append(element('span', { className: 'cell-summary', textContent: build.result?.failed ? 'not checked' : 'checking…' }));
    } else {
      for (const badge of cell.badges) {
        const status = badge.shape === null ? 'absent' : statusOf(badge.severity);
        button.append(element('span', {
          className: `badge status-${status}`,
          title: badge.key,
          textContent: badge.shape === null ? `${ENTRY_ABBREVIATIONS[badge.key]} absent` : `${ENTRY_ABBREVIATIONS[badge.key]} ${badge.shape} ${status}`,
        }));
      }
      button.append(element('span', { className: `cell-summary${cell.broken ? ' status-error' : ''}`, textContent: cellSummary(cell) }));
    }
    const entries = cell?.badges.map((b) => (b.shape === null ? `${b.key} absent` : `${b.key} ${b.shape}, ${statusOf(b.severity)}`)) ?? [];
    button.setAttribute('aria-label', `${column} of ${build.id}: ${[...entries, cell ? cellSummary(cell) : 'checking'].join('; ')}. Open ${archFile.name}`);
    button.addEventListener('click', () => openCell(build, archFile, column));
    return button;
  }

  function cellSummary(cell) {
    if (cell.broken) return 'JSON does not parse';
    const { error, warning } = cell.counts;
    // Infos (kubevirt on some arches only) are listed beside the row, not counted here.
    if (error + warning === 0) return 'no errors or warnings';
    return [error ? plural(error, 'error') : '', warning ? plural(warning, 'warning') : ''].filter(Boolean).join(', ');
  }

  function findingsOf(build) {
    const { result } = build;
    if (result === null) return element('span', { className: 'empty', textContent: '…' });
    if (result.findings.length === 0) return element('span', { className: 'empty', textContent: 'none' });
    return element('ul', { className: 'build-finding-list' }, result.findings.map(findingItem));
  }

  /** @param {RowFinding} f */
  function findingItem(f) {
    const item = element('li', { className: `severity-${f.severity}` }, [
      element('span', { className: 'severity', textContent: f.severity }), ' ',
      element('code', { className: 'code', textContent: f.code }), ' ',
      element('span', { className: 'where', textContent: f.where }), ' ',
      element('span', { className: 'message', textContent: f.message }),
    ]);
    if (f.pointer !== undefined) item.dataset.pointer = f.pointer;
    return item;
  }

  async function openCell(build, archFile, column) {
    let text;
    try {
      text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await archFile.file.arrayBuffer());
    } catch (error) {
      setNotes([`${archFile.name} could not be read: ${error.message}`]);
      return;
    }
    openedFrom = { id: build.id, column };
    const more = build.result?.cells[build.arches.indexOf(archFile)]?.more ?? [];
    const context = [element('span', { textContent: `${column} of build ${build.id}` })];
    if (more.length > 0) {
      context.push(
        element('span', { textContent: ` · also found by the build check (release view, other arches): ${plural(more.length, 'finding')}` }),
        element('ul', { className: 'build-finding-list' }, more.map(findingItem)),
      );
    }
    showEditor(context);
    open(text, archFile.name);
  }

  // ---- controls -----------------------------------------------------------------------

  $('#open-builds').addEventListener('click', () => /** @type {HTMLInputElement} */ ($('#builds-input')).click());
  $('#builds-input').addEventListener('change', (event) => {
    const input = /** @type {HTMLInputElement} */ (event.target);
    const files = [...input.files];
    input.value = '';
    if (files.length === 0) return;
    const title = (files[0].webkitRelativePath || files[0].name).split('/')[0];
    openFolder(pickedFromInput(files), title);
  });
  $('#open-release').addEventListener('click', () => /** @type {HTMLInputElement} */ ($('#release-input')).click());
  $('#release-input').addEventListener('change', async (event) => {
    const input = /** @type {HTMLInputElement} */ (event.target);
    const files = [...input.files];
    input.value = '';
    if (state === null || files.length === 0) return;
    await attachReleases(files.map((file) => ({ path: [file.name], file })));
    renderTable();
    checkAll();
  });
  $('#close-builds').addEventListener('click', () => showEditor());
  $('#back-to-builds').addEventListener('click', showBuilds);
  // The toolbar's other ways of putting a document in the editor leave the builds view
  // (a file once it is chosen, not when the chooser is cancelled).
  $('#file-input').addEventListener('change', () => showEditor());
  for (const id of ['#load-sample', '#upgrade']) $(id).addEventListener('click', () => showEditor());
  window.addEventListener('hashchange', () => showEditor());
  for (const radio of document.querySelectorAll('input[name="profile"]')) {
    radio.addEventListener('change', () => {
      if (state === null) return;
      for (const build of state.builds) build.result = null;
      renderTable();
      checkAll();
    });
  }

  // A dropped folder (with any release.json dropped beside it) opens here; while the builds
  // view is shown, a dropped release.json is checked against the build it names. Anything
  // else goes on to the page's own drop handler (registered later, on the bubbling phase).
  window.addEventListener('drop', (event) => {
    const items = [...(event.dataTransfer?.items ?? [])].filter((item) => item.kind === 'file');
    const entries = items.map((item) => item.webkitGetAsEntry?.() ?? null);
    const folder = entries.find((entry) => entry?.isDirectory);
    const files = [...(event.dataTransfer?.files ?? [])];
    const releases = state !== null && $('#builds-panel').hidden === false && files.length > 0
      && files.every((file) => /release.*\.json$/i.test(file.name));
    if (!folder && !releases) {
      // The page opens the file in the editor: any cell's context goes with the old text.
      if (state !== null) showEditor();
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    $('#drop-overlay').hidden = true;
    if (folder) {
      (async () => {
        const picked = [];
        for (const entry of entries) if (entry) await walk(entry, picked);
        openFolder(picked, folder.name);
      })().catch((error) => setNotes([`The dropped folder could not be read: ${error.message}`]));
    } else {
      attachReleases(files.map((file) => ({ path: [file.name], file }))).then(() => {
        renderTable();
        checkAll();
      });
    }
  }, { capture: true });
}
