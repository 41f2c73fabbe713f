// CodeMirror set-up shared by the editor and the diff, and the mapping from our
// diagnostics (1-based line, UTF-16 column) to document offsets.
//
// Every view is mounted inside a shadow root: there style-mod gives CodeMirror's styles to
// the browser as constructed style sheets (adoptedStyleSheets) instead of <style>
// elements, and the CSP can keep `style-src 'self'` without 'unsafe-inline' or a nonce.

import { EditorState, EditorSelection, Compartment, Transaction } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, drawSelection, placeholder,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { search, searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { lintGutter, lintKeymap, setDiagnostics } from '@codemirror/lint';
import {
  foldGutter, foldKeymap, bracketMatching, indentOnInput, syntaxHighlighting, HighlightStyle,
} from '@codemirror/language';
import { json } from '@codemirror/lang-json';
import { tags } from '@lezer/highlight';
import { MergeView, unifiedMergeView } from '@codemirror/merge';

const darkQuery = matchMedia('(prefers-color-scheme: dark)');

// Colours come from CSS custom properties (defined in style.css, switched by
// prefers-color-scheme), which inherit into the shadow roots. The `dark` flag still
// matters: the merge view picks its change colours by it.
const themeSpec = {
  '&': { color: 'var(--fg)', backgroundColor: 'var(--editor-bg)', height: '100%', fontSize: '13px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '-2px' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection':
    { backgroundColor: 'var(--selection)' },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-gutters': { backgroundColor: 'var(--gutter-bg)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--active-line)' },
  '.cm-panels': { backgroundColor: 'var(--panel-bg)', color: 'var(--fg)' },
  '.cm-panels input, .cm-panels button': { color: 'inherit', font: 'inherit' },
  '.cm-textfield': { backgroundColor: 'var(--bg)', border: '1px solid var(--border)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel-bg)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-searchMatch': { backgroundColor: 'var(--search-match)' },
  '.cm-collapsedLines': { color: 'var(--muted)', background: 'var(--gutter-bg)' },
  // The merge view's default "⦚" is missing from common Linux fonts.
  '.cm-collapsedLines:before, .cm-collapsedLines:after': { content: '"⋮"' },
  // @codemirror/lint draws its underlines and gutter markers as data: URL images, which
  // `default-src 'self'` blocks; plain CSS draws the same here.
  '.cm-lintRange': {
    backgroundImage: 'none',
    textDecoration: 'underline wavy',
    textDecorationSkipInk: 'none',
    textUnderlineOffset: '3px',
  },
  '.cm-lintRange-error': { textDecorationColor: 'var(--error)' },
  '.cm-lintRange-warning': { textDecorationColor: 'var(--warning)' },
  '.cm-lintRange-info, .cm-lintRange-hint': { textDecorationColor: 'var(--info)' },
  '.cm-lint-marker': { content: 'normal', width: '.75em', height: '.75em', margin: '.15em' },
  '.cm-lint-marker-error': { content: 'normal', backgroundColor: 'var(--error)', borderRadius: '50%' },
  '.cm-lint-marker-warning': {
    content: 'normal',
    backgroundColor: 'var(--warning)',
    clipPath: 'polygon(50% 0, 100% 100%, 0 100%)',
  },
  '.cm-lint-marker-info': { content: 'normal', backgroundColor: 'var(--info)', borderRadius: '2px' },
  '.cm-placeholder': { color: 'var(--muted)', fontFamily: 'var(--sans)', whiteSpace: 'pre-wrap' },
};

const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: 'var(--syntax-key)' },
  { tag: tags.string, color: 'var(--syntax-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--syntax-literal)' },
  { tag: tags.invalid, color: 'var(--error)' },
]);

function theme(dark) {
  return EditorView.theme(themeSpec, { dark });
}

// One compartment per view, so that a colour-scheme switch restyles every view.
const themedViews = new Set();
darkQuery.addEventListener('change', () => {
  for (const { view, slot } of themedViews) view.dispatch({ effects: slot.reconfigure(theme(darkQuery.matches)) });
});

