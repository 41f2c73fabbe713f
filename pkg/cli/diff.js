// Unified diffs of two texts, line by line, for `oscontainer upgrade` over several files.
// Hand-written (Myers' O(ND) algorithm) rather than a dependency: the package has no
// runtime dependencies, and upgrade changes a few lines per file, so D is small.

/** Above this many differing lines the middle of the files is shown as replaced whole. */
const MAX_EDITS = 4000;

/** The lines of `text`, each with its line break (`\n` or `\r\n`); the last may have none. */
export function splitLines(text) {
  const lines = [];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    if (end < 0) {
      lines.push(text.slice(start));
      break;
    }
    lines.push(text.slice(start, end + 1));
    start = end + 1;
  }
  return lines;
}

/**
 * A shortest edit script from `a` to `b` (arrays of lines): ['=', i, j], ['-', i] or
 * ['+', j] in order, or null when more than `limit` lines differ.
 */
function myers(a, b, limit) {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, limit);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds the furthest x per diagonal k (index k + d) before step d.
  const trace = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m, d);
    }
  }
  return null;
}

function backtrack(trace, n, m, steps) {
  const ops = [];
  let x = n;
  let y = m;
  for (let d = steps; d > 0; d--) {
    const before = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && before[k - 1 + d] < before[k + 1 + d]);
    const previousK = down ? k + 1 : k - 1;
    const previousX = before[previousK + d];
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x -= 1;
      y -= 1;
      ops.push(['=', x, y]);
    }
    if (down) ops.push(['+', previousY]);
    else ops.push(['-', previousX]);
    x = previousX;
    y = previousY;
  }
  while (x > 0 && y > 0) {
    x -= 1;
    y -= 1;
    ops.push(['=', x, y]);
  }
  return ops.reverse();
}

/** The edit script from `a` to `b`: common ends first, Myers for the middle. */
export function editScript(a, b, limit = MAX_EDITS) {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;
  const middleA = a.slice(head, a.length - tail);
  const middleB = b.slice(head, b.length - tail);
  const middle = myers(middleA, middleB, limit) ?? [...middleA.map((_, i) => ['-', i]), ...middleB.map((_, j) => ['+', j])];
  const ops = [];
  for (let i = 0; i < head; i++) ops.push(['=', i, i]);
  for (const [kind, index, other] of middle) {
    ops.push(kind === '=' ? ['=', index + head, other + head] : [kind, index + head]);
  }
  for (let t = tail; t > 0; t--) ops.push(['=', a.length - t, b.length - t]);
  return ops;
}

function range(before, count) {
  const start = count === 0 ? before : before + 1;
  return count === 1 ? `${start}` : `${start},${count}`;
}

function line(prefix, text) {
  return text.endsWith('\n') ? `${prefix}${text}` : `${prefix}${text}\n\\ No newline at end of file\n`;
}

/**
 * The unified diff (`diff -u` format, 3 lines of context) that turns `oldText` into
 * `newText`, or '' when they are equal. Within each run of changes the removed lines
 * come before the added ones, as diff and git print them.
 */
export function unifiedDiff(oldText, newText, { oldName, newName, context = 3 }) {
  if (oldText === newText) return '';
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = editScript(a, b);
  // Lines of each side before op i.
  const oldBefore = new Int32Array(ops.length + 1);
  const newBefore = new Int32Array(ops.length + 1);
  ops.forEach(([kind], i) => {
    oldBefore[i + 1] = oldBefore[i] + (kind === '+' ? 0 : 1);
    newBefore[i + 1] = newBefore[i] + (kind === '-' ? 0 : 1);
  });
  let out = `--- ${oldName}\n+++ ${newName}\n`;
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i][0] === '=') i += 1;
    if (i === ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end][0] !== '=') end += 1;
      let equal = end;
      while (equal < ops.length && ops[equal][0] === '=') equal += 1;
      // Changes closer than twice the context share one hunk.
      if (equal < ops.length && equal - end <= 2 * context) {
        end = equal;
        continue;
      }
      end = Math.min(equal, end + context);
      break;
    }
    const oldCount = oldBefore[end] - oldBefore[start];
    const newCount = newBefore[end] - newBefore[start];
    out += `@@ -${range(oldBefore[start], oldCount)} +${range(newBefore[start], newCount)} @@\n`;
    let removed = '';
    let added = '';
    for (let k = start; k < end; k++) {
      const [kind, x] = ops[k];
      if (kind === '-') removed += line('-', a[x]);
      else if (kind === '+') added += line('+', b[x]);
      else {
        out += removed + added + line(' ', a[x]);
        removed = '';
        added = '';
      }
    }
    out += removed + added;
    i = end;
  }
  return out;
}
