// CodeMirror set-up shared by the editor and the diff, and the mapping from our
// diagnostics (1-based line, UTF-16 column) to document offsets.
//
// Every view is mounted inside a shadow root: there style-mod gives CodeMirror's styles to
// the browser as constructed style sheets (adoptedStyleSheets) instead of <style>
// elements, and the CSP can keep `style-src 'self'` without 'unsafe-inline' or a nonce.

import {
  EditorState, EditorSelection, Compartment, Transaction, StateEffect, StateField,
} from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, drawSelection, placeholder, Decoration,
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
  // A related place (the first of two duplicate keys, manifest-list-digest): fainter than
  // a finding, so that the finding stays the thing to look at.
  '.cm-relatedRange': {
    textDecoration: 'underline dotted',
    textDecorationColor: 'var(--muted)',
    textDecorationSkipInk: 'none',
    textUnderlineOffset: '3px',
  },
  '.cm-relatedPlace': { display: 'block', marginTop: '2px', color: 'var(--muted)' },
  '.cm-relatedPlace .related-link': {
    font: 'inherit',
    color: 'var(--primary)',
    background: 'none',
    border: 'none',
    padding: '0',
    textDecoration: 'underline',
    cursor: 'pointer',
  },
  // A fix's description is a sentence: on a line of its own under the message.
  '.cm-diagnosticAction': {
    display: 'block',
    margin: '4px 0 0',
    textAlign: 'left',
    backgroundColor: 'var(--primary)',
    color: 'var(--primary-fg)',
  },
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
        relatedField,
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

/**
 * The range a finding (or a related place) covers, as the package reports it: from
 * `line`/`column` to `endLine`/`endColumn`. A finding that is not about JSON (a pasted
 * reference) brings its own `from`/`to`.
 */
export function findingRange(doc, place) {
  if (place.from != null) return { from: place.from, to: place.to ?? place.from };
  const from = offsetAt(doc, place.line, place.column);
  const to = place.endLine == null ? from : offsetAt(doc, place.endLine, place.endColumn);
  return { from, to: Math.max(from, to) };
}

// Related places get a fainter mark of their own, outside @codemirror/lint (they are not
// findings: no gutter marker, not in the lint keymap's walk). The field keeps each place's
// range mapped through edits, so that "see also" selects it where it is now.
/** @typedef {{ places: Map<string, { from: number, to: number }>, marks: import('@codemirror/view').DecorationSet }} RelatedMarks */
/** @type {import('@codemirror/state').StateEffectType<RelatedMarks>} */
const setRelated = StateEffect.define();

const relatedMark = (message) => Decoration.mark({ class: 'cm-relatedRange', attributes: { title: message } });

const relatedField = StateField.define({
  create: () => ({ places: new Map(), marks: Decoration.none }),
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setRelated)) return effect.value;
    if (!tr.docChanged) return value;
    const places = new Map();
    for (const [key, { from, to }] of value.places) {
      places.set(key, { from: tr.changes.mapPos(from, 1), to: Math.max(tr.changes.mapPos(from, 1), tr.changes.mapPos(to, -1)) });
    }
    return { places, marks: value.marks.map(tr.changes) };
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value.marks),
});

/** The key of the `k`th related place of the finding at `index`, for `selectRelated`. */
export function relatedKey(index, k) {
  return `${index}:${k}`;
}

// Whether a related place is in this document (else in another of a multi-document check).
function isLocal(place) {
  return place.document == null && place.line != null;
}

/** Selects a related place shown by `showDiagnostics`, where it is now. */
export function selectRelated(view, key, focus) {
  const range = view.state.field(relatedField).places.get(key);
  if (range) selectRange(view, range, focus);
}

function tooltipMessage(view, diagnostic, index) {
  const root = document.createElement('span');
  root.append(diagnostic.hint ? `${diagnostic.message} (${diagnostic.hint})` : diagnostic.message);
  diagnostic.related.forEach((place, k) => {
    const line = document.createElement('span');
    line.className = 'cm-relatedPlace';
    line.append(...relatedLabel(place, () => selectRelated(view, relatedKey(index, k), true)));
    root.append(line);
  });
  return root;
}

/**
 * "see also line N: message", with "see also line N" a button that calls `select`; a
 * place in another document is text only (the editor holds only this one).
 */
export function relatedLabel(place, select) {
  if (!isLocal(place)) {
    const where = place.name ?? place.arch ?? (place.document != null ? `document ${place.document + 1}` : 'another document');
    const at = place.line == null ? '' : ` line ${place.line}`;
    return [`see also ${where}${at}: ${place.message}`];
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'related-link';
  button.textContent = `see also line ${place.line}`;
  button.addEventListener('click', select);
  return [button, `: ${place.message}`];
}

/**
 * Marks the findings in the editor (and their related places, fainter). A fixable finding's
 * tooltip offers its fix, which calls `onFix(index)`.
 */
export function showDiagnostics(view, diagnostics, { onFix = undefined } = {}) {
  const doc = view.state.doc;
  const marks = [];
  const places = new Map();
  const related = [];
  diagnostics.forEach((d, index) => {
    if (d.line == null) return;
    marks.push({
      ...findingRange(doc, d),
      severity: d.severity,
      source: d.code,
      message: d.hint ? `${d.message} (${d.hint})` : d.message,
      ...(d.related?.length ? { renderMessage: (v) => tooltipMessage(v, d, index) } : {}),
      ...(d.fix?.edits && onFix ? { actions: [{ name: `Fix: ${d.fix.description}`, apply: () => onFix(index) }] } : {}),
    });
    (d.related ?? []).forEach((place, k) => {
      if (!isLocal(place)) return;
      const range = findingRange(doc, place);
      places.set(relatedKey(index, k), range);
      if (range.to > range.from) related.push(relatedMark(place.message).range(range.from, range.to));
    });
  });
  const lint = setDiagnostics(view.state, marks);
  view.dispatch({
    effects: [
      ...[lint.effects ?? []].flat(),
      setRelated.of({ places, marks: Decoration.set(related, true) }),
    ],
  });
}

/**
 * Applies a finding's fix: its edits are offsets into `checkedText`, the text that was
 * validated, whose line breaks may be CRLF where the editor counts one character.
 */
export function applyFix(view, edits, checkedText) {
  const toDoc = docOffsets(checkedText);
  const changes = edits.map((edit) => ({ from: toDoc(edit.start), to: toDoc(edit.end), insert: edit.text }));
  view.dispatch({
    changes,
    userEvent: 'input.fix',
    effects: changes.length ? EditorView.scrollIntoView(changes[0].from, { y: 'center' }) : [],
  });
}

function docOffsets(text) {
  const breaks = [];
  for (let at = text.indexOf('\r\n'); at !== -1; at = text.indexOf('\r\n', at + 2)) breaks.push(at);
  if (breaks.length === 0) return (offset) => offset;
  return (offset) => {
    let low = 0;
    let high = breaks.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (breaks[mid] < offset) low = mid + 1;
      else high = mid;
    }
    return offset - low;
  };
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
