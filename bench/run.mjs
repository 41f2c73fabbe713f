// The benchmark harness (`make bench`): oscontainer against JSON.parse and ajv on the same
// documents in one Node process, plus memory, cold start, .wasm size, CLI throughput (in
// child processes) and the reviewer page's start in Chromium. Prints tables, ending with
// issue 13's goals, and writes bench/results.json. Times are measured, never asserted: a
// missed goal is reported as MISS, not failed.
//
//   node --expose-gc bench/run.mjs [options]
//     --pkg DIR         package to measure (default: pkg/), e.g. another opt-level's build
//     --only LIST       sections: timing,linearity,rss,cold,size,page,cli,builds (default: all)
//     --docs LIST       timing documents: corpus,20k,5m,100m (default: all)
//     --rounds N        rounds per case (default 9; at least 7 for the record)
//     --quick           fewer rounds and shorter batches, for a quick look while optimising
//     --out FILE        results file (default: bench/results.json)
//
// Timing method: bench/measure.mjs (interleaved, rotated, warmed up, GC between batches).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import {
  benchDir,
  caseFunctions,
  corpusMeta,
  defaultPkgDir,
  docRecord,
  extraFunctions,
  loadAjv,
  loadPackage,
  rootDir,
} from './cases.mjs';
import { CLI_FILES, cliDir, cliFile, dataDir, generate } from './generate.mjs';
import { fmtBytes, fmtTime, hasGc, int, measure, ratio, sinkValue, stats, table } from './measure.mjs';

// ---- options ----------------------------------------------------------------------------

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = args.includes('--quick');
const pkgDir = (opt('pkg', defaultPkgDir) || defaultPkgDir).replace(/\/?$/, '/');
const sections = new Set((opt('only', 'timing,linearity,rss,cold,size,page,cli,builds') || '').split(','));
const docSet = new Set((opt('docs', 'corpus,20k,5m,100m') || '').split(','));
const ROUNDS = Number(opt('rounds', quick ? 5 : 9));
const outFile = opt('out', `${benchDir}results.json`);
if (!hasGc) console.log('note: run with node --expose-gc for a GC before each batch (make bench does)');

const wasmPath = `${pkgDir}wasm/oscontainer_bg.wasm`;
// The core plus jsonschema, loaded only for options.schema (issue 13).
const schemaWasmPath = `${pkgDir}oscontainer_schema_bg.wasm`;
if (!existsSync(wasmPath)) {
  console.error(`${wasmPath} is missing: run make pkg first`);
  process.exit(1);
}

function heading(text) {
  console.log(`\n## ${text}\n`);
}

// ---- setup ------------------------------------------------------------------------------

