// The timing engine and table formatting shared by run.mjs and compare.mjs.
//
// Method: the cases run interleaved, A B C … A B C …, the order rotated every round so
// that no case always follows the same one; each case is warmed up first, and each sample
// is a batch of calls long enough to time reliably (per-call time = batch time / calls),
// after a forced GC (node --expose-gc) so that one case does not pay for another's
// garbage. Reported: median, quartiles, min and max of the rounds.

import { consume } from './cases.mjs';

const gc = globalThis.gc ?? (() => {});
export const hasGc = Boolean(globalThis.gc);

// ---- statistics -------------------------------------------------------------------------

function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(s, 0.5),
    q1: quantile(s, 0.25),
    q3: quantile(s, 0.75),
    min: s[0],
    max: s.at(-1),
    rounds: s.length,
  };
}

// ---- timing -----------------------------------------------------------------------------

let sink = 0;

/** ns per call for `n` calls of `fn`. */
function batch(fn, n) {
  gc();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink ^= consume(fn());
  return Number(process.hrtime.bigint() - t0) / n;
}

/** Keeps the results of the measured calls observable, so no engine can drop them. */
export function sinkValue() {
  return sink;
}

/**
 * Measures `cases` ({name: fn}) interleaved: `rounds` samples each, each sample about
 * `targetMs` long (at least one call), after `warmupMs` of calls per case (at least one).
 * Returns {name: {median, q1, q3, min, max, rounds, callsPerSample, samples}} in ns/call.
 */
export function measure(cases, { rounds, targetMs, warmupMs }) {
  const names = Object.keys(cases);
  const calls = {};
  for (const name of names) {
    const fn = cases[name];
    // Warm-up: JIT, wasm tier-up, caches such as the compiled cosa schema.
    const warmEnd = performance.now() + warmupMs;
    let once = batch(fn, 1);
    while (performance.now() < warmEnd) once = Math.min(once, batch(fn, 1));
    calls[name] = Math.max(1, Math.round((targetMs * 1e6) / Math.max(once, 1)));
  }
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length];
      samples[name].push(batch(cases[name], calls[name]));
    }
  }
  return Object.fromEntries(
    names.map((n) => [n, { ...stats(samples[n]), callsPerSample: calls[n], samples: samples[n] }]),
  );
}

// ---- formatting -------------------------------------------------------------------------

export const fmtTime = (ns) => {
  if (ns == null || Number.isNaN(ns)) return '-';
  if (ns < 1e3) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e5 ? 1 : 0)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e8 ? 2 : 1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
};
export const fmtBytes = (b) =>
  b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KB` : `${b} B`;
export const int = (n) => Math.round(n).toLocaleString('en-US');
export const ratio = (x) => (x == null || !Number.isFinite(x) ? '-' : `${x.toFixed(2)}x`);

/** A Markdown table; `align` per column 'l' or 'r' (default: first left, others right). */
export function table(headers, rows, align) {
  const al = (i) => align?.[i] ?? (i === 0 ? 'l' : 'r');
  const widths = headers.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i] ?? '').length)));
  const cell = (v, i) => {
    const s = String(v ?? '');
    return al(i) === 'l' ? s.padEnd(widths[i]) : s.padStart(widths[i]);
  };
  const line = (r) => `| ${r.map(cell).join(' | ')} |`;
  const sep = `| ${widths.map((w, i) => (al(i) === 'l' ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(headers), sep, ...rows.map(line)].join('\n');
}