function themed() {
  const slot = new Compartment();
  return {
    slot,
    extension: slot.of(theme(darkQuery.matches)),
    register(view) {
      const entry = { view, slot };
      themedViews.add(entry);
      return () => themedViews.delete(entry);
    },
  };
}

function readingExtensions(label) {
  return [
    lineNumbers(),
    highlightSpecialChars(),
    foldGutter(),
    drawSelection(),
    bracketMatching(),
    highlightSelectionMatches(),
    syntaxHighlighting(highlight),
    json(),
    search({ top: true }),
    EditorView.contentAttributes.of({ 'aria-label': label }),
    keymap.of([...defaultKeymap, ...searchKeymap, ...foldKeymap]),
  ];
}

function shadowParent(host) {
  return host.shadowRoot ?? host.attachShadow({ mode: 'open' });
}

// Whether a transaction replaced the whole text (a paste over everything, or into an
// empty editor).
function replacesAll(tr) {
  let all = false;
  tr.changes.iterChanges((fromA, toA) => {
    if (fromA === 0 && toA === tr.startState.doc.length) all = true;
  });
  return all;
}

/**
 * The document editor. After every change of the text, `onChange({ paste, wholeDocument,
 * byUser })` says whether it was a paste, whether that paste replaced the whole text, and
 * whether the user made it (typing, paste, undo; not a dispatch of the page's own).
 * `transformPaste(text)` may rewrite pasted text before it is inserted.
 */
export function createEditor(host, { onChange, transformPaste = (text) => text, emptyText = '' }) {
  const look = themed();
  const view = new EditorView({
    parent: shadowParent(host),
    state: EditorState.create({
      extensions: [
        ...readingExtensions('meta.json document'),
        look.extension,
        history(),
        highlightActiveLine(),
        highlightActiveLineGutter(),
        indentOnInput(),
        lintGutter(),
        // Digests make long lines; wrapped, a finding's whole value stays in view.
        EditorView.lineWrapping,
        EditorState.tabSize.of(4),
        keymap.of([...historyKeymap, ...lintKeymap]),
        // Files dropped on the editor open as the document (handled for the whole page in
        // main.js) instead of being inserted into it at the drop point.
        EditorView.domEventHandlers({ drop: (event) => (event.dataTransfer?.files?.length ?? 0) > 0 }),
        EditorView.clipboardInputFilter.of((text) => transformPaste(text)),
        placeholder(emptyText),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          const pastes = update.transactions.filter((tr) => tr.isUserEvent('input.paste'));
          onChange({
            paste: pastes.length > 0,
            wholeDocument: pastes.some(replacesAll),
            byUser: update.transactions.some((tr) => tr.docChanged && tr.annotation(Transaction.userEvent) !== undefined),
          });
        }),
      ],
    }),
  });
  look.register(view);
  return view;
}

/** The offset of a 1-based line and UTF-16 column, clamped into the document. */
export function offsetAt(doc, line, column) {
  if (line == null) return 0;
  const target = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return Math.min(target.from + Math.max((column ?? 1) - 1, 0), target.to);
}

// Where a JSON token that starts at `at` ends; `multiLine` follows objects and arrays to
// their closing bracket, otherwise they count as their opening bracket only.
function tokenEnd(doc, at, multiLine) {
  const first = doc.sliceString(at, at + 1);
  if (first === '{' || first === '[') {
    if (!multiLine) return at + 1;
    const text = doc.sliceString(at);
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      } else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) return at + i + 1;
    }
    return doc.length;
  }
  const line = doc.lineAt(at);
  const rest = doc.sliceString(at, line.to);
  if (first === '"') {
    let i = 1;
    while (i < rest.length && rest[i] !== '"') i += rest[i] === '\\' ? 2 : 1;
    return at + Math.min(i + 1, rest.length);
  }
  const word = /^[-+.\w]+/.exec(rest);
  return at + (word ? word[0].length : 0);
}