/** The checked-out commit, and whether the sources differ from it (the package is built from the tree). */
function gitDescribe() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: rootDir, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'pkg', 'Cargo.toml', 'Cargo.lock'], {
      cwd: rootDir,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${commit} + uncommitted changes` : commit;
  } catch {
    return 'unknown';
  }
}

const results = {
  date: new Date().toISOString(),
  command: `node --expose-gc bench/run.mjs ${args.join(' ')}`.trim(),
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    loadavgAtStart: loadavg(),
  },
  package: pkgDir,
  commit: pkgDir === defaultPkgDir ? gitDescribe() : 'not the checkout (--pkg)',
  rounds: ROUNDS,
  documents: {},
  timing: {},
  linearity: null,
  rss: null,
  coldStart: null,
  size: null,
  page: null,
  cli: null,
  builds: null,
  goals: [],
  skipped: [],
};

function skip(what, reason) {
  results.skipped.push({ what, reason });
  console.log(`SKIP ${what}: ${reason}`);
}

console.log(`# oscontainer benchmark`);
console.log(
  `${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGiB} GiB, Node ${process.version}; ` +
    `load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
);
console.log(`package: ${pkgDir} (source: ${results.commit})  rounds: ${ROUNDS}${quick ? ' (quick)' : ''}`);

generate({ log: (m) => console.log(m) });
const api = await loadPackage(pkgDir);
const ajv = await loadAjv();
const env = { api, ajv };

const synthetic = {
  '20k': `${dataDir}meta-20k.json`,
  '5m': `${dataDir}meta-5m.json`,
  '100m': `${dataDir}meta-100m.json`,
};

// ---- timing -----------------------------------------------------------------------------

const CASES = Object.keys(caseFunctions(env, docRecord('x', '{}')));
const BASELINE = 'JSON.parse+ajv';

function describe(doc) {
  // What each side finds, so that the reader sees both did comparable work.
  const ours = api.validate(doc.text);
  const ajvOurs = ajv.ours(JSON.parse(doc.text)) ? 0 : ajv.ours.errors.length;
  const ajvCosa = ajv.cosa(JSON.parse(doc.text)) ? 0 : ajv.cosa.errors.length;
  const cosaOurs = api.validate(doc.text, { schema: ajv.cosaText }).diagnostics.filter((d) => d.code === 'schema-violation').length;
  return {
    bytes: doc.size,
    findings: ours.diagnostics.length,
    codes: [...new Set(ours.diagnostics.map((d) => d.code))],
    ajvErrors: ajvOurs,
    ajvCosaErrors: ajvCosa,
    ourCosaViolations: cosaOurs,
  };
}

function timeDocument(key, doc, { cases, targetMs, warmupMs, rounds }) {
  results.documents[key] = describe(doc);
  const fns = caseFunctions(env, doc);
  const selected = Object.fromEntries(cases.map((c) => [c, fns[c]]));
  const t0 = performance.now();
  const r = measure(selected, { targetMs, warmupMs, rounds: rounds ?? ROUNDS });
  results.timing[key] = r;
  return { r, seconds: (performance.now() - t0) / 1000 };
}

function printDocTable(key, r, title) {
  const base = r[BASELINE]?.median;
  const rows = Object.entries(r).map(([name, s]) => [
    name,
    fmtTime(s.median),
    `${fmtTime(s.q1)} – ${fmtTime(s.q3)}`,
    `${fmtTime(s.min)} – ${fmtTime(s.max)}`,
    base ? ratio(s.median / base) : '-',
  ]);
  console.log(`### ${title}\n`);
  console.log(table(['case', 'median', 'IQR', 'min – max', `× ${BASELINE}`], rows));
  console.log();
}

if (sections.has('timing')) {
  heading('Time per call (median of rounds; interleaved; lower is better)');
  if (docSet.has('corpus')) {
    const { files, reason } = corpusMeta();
    if (!files) skip('corpus documents', reason);
    else {
      const rows = [];
      let seconds = 0;
      for (const [name, text] of files) {
        const doc = docRecord(name, text);
        const key = `corpus/${name}`;
        const { r, seconds: s } = timeDocument(key, doc, {
          cases: CASES,
          targetMs: quick ? 5 : 12,
          warmupMs: quick ? 30 : 80,
        });
        seconds += s;
        const base = r[BASELINE].median;
        rows.push([
          name.replace(/^(coreos-coreos-assembler__|openshift-eng-art-tools__doozer_tests_resources_|openshift-installer__data_data_)/, ''),
          fmtBytes(doc.size),
          ...CASES.map((c) => `${fmtTime(r[c].median)} (${ratio(r[c].median / base)})`),
        ]);
      }
      console.log(`### Corpus meta.json (../shared/corpus/meta/, ${files.length} files; ${seconds.toFixed(0)} s)\n`);
      console.log('Each cell: median time per call (ratio to JSON.parse+ajv on the same document).\n');
      console.log(table(['document', 'size', ...CASES], rows));
      console.log();
    }
  }
  if (docSet.has('20k')) {
    const doc = docRecord('meta-20k.json', readFileSync(synthetic['20k'], 'utf8'));
    const fns = { ...caseFunctions(env, doc), ...extraFunctions(env, doc) };
    results.documents['synthetic-20k'] = describe(doc);
    const r = measure(fns, { targetMs: quick ? 10 : 30, warmupMs: quick ? 100 : 300, rounds: Math.max(ROUNDS, quick ? 5 : 15) });
    results.timing['synthetic-20k'] = r;
    printDocTable('synthetic-20k', r, `Synthetic meta-20k.json (${int(doc.size)} bytes)`);
  }
  if (docSet.has('5m')) {
    const doc = docRecord('meta-5m.json', readFileSync(synthetic['5m'], 'utf8'));
    const { r } = timeDocument('synthetic-5m', doc, { cases: CASES, targetMs: 1, warmupMs: quick ? 0 : 200 });
    printDocTable('synthetic-5m', r, `Synthetic meta-5m.json (${int(doc.size)} bytes)`);
  }
  if (docSet.has('100m')) {
    // validate(object) needs the parsed tree kept alive (about 1 GB of heap), and cosa's
    // schema in Rust builds a serde_json tree of the whole document: both are left to the
    // memory section. Fewer rounds: each call takes about a second.
    const doc = docRecord('meta-100m.json', readFileSync(synthetic['100m'], 'utf8'), { object: false });
    results.documents['synthetic-100m'] = { bytes: doc.size };
    const fns = caseFunctions(env, doc);
    const cases = ['JSON.parse', 'JSON.parse+ajv', 'validate(string)', 'validate(bytes)', 'upgrade(string)'];
    const r = measure(Object.fromEntries(cases.map((c) => [c, fns[c]])), {
      targetMs: 1,
      warmupMs: 0,
      rounds: quick ? 3 : Math.max(7, Math.min(ROUNDS, 7)),
    });
    results.timing['synthetic-100m'] = r;
    printDocTable('synthetic-100m', r, `Synthetic meta-100m.json (${int(doc.size)} bytes)`);
  }
}

// ---- linearity --------------------------------------------------------------------------

if (sections.has('linearity') && ['synthetic-20k', 'synthetic-5m', 'synthetic-100m'].every((k) => results.timing[k])) {
  heading('Linearity: time per MB (median), 20 KB → 5 MB → 100 MB');
  const sizes = ['synthetic-20k', 'synthetic-5m', 'synthetic-100m'].map((k) => [k, results.documents[k].bytes]);
  const cases = ['JSON.parse', 'JSON.parse+ajv', 'validate(string)', 'validate(bytes)', 'upgrade(string)'];
  const lin = {};
  const rows = cases.map((c) => {
    const perMB = sizes.map(([k, bytes]) => results.timing[k][c].median / (bytes / 2 ** 20));
    const growth = [perMB[1] / perMB[0], perMB[2] / perMB[1]];
    lin[c] = { perMBns: perMB, growth };
    return [c, ...perMB.map(fmtTime), ratio(growth[0]), ratio(growth[1])];
  });
  results.linearity = lin;
  console.log(table(['case', 'per MB @ 20 KB', 'per MB @ 5 MB', 'per MB @ 100 MB', '5 MB / 20 KB', '100 MB / 5 MB'], rows));
  console.log('\nLinear means no step costs more per MB than the step before (ratio ≤ 1.25x); the');
  console.log('20 KB document is dense in container entries, the big ones mostly other keys.');
}

// ---- memory -----------------------------------------------------------------------------

function gnuTime() {
  if (!existsSync('/usr/bin/time')) return null;
  const r = spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' });
  return /Maximum resident set size/.test(r.stderr) ? '/usr/bin/time' : null;
}

if (sections.has('rss')) {
  heading('Peak memory (GNU time -v, a new process per case)');
  const time = gnuTime();
  if (!time) skip('memory', "GNU time is missing (/usr/bin/time -v); make bench installs Debian's time package");
  else {
    const cases = [
      'node',
      'import oscontainer',
      'read string',
      'read bytes',
      'JSON.parse',
      'JSON.parse+ajv',
      'validate(string)',
      'validate(bytes)',
      'upgrade(string)',
      'validate(string,cosa)',
    ];
    const docs = quick ? ['5m'] : ['5m', '100m'];
    const rss = {};
    for (const d of docs) {
      const file = synthetic[d];
      const bytes = readFileSync(file).length;
      rss[d] = { bytes, cases: {} };
      for (const c of cases) {
        const t0 = performance.now();
        const r = spawnSync(time, ['-v', process.execPath, `${benchDir}child-rss.mjs`, c, file, pkgDir], {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        });
        const wall = performance.now() - t0;
        const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
        if (r.status !== 0 || !kb) {
          rss[d].cases[c] = { error: (r.stderr || '').split('\n').filter((l) => !/^\t/.test(l)).slice(-5).join(' ') };
          continue;
        }
        rss[d].cases[c] = { peakBytes: kb * 1024, ratioToInput: (kb * 1024) / bytes, wallMs: wall };
      }
    }
    results.rss = rss;
    const rows = cases.map((c) => [
      c,
      ...docs.flatMap((d) => {
        const x = rss[d].cases[c];
        return x.error ? ['error', '-'] : [fmtBytes(x.peakBytes), ratio(x.ratioToInput)];
      }),
    ]);
    console.log(
      table(
        ['case', ...docs.flatMap((d) => [`peak RSS, ${fmtBytes(rss[d].bytes)}`, '× input'])],
        rows,
      ),
    );
    console.log('\n"node": an empty Node process; "import oscontainer": Node with the .wasm instantiated;');
    console.log('"read string"/"read bytes": the document read into a JS string / Buffer and nothing else.');
    for (const d of docs) for (const [c, x] of Object.entries(rss[d].cases)) if (x.error) console.log(`error in ${c} (${d}): ${x.error}`);
  }
}

// ---- cold start -------------------------------------------------------------------------

if (sections.has('cold')) {
  heading('Cold start (new Node process: import → first result on the 20 KB document)');
  const runs = quick ? 7 : 20;
  const out = { ours: [], ajv: [], oursProcess: [], ajvProcess: [], nodeProcess: [] };
  const steps = {};
  for (let i = 0; i < runs; i++) {
    for (const which of ['ours', 'ajv']) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [`${benchDir}child-cold.mjs`, which, synthetic['20k'], pkgDir], { encoding: 'utf8' });
      const wall = performance.now() - t0;
      if (r.status !== 0) throw new Error(`cold start child failed: ${r.stderr}`);
      const m = JSON.parse(r.stdout);
      out[which].push(m.firstResultMs);
      out[`${which}Process`].push(wall);
    }
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    out.nodeProcess.push(performance.now() - t0);
    const r = spawnSync(process.execPath, [`${benchDir}child-cold.mjs`, 'steps', synthetic['20k'], pkgDir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cold start child failed: ${r.stderr}`);
    for (const [k, v] of Object.entries(JSON.parse(r.stdout))) (steps[k] ??= []).push(v);
  }
  const s = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, stats(v)]));
  s.steps = Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, stats(v)]));
  results.coldStart = s;
  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log(
    table(
      ['', 'median', 'min – max'],
      [
        ['oscontainer: import → first validate', ms(s.ours.median), `${ms(s.ours.min)} – ${ms(s.ours.max)}`],
        ['ajv: import + compile → first parse+validate', ms(s.ajv.median), `${ms(s.ajv.min)} – ${ms(s.ajv.max)}`],
        ['whole process, oscontainer', ms(s.oursProcess.median), `${ms(s.oursProcess.min)} – ${ms(s.oursProcess.max)}`],
        ['whole process, ajv', ms(s.ajvProcess.median), `${ms(s.ajvProcess.min)} – ${ms(s.ajvProcess.max)}`],
        ['whole process, node -e 0', ms(s.nodeProcess.median), `${ms(s.nodeProcess.min)} – ${ms(s.nodeProcess.max)}`],
      ],
    ),
  );
  console.log(`\n${runs} runs each, interleaved. Where oscontainer's time goes (medians of ${runs} more runs):\n`);
  console.log(
    table(
      ['import glue', 'read .wasm', 'compile', 'instantiate', 'first validate', 'second validate'],
      [Object.values(s.steps).map((x) => ms(x.median))],
      Array(6).fill('r'),
    ),
  );
}

// ---- size -------------------------------------------------------------------------------

if (sections.has('size')) {
  heading('.wasm size');
  let gzipTool = 'gzip -9';
  const gzip9 = (bytes) => {
    try {
      return execFileSync('gzip', ['-9', '-c'], { input: bytes, maxBuffer: 1 << 26 }).length;
    } catch {
      gzipTool = "Node's zlib, level 9";
      return gzipSync(bytes, { level: 9 }).length;
    }
  };
  const sizeOf = (path) => {
    const wasm = readFileSync(path);
    const brotli = brotliCompressSync(wasm, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: 11,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: wasm.length,
        [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_GENERIC,
      },
    }).length;
    return { raw: wasm.length, gzip9: gzip9(wasm), brotli11: brotli };
  };
  const core = sizeOf(wasmPath);
  const schemaModule = existsSync(schemaWasmPath) ? sizeOf(schemaWasmPath) : null;
  if (!schemaModule) skip('schema module size', `${schemaWasmPath} is missing`);
  results.size = { ...core, schemaModule, gzipTool };
  const row = (path, what, x) => [path.replace(rootDir, ''), what, int(x.raw), int(x.gzip9), int(x.brotli11)];
  const rows = [row(wasmPath, 'default: the core', core)];
  if (schemaModule) rows.push(row(schemaWasmPath, 'core + jsonschema, for options.schema', schemaModule));
  console.log(table(['file', 'module', 'raw', 'gzip -9', 'brotli (q 11)'], rows, ['l', 'l', 'r', 'r', 'r']));
  if (gzipTool !== 'gzip -9') console.log(`(gzip size from ${gzipTool})`);
}

// ---- page -------------------------------------------------------------------------------

if (sections.has('page')) {
  heading('Reviewer page in Chromium: navigation → first findings shown (www/dist, cold cache each run)');
  const { measurePage } = await import('./page.mjs');
  const sample = readFileSync(`${rootDir}www/src/sample.json`, 'utf8');
  const expectedCodes = api.validate(sample).diagnostics.map((d) => d.code);
  const runs = quick ? 3 : 11;
  const p = await measurePage({ runs, expectedCodes, log: (m) => console.log(m) });
  if (p.skipped) skip('page', p.skipped);
  else {
    const marks = {
      findingsShown: 'first findings shown',
      findingsInDom: '(findings in the DOM)',
      firstContentfulPaint: 'first contentful paint',
      domContentLoaded: 'DOMContentLoaded',
      load: 'load',
    };
    const s = Object.fromEntries(
      Object.keys(marks)
        .filter((k) => p.runs.every((r) => r[k] != null))
        .map((k) => [k, stats(p.runs.map((r) => r[k]))]),
    );
    const total = { bytes: 0, gzip9: 0 };
    for (const f of p.files) {
      total.bytes += f.bytes;
      total.gzip9 += f.gzip9;
    }
    results.page = { runs: p.runs, stats: s, files: p.files, total, runsWithOtherFiles: p.runsWithOtherFiles, expectedCodes };
    const ms = (x) => `${x.toFixed(1)} ms`;
    console.log(
      table(
        ['since navigation start', 'median', 'min – max'],
        Object.entries(s).map(([k, x]) => [marks[k], ms(x.median), `${ms(x.min)} – ${ms(x.max)}`]),
      ),
    );
    console.log(`\n${runs} runs, each in a new browser context (nothing cached), after one uncounted run;`);
    console.log(`the sample's findings: ${expectedCodes.join(', ')}. Downloaded on the way (as served, uncompressed):\n`);
    console.log(
      table(
        ['file', 'bytes', 'gzip -9'],
        [
          ...p.files.map((f) => [f.found ? f.url : `${f.url} (404)`, int(f.bytes), int(f.gzip9)]),
          ['total', int(total.bytes), int(total.gzip9)],
        ],
      ),
    );
    if (p.runsWithOtherFiles) console.log(`\nnote: ${p.runsWithOtherFiles} runs fetched other files than the first`);
  }
}

// ---- CLI --------------------------------------------------------------------------------

function cliSupport() {
  const cli = `${pkgDir}cli/main.js`;
  if (!existsSync(cli)) return { ok: false, reason: `${cli} is missing` };
  const r = spawnSync(process.execPath, [cli, 'check', '--jobs', '1', cliFile(0)], { encoding: 'utf8', timeout: 60_000 });
  const said = `${r.stderr}${r.stdout}`.trim().split('\n')[0] ?? '';
  if (r.status !== 0 && r.status !== 1) {
    return { ok: false, reason: `\`oscontainer check --jobs 1 FILE\` exited ${r.status}${said ? `: ${said}` : ''} (the CLI has not landed yet?)` };
  }
  return { ok: true, cli };
}

if (sections.has('cli')) {
  heading(`CLI throughput (oscontainer check, ${int(CLI_FILES)} files)`);
  const support = cliSupport();
  if (!support.ok) skip('CLI throughput', support.reason);
  else {
    const files = Array.from({ length: CLI_FILES }, (_, i) => cliFile(i).slice(cliDir.length));
    const rounds = quick ? 3 : 7;
    const wall = { 1: [], 2: [] };
    let exit = {};
    for (let r = 0; r < rounds; r++) {
      for (const jobs of r % 2 ? [2, 1] : [1, 2]) {
        const t0 = performance.now();
        const p = spawnSync(process.execPath, [support.cli, 'check', '--jobs', String(jobs), ...files], {
          cwd: cliDir,
          encoding: 'utf8',
          maxBuffer: 1 << 28,
        });
        wall[jobs].push(performance.now() - t0);
        exit[jobs] = p.status;
        if (p.status !== 0 && p.status !== 1) throw new Error(`CLI failed with --jobs ${jobs}: ${p.stderr.slice(0, 500)}`);
      }
    }
    const out = {};
    for (const jobs of [1, 2]) {
      const s = stats(wall[jobs]);
      out[`jobs${jobs}`] = { wallMs: s, filesPerSecond: (CLI_FILES / s.median) * 1000, exit: exit[jobs] };
    }
    results.cli = out;
    console.log(
      table(
        ['', 'median wall', 'min – max', 'files/s'],
        [1, 2].map((j) => [
          `--jobs ${j}`,
          `${(out[`jobs${j}`].wallMs.median / 1000).toFixed(2)} s`,
          `${(out[`jobs${j}`].wallMs.min / 1000).toFixed(2)} – ${(out[`jobs${j}`].wallMs.max / 1000).toFixed(2)} s`,
          int(out[`jobs${j}`].filesPerSecond),
        ]),
      ),
    );
    console.log(`\n${rounds} runs each, interleaved; the whole process (start, all files, exit).`);
  }
}

// ---- builds directory (issue 15) --------------------------------------------------------

const BUILDS = 1_000;
const BUILD_ARCHES = ['x86_64', 'aarch64', 'ppc64le', 's390x'];

/**
 * A builds directory in a temporary directory: builds.json (newest first) and BUILDS
 * builds × 4 arches. A build's meta.json files are one of bench/data/cli/ (3-12 KB, like
 * the corpus) with the build's id as its buildid, the same on every arch but for the
 * digests (each arch its own, as pipelines push them) and the basearch: a build whose
 * arches agree, so the cross-arch findings are those of real builds, not of strangers.
 */
function buildsDirectory() {
  const root = mkdtempSync(`${tmpdir()}/oscontainer-bench-builds-`);
  const builds = [];
  let bytes = 0;
  for (let b = 0; b < BUILDS; b++) {
    const id = `42.2024${String(1_000 + b).padStart(4, '0')}.2.0`;
    builds.unshift({ id, arches: BUILD_ARCHES });
    BUILD_ARCHES.forEach((arch, a) => {
      const text = readFileSync(cliFile(b), 'utf8')
        .replace(/"buildid": "[^"]*"/, `"buildid": "${id}"`)
        .replace(/"coreos-assembler\.basearch": "[^"]*"/, `"coreos-assembler.basearch": "${arch}"`)
        .replace(/"digest": "sha256:[0-9a-f]([0-9a-f]{63})"/g, (_, rest) => `"digest": "sha256:${a}${rest}"`);
      mkdirSync(`${root}/${id}/${arch}`, { recursive: true });
      writeFileSync(`${root}/${id}/${arch}/meta.json`, text);
      bytes += Buffer.byteLength(text);
    });
  }
  writeFileSync(`${root}/builds.json`, `${JSON.stringify({ 'schema-version': '1.0.0', builds }, null, 4)}\n`);
  return { root, bytes };
}

if (sections.has('builds')) {
  const files = BUILDS * BUILD_ARCHES.length;
  heading(`Builds directory (checkBuildsDir, ${int(BUILDS)} builds × ${BUILD_ARCHES.length} arches = ${int(files)} meta.json)`);
  const fsPath = `${pkgDir}fs.js`;
  if (!existsSync(fsPath)) skip('builds directory', `${fsPath} is missing`);
  else {
    const { checkBuildsDir } = await import(fsPath);
    const { root, bytes } = buildsDirectory();
    try {
      const rounds = quick ? 3 : 7;
      // One thread, two worker threads (this machine's cores), and the command (--jobs: the CPU count).
      const wall = { 1: [], 2: [], cli: [] };
      let invalid = 0;
      const walk = async (jobs) => {
        if (hasGc) globalThis.gc();
        const t0 = performance.now();
        let checked = 0;
        invalid = 0;
        for await (const result of checkBuildsDir(root, { jobs })) {
          checked += result.files.length;
          if (!result.valid) invalid += 1;
        }
        wall[jobs].push(performance.now() - t0);
        if (checked !== files) throw new Error(`checkBuildsDir read ${checked} files, not ${files}`);
      };
      for (let r = 0; r < rounds; r++) {
        for (const jobs of r % 2 ? [2, 1] : [1, 2]) await walk(jobs);
        // The command as a user runs it (text: the table and the findings), the whole process.
        const t1 = performance.now();
        const p = spawnSync(process.execPath, [`${pkgDir}cli/main.js`, 'builds', root], { encoding: 'utf8', maxBuffer: 1 << 28 });
        wall.cli.push(performance.now() - t1);
        if (p.status !== 0 && p.status !== 1) throw new Error(`oscontainer builds failed (${p.status}): ${p.stderr.slice(0, 500)}`);
      }
      const row = (key) => {
        const w = stats(wall[key]);
        return { wallMs: w, filesPerSecond: (files / w.median) * 1000 };
      };
      results.builds = { builds: BUILDS, files, bytes, invalidBuilds: invalid, jobs1: row(1), jobs2: row(2), cli: row('cli') };
      console.log(
        table(
          ['', 'median wall', 'min – max', 'meta.json/s'],
          [
            ['checkBuildsDir, jobs 1 (in process)', results.builds.jobs1],
            ['checkBuildsDir, jobs 2 (in process)', results.builds.jobs2],
            ['oscontainer builds DIR (process)', results.builds.cli],
          ].map(([name, { wallMs: w, filesPerSecond }]) => [
            name,
            `${(w.median / 1000).toFixed(2)} s`,
            `${(w.min / 1000).toFixed(2)} – ${(w.max / 1000).toFixed(2)} s`,
            int(filesPerSecond),
          ]),
        ),
      );
      const rate = Math.max(results.builds.jobs1.filesPerSecond, results.builds.jobs2.filesPerSecond);
      results.goals.push({ goal: 'builds directory: meta.json/s through checkBuildsDir (at least)', limit: 3000, measured: rate, unit: 'files/s', pass: rate >= 3000, note: 'issue 15' });
      console.log(
        `\n${rounds} rounds, interleaved; ${int(bytes)} bytes of meta.json (${invalid} builds with findings). ` +
          `Goal (issue 15): ≥ 3,000 meta.json/s through checkBuildsDir: ${int(rate)}, ${rate >= 3000 ? 'PASS' : 'MISS'}`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
}

// ---- goals ------------------------------------------------------------------------------

// Issue 13's goals table, row for row, plus its per-call floor; an "info" row is measured
// and reported with no goal.
const shortName = (name) =>
  name.replace(/^(coreos-coreos-assembler__|openshift-eng-art-tools__doozer_tests_resources_|openshift-installer__data_data_)/, '');

function show(v, unit) {
  if (v == null) return '-';
  if (unit === 'x') return `${v.toFixed(2)}x`;
  if (unit === 'µs') return `${v.toFixed(2)} µs`;
  if (unit === 'ms') return `${v.toFixed(1)} ms`;
  return `${int(v)} ${unit}`;
}

function goal(name, measured, limit, { unit = 'x', note = '' } = {}) {
  const pass = measured == null ? null : measured <= limit;
  if (measured == null && !note) note = 'not measured in this run';
  results.goals.push({ goal: name, limit, measured, unit, pass, note });
  return [name, `≤ ${show(limit, unit)}`, show(measured, unit), pass == null ? 'n/a' : pass ? 'PASS' : 'MISS', note];
}

function info(name, measured, { unit, note = '' }) {
  if (measured == null && !note) note = 'not measured in this run';
  results.goals.push({ goal: name, limit: null, measured, unit, pass: null, info: true, note });
  return [name, '(no goal)', show(measured, unit), measured == null ? 'n/a' : 'info', note];
}

{
  const t = results.timing['synthetic-20k'];
  const r = (name, of) => (t ? t[name].median / t[of].median : null);
  const rows = [];
  const size = results.size;
  rows.push(goal('default .wasm, gzip -9', size?.gzip9 ?? null, 160_000, { unit: 'bytes' }));
  rows.push(goal('default .wasm, gzip -9 (stretch)', size?.gzip9 ?? null, 120_000, { unit: 'bytes' }));
  rows.push(info('schema module (core + jsonschema), gzip -9', size?.schemaModule?.gzip9 ?? null, { unit: 'bytes' }));
  rows.push(goal('20 KB: validate(string) / JSON.parse+ajv', r('validate(string)', BASELINE), 0.75));
  rows.push(goal('20 KB: validate(bytes) / JSON.parse+ajv', r('validate(bytes)', BASELINE), 0.5));
  rows.push(goal('20 KB: upgrade(string) / JSON.parse+ajv', r('upgrade(string)', BASELINE), 1.0));
  {
    const corpus = Object.entries(results.timing)
      .filter(([k]) => k.startsWith('corpus/'))
      .map(([k, x]) => [shortName(k.slice('corpus/'.length)), x['validate(string)'].median / x[BASELINE].median]);
    const worst = corpus.reduce((a, b) => (b[1] > (a?.[1] ?? -Infinity) ? b : a), null);
    const within = corpus.filter(([, x]) => x <= 1).length;
    rows.push(
      goal('corpus: validate(string) / JSON.parse+ajv, worst file', worst?.[1] ?? null, 1.0, {
        note: worst ? `${worst[0]}; ${within} of ${corpus.length} files ≤ 1.00x` : '',
      }),
    );
  }
  rows.push(goal('per call: validate("{}") (string)', t ? t['floor: validate("{}")'].median / 1e3 : null, 2, { unit: 'µs' }));
  const cold = results.coldStart;
  rows.push(goal('cold start: import → first validate, 20 KB', cold?.ours.median ?? null, 20, { unit: 'ms' }));
  rows.push(
    goal('cold start: ours / ajv (import, compile, parse + validate)', cold ? cold.ours.median / cold.ajv.median : null, 1.0, {
      note: cold ? `ajv ${cold.ajv.median.toFixed(1)} ms, same run, interleaved` : '',
    }),
  );
  rows.push(goal("20 KB: validate(string, cosa's schema) / ajv with it", r('validate(string,cosa)', 'JSON.parse+ajv(cosa)'), 1.5));
  rows.push(goal("20 KB: validate(string, cosa's schema) / ajv with it (at most)", r('validate(string,cosa)', 'JSON.parse+ajv(cosa)'), 2.5));
  rows.push(goal('upgrade(string) at 100 MB: peak RSS / input', results.rss?.['100m']?.cases['upgrade(string)']?.ratioToInput ?? null, 4));
  const page = results.page;
  rows.push(
    info('page: navigation → first findings shown, Chromium', page?.stats.findingsShown.median ?? null, {
      unit: 'ms',
      note: page ? `downloads ${int(page.total.bytes)} bytes (${int(page.total.gzip9)} gzip -9)` : '',
    }),
  );
  heading('Goals (issue 13)');
  console.log(table(['figure', 'goal', 'measured', 'result', 'note'], rows, ['l', 'l', 'r', 'l', 'l']));
}

results.machine.loadavgAtEnd = loadavg();
console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (sinkValue() === 0.5) console.log('.'); // keeps the measured results observable
writeFileSync(outFile, `${JSON.stringify(results, null, 1)}\n`);
console.log(`results: ${outFile.replace(rootDir, '')}`);
