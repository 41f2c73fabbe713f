//! Byte offset → line/column, the way JS editors count.
//!
//! Line breaks are `\n`, `\r\n` and a lone `\r` (CodeMirror's default), and columns are
//! UTF-16 code units, so a position can be handed straight to an editor in the browser.
//! The index of line starts is built once per document; each lookup is a binary search
//! plus a scan of one line prefix.

use crate::diagnostic::Diagnostic;

/// Line starts of one text, for repeated lookups.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// An index from line starts already known (sorted, the first one 0), e.g. those the
    /// JSON scanner collected.
    pub fn from_starts(starts: Vec<usize>) -> Self {
        LineIndex { starts }
    }

    /// Indexes `text`.
    pub fn new(text: &[u8]) -> Self {
        Self::up_to(text, text.len())
    }

    /// Indexes the lines of `text` that start at or before `end`: enough for positions
    /// up to `end`, without reading the rest of a large document.
    pub fn up_to(text: &[u8], end: usize) -> Self {
        let mut starts = vec![0];
        let scanned = text
            .get(..end.saturating_add(1).min(text.len()))
            .unwrap_or(text);
        let mut breaks = memchr::memchr2_iter(b'\n', b'\r', scanned);
        while let Some(at) = breaks.next() {
            if text.get(at) == Some(&b'\r') && text.get(at + 1) == Some(&b'\n') {
                // `\r\n` is one break; skip its `\n`.
                breaks.next();
                starts.push(at + 2);
            } else {
                starts.push(at + 1);
            }
        }
        LineIndex { starts }
    }

    /// Line and column of the start and of the end of the bytes `start..end`, as
    /// [`LineIndex::position`] gives them.
    pub fn range(
        &self,
        text: &[u8],
        start: usize,
        end: usize,
    ) -> (Option<u32>, Option<u32>, Option<u32>, Option<u32>) {
        let (line, column) = self.position(text, start);
        let (end_line, end_column) = self.position(text, end.max(start));
        (Some(line), Some(column), Some(end_line), Some(end_column))
    }

    /// The 1-based line and UTF-16 column of byte `offset` in `text` (the text indexed).
    ///
    /// An offset inside a multi-byte character counts as that character's start; an offset
    /// past the end is clamped to the end. Invalid UTF-8 bytes count one unit each, like
    /// the U+FFFD a decoder puts in their place.
    pub fn position(&self, text: &[u8], offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let prefix = text.get(start..offset).unwrap_or_default();
        (saturate(line), saturate(utf16_len(prefix) + 1))
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The UTF-16 index (as a JS string counts) of each byte offset in `offsets`, which must
/// be in ascending order and on character boundaries of `text`.
pub fn utf16_indices(text: &str, offsets: &[usize]) -> Vec<usize> {
    if text.is_ascii() {
        return offsets.to_vec();
    }
    let mut indices = Vec::with_capacity(offsets.len());
    let (mut at, mut units) = (0, 0);
    for &offset in offsets {
        let offset = offset.clamp(at, text.len());
        units += utf16_len(text.as_bytes().get(at..offset).unwrap_or_default());
        indices.push(units);
        at = offset;
    }
    indices
}

/// UTF-16 length of a byte string, counting each invalid byte as one unit.
fn utf16_len(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        return bytes.len();
    }
    let mut units = 0;
    for chunk in bytes.utf8_chunks() {
        units += chunk.valid().chars().map(char::len_utf16).sum::<usize>();
        units += chunk.invalid().len();
    }
    units
}

/// Fills in every position of `diagnostics` (start, end, related places in the same
/// document, fix edits as UTF-16 offsets) from their byte offsets in `text`; `lines`, when
/// given, are the text's line starts from the scan.
pub fn locate(text: &[u8], lines: Option<LineIndex>, diagnostics: &mut [Diagnostic]) {
    let furthest = diagnostics
        .iter()
        .flat_map(|d| {
            let related = d.related.iter().filter(|r| r.document.is_none());
            std::iter::once(d.end).chain(related.map(|r| r.end))
        })
        .max();
    let Some(furthest) = furthest else {
        return;
    };
    // Lines past the furthest place are never needed.
    let index = lines.unwrap_or_else(|| LineIndex::up_to(text, furthest));
    for d in diagnostics.iter_mut() {
        (d.line, d.column, d.end_line, d.end_column) = index.range(text, d.offset, d.end);
        for r in d.related.iter_mut().filter(|r| r.document.is_none()) {
            (r.line, r.column, r.end_line, r.end_column) = index.range(text, r.offset, r.end);
        }
    }
    fix_offsets(text, diagnostics);
}

/// Turns the byte ranges of fix edits into UTF-16 offsets, as a JS string counts.
fn fix_offsets(text: &[u8], diagnostics: &mut [Diagnostic]) {
    let edits = || {
        diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref()?.edits.as_ref())
            .flatten()
    };
    let mut offsets: Vec<usize> = edits().flat_map(|e| [e.bytes.start, e.bytes.end]).collect();
    if offsets.is_empty() {
        return;
    }
    offsets.sort_unstable();
    offsets.dedup();
    let Ok(text) = std::str::from_utf8(text) else {
        return; // fixes are only made for text that decoded
    };
    let units = utf16_indices(text, &offsets);
    let unit_at = |byte: usize| {
        offsets
            .binary_search(&byte)
            .ok()
            .and_then(|i| units.get(i).copied())
            .unwrap_or(byte)
    };
    for d in diagnostics.iter_mut() {
        let Some(edits) = d.fix.as_mut().and_then(|f| f.edits.as_mut()) else {
            continue;
        };
        for edit in edits {
            edit.start = unit_at(edit.bytes.start);
            edit.end = unit_at(edit.bytes.end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(text: &str, offset: usize) -> (u32, u32) {
        LineIndex::new(text.as_bytes()).position(text.as_bytes(), offset)
    }

    #[test]
    fn counts_lines_for_every_break_style() {
        let text = "a\nb\r\nc\rd";
        assert_eq!(pos(text, 0), (1, 1));
        assert_eq!(pos(text, 2), (2, 1));
        assert_eq!(pos(text, 5), (3, 1));
        assert_eq!(pos(text, 7), (4, 1));
        assert_eq!(pos(text, 8), (4, 2));
    }

    #[test]
    fn columns_are_utf16_units() {
        // "é" is 2 bytes / 1 unit; "😀" is 4 bytes / 2 units.
        let text = "é😀x";
        assert_eq!(pos(text, 2), (1, 2));
        assert_eq!(pos(text, 6), (1, 4));
    }

    #[test]
    fn byte_offsets_become_js_string_indices() {
        assert_eq!(utf16_indices("abc", &[0, 2, 3]), [0, 2, 3]);
        // "é" is 2 bytes / 1 unit; "😀" is 4 bytes / 2 units.
        assert_eq!(utf16_indices("é😀x", &[0, 2, 6, 7]), [0, 1, 3, 4]);
        assert_eq!(utf16_indices("é😀x", &[2, 2]), [1, 1]);
    }

    #[test]
    fn invalid_bytes_count_one_unit_and_offsets_clamp() {
        let bytes = b"\xff\xfex";
        let index = LineIndex::new(bytes);
        assert_eq!(index.position(bytes, 2), (1, 3));
        assert_eq!(index.position(bytes, 99), (1, 4));
    }
}