// Some findings point at a character inside a string (the upper-case letter of an
// invalid image); they mark and select the whole string. JSON strings never span lines,
// so the line decides; very long lines (minified documents) are not scanned.
function stringStartAround(doc, at) {
  const line = doc.lineAt(at);
  if (line.length > 100_000) return null;
  let start = null;
  for (let i = 0; i < at - line.from; i++) {
    const c = line.text[i];
    if (start === null) {
      if (c === '"') start = i;
    } else if (c === '\\') i++;
    else if (c === '"') start = null;
  }
  return start === null ? null : line.from + start;
}

function tokenStart(doc, diagnostic) {
  const at = offsetAt(doc, diagnostic.line, diagnostic.column);
  return stringStartAround(doc, at) ?? at;
}

/** The range a diagnostic marks in the editor: the token it points at. */
export function markRange(doc, diagnostic) {
  const from = tokenStart(doc, diagnostic);
  const to = tokenEnd(doc, from, false);
  // A syntax error points at a single character (a stray `}`); at the end of the text it
  // stays a point.
  return { from, to: to > from ? to : Math.min(from + 1, doc.lineAt(from).to) };
}

/**
 * The range selected when a finding is opened: the value it points at, or, when it
 * points at a member name, that member's value.
 */
export function valueRange(doc, diagnostic) {
  const from = tokenStart(doc, diagnostic);
  let to = tokenEnd(doc, from, true);
  if (doc.sliceString(from, from + 1) === '"') {
    const after = /^\s*:\s*/.exec(doc.sliceString(to, Math.min(to + 200, doc.length)));
    if (after) {
      const valueFrom = to + after[0].length;
      return { from: valueFrom, to: tokenEnd(doc, valueFrom, true) };
    }
  }
  if (to === from) to = Math.min(from + 1, doc.lineAt(from).to);
  return { from, to };
}

export function showDiagnostics(view, diagnostics) {
  const doc = view.state.doc;
  const marks = diagnostics
    .filter((d) => d.line != null)
    .map((d) => ({
      // A finding that is not about JSON (a pasted reference) brings its own range.
      ...(d.from == null ? markRange(doc, d) : { from: d.from, to: d.to ?? d.from }),
      severity: d.severity,
      source: d.code,
      message: d.hint ? `${d.message} (${d.hint})` : d.message,
    }));
  view.dispatch(setDiagnostics(view.state, marks));
}

export function selectRange(view, { from, to = from }, focus) {
  view.dispatch({
    selection: EditorSelection.single(from, to),
    effects: EditorView.scrollIntoView(from, { y: 'center' }),
  });
  if (focus) view.focus();
}

const COLLAPSE = { margin: 3, minSize: 8 };

/**
 * A read-only diff of the upgrade, side by side or (for narrow windows) unified;
 * returns a function that removes it.
 */
export function createDiff(host, original, upgraded, { unified = false } = {}) {
  const root = shadowParent(host);
  // Wrapped lines keep both sides readable at half the width; the merge view aligns them.
  const diffOnly = [EditorState.readOnly.of(true), EditorView.editable.of(false), EditorView.lineWrapping];
  if (unified) {
    const look = themed();
    const view = new EditorView({
      parent: root,
      root,
      doc: upgraded,
      extensions: [
        ...readingExtensions('Upgraded document, with the lines it replaces'),
        ...diffOnly,
        look.extension,
        unifiedMergeView({ original, mergeControls: false, collapseUnchanged: COLLAPSE }),
      ],
    });
    const unregister = look.register(view);
    return () => {
      unregister();
      view.destroy();
    };
  }
  const looks = [themed(), themed()];
  const merge = new MergeView({
    a: { doc: original, extensions: [...readingExtensions('Input document'), ...diffOnly, looks[0].extension] },
    b: { doc: upgraded, extensions: [...readingExtensions('Upgraded document'), ...diffOnly, looks[1].extension] },
    parent: root,
    root,
    gutter: true,
    highlightChanges: true,
    collapseUnchanged: COLLAPSE,
  });
  const unregister = [looks[0].register(merge.a), looks[1].register(merge.b)];
  return () => {
    unregister.forEach((off) => off());
    merge.destroy();
  };
}
