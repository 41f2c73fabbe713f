// How pasted text is taken: presentation only, nothing here knows what a meta.json means.
//
// - Text copied from an issue or a chat often comes inside a Markdown code fence
//   (```json … ```) or quoted with `> `; the wrapping is removed, and the page says so.
// - One line that is not JSON, such as a pull spec copied from a terminal, is checked as
//   an image reference instead of failing as JSON at its first letter.

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})[^`]*$/;
const QUOTE = /^ {0,3}> ?/;

function closesFence(line, fence) {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return match !== null && match[1][0] === fence[0] && match[1].length >= fence.length;
}

/**
 * The pasted text without a surrounding Markdown fence or `> ` quote marks, and what was
 * removed: `{ text, removed: [] | ['quote'] | ['fence'] | ['quote', 'fence'] }`.
 */
export function unwrapPaste(text) {
  let lines = text.split(/\r\n|\r|\n/);
  const removed = [];
  const filled = lines.filter((line) => line.trim() !== '');
  if (filled.length > 0 && filled.every((line) => QUOTE.test(line))) {
    lines = lines.map((line) => line.replace(QUOTE, ''));
    removed.push('quote');
  }
  const first = lines.findIndex((line) => line.trim() !== '');
  const open = first === -1 ? null : FENCE_OPEN.exec(lines[first]);
  if (open) {
    const [, indent, fence] = open;
    let last = lines.length - 1;
    while (last > first && lines[last].trim() === '') last--;
    // A fence copied without its closing line is unwrapped all the same.
    const end = last > first && closesFence(lines[last], fence) ? last : last + 1;
    // Lines inside a fence opened with an indent carry that indent too (CommonMark).
    const body = lines.slice(first + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
    lines = body;
    removed.push('fence');
  }
  if (removed.length === 0) return { text, removed };
  return { text: lines.join('\n'), removed };
}

/** What the page says after unwrapping a paste. */
export function unwrapNotice(removed) {
  const quote = removed.includes('quote');
  const fence = removed.includes('fence');
  if (quote && fence) return 'Removed the “> ” quote marks and the Markdown code fence around the pasted text.';
  if (fence) return 'Removed the Markdown code fence (```) around the pasted text.';
  if (quote) return 'Removed the “> ” quote marks from the pasted text.';
  return '';
}

/**
 * Whether the text is one word on one line that cannot be JSON: a pull spec pasted alone.
 * Text that starts like JSON (`{`, `[`, `"`) stays JSON, so that a broken document or a
 * pasted fragment still gets its syntax error at the right place.
 */
export function looksLikeReference(text) {
  const word = text.trim();
  if (word === '' || /\s/.test(word) || /^[{["]/.test(word)) return false;
  try {
    JSON.parse(word);
    return false;
  } catch {
    return true;
  }
}
