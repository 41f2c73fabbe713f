//! A span-keeping JSON scanner.
//!
//! Why not serde_json: we need the byte offset of every key and value (for positions
//! and for format-preserving edits), duplicate keys reported rather than dropped,
//! fragments without the outer braces, and the speed of *not* building values for the
//! hundreds of members of a `meta.json` that are not container entries. One pass checks
//! the syntax of the whole text; only the members the caller asks for are built.

use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// Nesting deeper than this is reported instead of followed, so hostile input cannot
/// exhaust the stack (in wasm a stack overflow kills the instance): the scanner, the
/// conversion for JSON Schema and the schema validator all recurse per level, the
/// validator more than once with a recursive schema. Real documents nest fewer than ten
/// levels; serde_json stops at the same depth.
pub const MAX_DEPTH: usize = 128;

/// Objects with more keys than this find duplicates with a hash set.
const LINEAR_KEYS: usize = 16;

/// Byte range `start..end` in the input text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The bytes `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// The JSON type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `{...}`
    Object,
    /// `[...]`
    Array,
    /// `"..."`
    String,
    /// A number.
    Number,
    /// `true` / `false`.
    Bool,
    /// `null`.
    Null,
}

impl Kind {
    /// The name used in messages ("an object", "a string", ...).
    pub fn article_name(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::Array => "an array",
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Null => "null",
        }
    }
}

/// A value with its span; its content is kept only where the caller asked for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// The value's bytes, delimiters included.
    pub span: Span,
    /// What the value is.
    pub value: Value<'a>,
}

/// The content of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Members in document order (duplicates included).
    Object(Vec<Member<'a>>),
    /// Items in order.
    Array(Vec<Item<'a>>),
    /// The decoded string; borrowed when it had no escapes.
    String(Cow<'a, str>),
    /// A number; its text is the span.
    Number,
    /// A boolean.
    Bool(bool),
    /// `null`.
    Null,
    /// Syntax-checked but not kept.
    Skipped(Kind),
}

impl Value<'_> {
    /// The JSON type.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Object(_) => Kind::Object,
            Value::Array(_) => Kind::Array,
            Value::String(_) => Kind::String,
            Value::Number => Kind::Number,
            Value::Bool(_) => Kind::Bool,
            Value::Null => Kind::Null,
            Value::Skipped(kind) => *kind,
        }
    }
}

/// An object member.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    /// Offset just after the `{` or `,` before this member: `lead..key.start` is the
    /// whitespace that lays the member out.
    pub lead: usize,
    /// The decoded key.
    pub key: Cow<'a, str>,
    /// The key's span, quotes included.
    pub key_span: Span,
    /// The value.
    pub value: Node<'a>,
}

/// An array item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<'a> {
    /// Offset just after the `[` or `,` before this item.
    pub lead: usize,
    /// The value.
    pub node: Node<'a>,
}

/// A syntax error (or nesting beyond [`MAX_DEPTH`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where in the input.
    pub offset: usize,
    /// One sentence for a person.
    pub message: String,
    /// True when the text is well-formed as far as read but nests too deeply.
    pub too_deep: bool,
}

/// The same key twice in one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key, decoded.
    pub key: String,
    /// Pointer to the later occurrence.
    pub pointer: String,
    /// Offset of the later occurrence's key.
    pub offset: usize,
    /// Offset of the earlier occurrence's key.
    pub first_offset: usize,
}

/// Something legal JSON that consumers read differently: worth a warning, not an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Oddity {
    /// What it is.
    pub kind: OddityKind,
    /// Pointer to the value (or, for a key, the member) it is in.
    pub pointer: String,
    /// Offset of the number, or of the `\u` escape.
    pub offset: usize,
    /// The JSON text concerned: the number, or the escape.
    pub text: String,
}

impl Oddity {
    /// The bytes of the number or escape.
    pub fn span(&self) -> Span {
        Span::new(self.offset, self.offset + self.text.len())
    }
}

/// The kinds of [`Oddity`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OddityKind {
    /// A number beyond the range of a double (`1e999`): JSON.parse makes it Infinity.
    NumberOutOfRange,
    /// A `\uD800`-`\uDFFF` escape that is not half of a pair: no character at all.
    LoneSurrogate,
}

/// Which values to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep<'k> {
    /// Everything (needed to validate the whole document against a JSON Schema).
    All,
    /// At the top level only the members with these keys; nothing else.
    TopLevel(&'k [&'k str]),
}

/// A scanned document.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<'a> {
    /// The text scanned (without a leading byte-order mark).
    pub text: &'a str,
    /// Offset of `text` in the input (3 when a byte-order mark was skipped).
    pub base: usize,
    /// The structure. For a fragment, an object node spanning the whole text.
    pub root: Node<'a>,
    /// True when the text is `"key": value` members without the surrounding braces, as
    /// pasted from chat.
    pub fragment: bool,
    /// Duplicate keys at any depth, in document order.
    pub duplicates: Vec<DuplicateKey>,
    /// Numbers out of range and lone surrogates at any depth, in document order.
    pub oddities: Vec<Oddity>,
    /// Where each line starts. Line breaks in JSON are whitespace between tokens, so the
    /// scan that reads the text finds them all; positions need no second pass.
    pub line_starts: Vec<usize>,
}

impl SyntaxError {
    /// The character the error is at in `input` (an invalid byte alone), or an empty span
    /// at the end of the input.
    pub fn span(&self, input: &[u8]) -> Span {
        char_span(input, self.offset)
    }
}

/// The bytes of the character at `offset` (one byte when it is not valid UTF-8), or an
/// empty span when `offset` is at or past the end.
pub fn char_span(input: &[u8], offset: usize) -> Span {
    let width = match input.get(offset) {
        None => return Span::new(offset, offset),
        Some(0xC2..=0xDF) => 2,
        Some(0xE0..=0xEF) => 3,
        Some(0xF0..=0xF4) => 4,
        Some(_) => 1,
    };
    let whole = input
        .get(offset..offset + width)
        .is_some_and(|c| std::str::from_utf8(c).is_ok());
    Span::new(offset, offset + if whole { width } else { 1 })
}

/// The span of the JSON string token that starts (with its opening quote) at `start`;
/// an unterminated one runs to the end of the text.
pub fn string_token(text: &str, start: usize) -> Span {
    let bytes = text.as_bytes();
    let mut at = start + 1;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'\\' => at += 2,
            b'"' => return Span::new(start, at + 1),
            _ => at += 1,
        }
    }
    Span::new(start, text.len().max(start))
}

/// Decodes `input` as UTF-8, reporting the first invalid byte as a syntax error.
pub fn decode(input: &[u8]) -> Result<&str, SyntaxError> {
    std::str::from_utf8(input).map_err(|e| {
        let offset = e.valid_up_to();
        let byte = input.get(offset).copied().unwrap_or(0);
        // A file saved as "Unicode" by a Windows editor: say so, not just "byte 0xFF".
        let utf16 = match input {
            [0xFF, 0xFE, ..] => Some("little"),
            [0xFE, 0xFF, ..] => Some("big"),
            _ => None,
        };
        let message = match utf16 {
            Some(endian) => format!(
                "the text is UTF-16 ({endian}-endian, it starts with a UTF-16 byte-order mark); JSON text must be UTF-8"
            ),
            None => format!("byte 0x{byte:02X} is not valid UTF-8; JSON text must be UTF-8"),
        };
        SyntaxError {
            offset,
            message,
            too_deep: false,
        }
    })
}

/// Scans `text` as a JSON value, or failing that as a fragment of object members.
///
/// Offsets in the result are relative to `text` as given (a leading BOM is skipped but
/// still counted).
pub fn parse<'a>(text: &'a str, keep: Keep<'_>) -> Result<Parsed<'a>, SyntaxError> {
    let first_error = match parse_value(text, keep) {
        Ok(parsed) => return Ok(parsed),
        Err(error) => error,
    };
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // Not a JSON value; it may be members pasted without their braces.
    let mut fragment = Parser::new(text, base, keep);
    fragment.skip_ws();
    if !fragment.looks_like_member() {
        return Err(first_error);
    }
    match fragment.parse_fragment() {
        Ok(members) => Ok(Parsed {
            text,
            base,
            root: Node {
                span: Span::new(base, text.len()),
                value: Value::Object(members),
            },
            fragment: true,
            duplicates: fragment.duplicates,
            oddities: fragment.oddities,
            line_starts: fragment.line_starts,
        }),
        Err(error) => Err(error),
    }
}

/// Scans `text` as one JSON value and nothing else: members without their braces are a
/// syntax error here. For files read as they are (builds.json), where only what JSON.parse
/// reads counts; [`parse`] also takes the fragments pasted into the page.
pub fn parse_value<'a>(text: &'a str, keep: Keep<'_>) -> Result<Parsed<'a>, SyntaxError> {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = text.get(base..).unwrap_or_default();
    let mut parser = Parser::new(text, base, keep);
    parser.skip_ws();
    if parser.pos >= text.len() {
        return Err(parser.error_at(parser.pos, empty_message(text, body)));
    }
    let root = parser.parse_document()?;
    Ok(Parsed {
        text,
        base,
        root,
        fragment: false,
        duplicates: parser.duplicates,
        oddities: parser.oddities,
        line_starts: parser.line_starts,
    })
}

fn empty_message(text: &str, body: &str) -> String {
    let bom = text.len() > body.len();
    match (bom, body.is_empty()) {
        (true, true) => "the input is only a byte-order mark; expected a JSON object",
        (true, false) => {
            "the input is only a byte-order mark and whitespace; expected a JSON object"
        }
        (false, true) => "the input is empty; expected a JSON object",
        (false, false) => "the input is only whitespace; expected a JSON object",
    }
    .to_owned()
}

/// A key as JSON.parse compares keys: by UTF-16 code units. Keys are compared as text,
/// except those with a lone surrogate escape, which text cannot hold (two different ones
/// would both decode to U+FFFD and look like one key).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyId<'a> {
    Text(Cow<'a, str>),
    Units(Vec<u16>),
}

/// The UTF-16 code units of a JSON string literal (quotes included), escapes decoded
/// one unit at a time so lone surrogates survive.
fn utf16_units(literal: &str) -> Vec<u16> {
    let inner = literal
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(literal);
    let mut units = Vec::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u16; 2];
            units.extend_from_slice(c.encode_utf16(&mut buf));
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                units.push(u16::from_str_radix(&hex, 16).unwrap_or(0xFFFD));
            }
            Some('b') => units.push(0x08),
            Some('f') => units.push(0x0C),
            Some('n') => units.push(0x0A),
            Some('r') => units.push(0x0D),
            Some('t') => units.push(0x09),
            Some(other) => {
                let mut buf = [0u16; 2];
                units.extend_from_slice(other.encode_utf16(&mut buf));
            }
            None => {}
        }
    }
    units
}

/// Where the parser is, for pointers to duplicate keys. Keys are kept as the offset of
/// their opening quote and decoded again only when a pointer is needed (rarely).
#[derive(Debug, Clone, Copy)]
enum Segment {
    Key(usize),
    Index(usize),
}

struct Parser<'a, 'k> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    keep: Keep<'k>,
    /// Keys of the objects being read, innermost last; each object owns a suffix.
    keys: Vec<(KeyId<'a>, usize)>,
    line_starts: Vec<usize>,
    path: Vec<Segment>,
    duplicates: Vec<DuplicateKey>,
    /// Offsets of lone surrogate escapes (decoded as U+FFFD) in the string being read,
    /// until it is placed; only ever non-empty between reading a string and placing it.
    surrogates: Vec<usize>,
    oddities: Vec<Oddity>,
}

/// What each step of the scan returns.
type Scan<T> = Result<T, SyntaxError>;

impl<'a, 'k> Parser<'a, 'k> {
    fn new(text: &'a str, start: usize, keep: Keep<'k>) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: start,
            depth: 0,
            keep,
            keys: Vec::new(),
            line_starts: vec![0],
            path: Vec::new(),
            duplicates: Vec::new(),
            surrogates: Vec::new(),
            oddities: Vec::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'\r') => {
                    self.pos += 1;
                    // A lone `\r` breaks a line; in `\r\n` the `\n` does.
                    if self.peek() != Some(b'\n') {
                        self.line_starts.push(self.pos);
                    }
                }
                Some(b'\n') => {
                    self.pos += 1;
                    self.line_starts.push(self.pos);
                    // Indentation comes in runs of spaces; take them eight at a time.
                    while self.bytes.get(self.pos..self.pos + 8) == Some(b"        ") {
                        self.pos += 8;
                    }
                }
                _ => return,
            }
        }
    }

    fn error_at(&self, offset: usize, message: String) -> SyntaxError {
        SyntaxError {
            offset,
            message,
            too_deep: false,
        }
    }

    /// Describes the character at the current position for an error message.
    fn found(&self) -> String {
        match self
            .text
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
        {
            None => "the end of the input".to_owned(),
            Some(c) if c.is_control() || c.is_whitespace() => format!("U+{:04X}", c as u32),
            Some(c) => format!("'{c}'"),
        }
    }

    /// An error for an unexpected character, with the common mistakes named.
    fn unexpected(&self, expected: &str) -> SyntaxError {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let message = match rest.first() {
            None => {
                format!("unexpected end of input (the text looks truncated); expected {expected}")
            }
            Some(b'/') if matches!(rest.get(1), Some(b'/' | b'*')) => {
                "comments are not allowed in JSON".to_owned()
            }
            Some(b'\'') => "single quotes are not allowed in JSON; use double quotes".to_owned(),
            Some(b'N') if rest.starts_with(b"NaN") => "NaN is not a JSON value".to_owned(),
            Some(b'I') if rest.starts_with(b"Infinity") => {
                "Infinity is not a JSON value".to_owned()
            }
            Some(b'u') if rest.starts_with(b"undefined") => {
                "undefined is not a JSON value".to_owned()
            }
            _ => format!("unexpected {}; expected {expected}", self.found()),
        };
        self.error_at(self.pos, message)
    }

    fn parse_document(&mut self) -> Scan<Node<'a>> {
        let node = self.parse_value(true)?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(self.error_at(
                self.pos,
                format!(
                    "unexpected {} after the end of the JSON value",
                    self.found()
                ),
            ));
        }
        Ok(node)
    }

    /// A fragment starts with a string followed by a colon.
    fn looks_like_member(&mut self) -> bool {
        let start = self.pos;
        let lines = self.line_starts.len();
        let looks = self.peek() == Some(b'"') && self.parse_string().is_ok() && {
            self.skip_ws();
            self.peek() == Some(b':')
        };
        // Rewind completely: the real scan records these line breaks (and lone surrogates)
        // again.
        self.pos = start;
        self.line_starts.truncate(lines);
        self.surrogates.clear();
        looks
    }

    fn parse_fragment(&mut self) -> Scan<Vec<Member<'a>>> {
        let lead = self.pos;
        let members = self.parse_members(lead, None, true)?;
        Ok(members)
    }

    fn enter(&mut self) -> Scan<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError {
                offset: self.pos,
                message: format!(
                    "the document nests more than {MAX_DEPTH} levels deep; nothing beyond is checked"
                ),
                too_deep: true,
            });
        }
        Ok(())
    }

    fn parse_value(&mut self, keep: bool) -> Scan<Node<'a>> {
        self.skip_ws();
        let start = self.pos;
        let (value, kind) = match self.peek() {
            Some(b'{') => {
                self.enter()?;
                self.pos += 1;
                let members = self.parse_members(self.pos, Some(b'}'), keep)?;
                self.depth -= 1;
                (Value::Object(members), Kind::Object)
            }
            Some(b'[') => {
                self.enter()?;
                self.pos += 1;
                let items = self.parse_items(keep)?;
                self.depth -= 1;
                (Value::Array(items), Kind::Array)
            }
            Some(b'"') => {
                let string = self.parse_string()?;
                if !self.surrogates.is_empty() {
                    let pointer = self.pointer_of_path();
                    self.note_surrogates(pointer);
                }
                (Value::String(string), Kind::String)
            }
            Some(b't') => (self.literal(b"true", Value::Bool(true))?, Kind::Bool),
            Some(b'f') => (self.literal(b"false", Value::Bool(false))?, Kind::Bool),
            Some(b'n') => (self.literal(b"null", Value::Null)?, Kind::Null),
            Some(b'-' | b'0'..=b'9') => {
                self.parse_number()?;
                (Value::Number, Kind::Number)
            }
            _ => return Err(self.unexpected("a JSON value")),
        };
        Ok(Node {
            span: Span::new(start, self.pos),
            value: if keep { value } else { Value::Skipped(kind) },
        })
    }

    fn literal(&mut self, word: &[u8], value: Value<'a>) -> Scan<Value<'a>> {
        let start = self.pos;
        let rest = self.bytes.get(start..).unwrap_or_default();
        if !rest.starts_with(word) {
            return Err(self.unexpected("a JSON value"));
        }
        self.pos += word.len();
        if let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || b == b'_' {
                self.pos = start;
                return Err(self.unexpected("a JSON value"));
            }
        }
        Ok(value)
    }

    fn parse_number(&mut self) -> Scan<()> {
        let start = self.pos;
        let has_exponent = self.scan_number()?;
        // Only an exponent or more than 308 digits reach past a double's range; the
        // check is skipped for the short numbers a document is full of.
        let number = self.text.get(start..self.pos).unwrap_or_default();
        let may_overflow = has_exponent || number.len() > 308;
        if may_overflow && number.parse::<f64>().is_ok_and(f64::is_infinite) {
            self.oddities.push(Oddity {
                kind: OddityKind::NumberOutOfRange,
                pointer: self.pointer_of_path(),
                offset: start,
                text: number.to_owned(),
            });
        }
        Ok(())
    }

    /// Reads a number; returns whether it has an exponent.
    fn scan_number(&mut self) -> Scan<bool> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            if self
                .bytes
                .get(start + 1..)
                .is_some_and(|r| r.starts_with(b"Infinity"))
            {
                return Err(self.error_at(start, "-Infinity is not a JSON value".to_owned()));
            }
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(
                        self.error_at(start, "numbers must not have leading zeros".to_owned())
                    );
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit after the decimal point"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            self.digits();
            return Ok(true);
        }
        Ok(false)
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    /// Reads a string at `"`, returning its decoded content.
    fn parse_string(&mut self) -> Scan<Cow<'a, str>> {
        let open = self.pos;
        let content_start = open + 1;
        // Fast path: no escapes, the content is a slice of the input.
        let end = next_special(self.bytes, content_start);
        self.pos = end;
        match self.bytes.get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                return Ok(Cow::Borrowed(
                    self.text.get(content_start..end).unwrap_or_default(),
                ));
            }
            Some(b'\\') => {}
            Some(&b) => return Err(self.control_in_string(b)),
            None => return Err(self.unterminated(open)),
        }
        let mut decoded = String::from(self.text.get(content_start..end).unwrap_or_default());
        loop {
            self.parse_escape(&mut decoded)?;
            let run_start = self.pos;
            let end = next_special(self.bytes, run_start);
            self.pos = end;
            decoded.push_str(self.text.get(run_start..end).unwrap_or_default());
            match self.bytes.get(end) {
                Some(b'"') => {
                    self.pos = end + 1;
                    return Ok(Cow::Owned(decoded));
                }
                Some(b'\\') => {}
                Some(&b) => return Err(self.control_in_string(b)),
                None => return Err(self.unterminated(open)),
            }
        }
    }

    fn unterminated(&self, open: usize) -> SyntaxError {
        self.error_at(
            open,
            "unterminated string (the text looks truncated)".to_owned(),
        )
    }

    fn control_in_string(&self, byte: u8) -> SyntaxError {
        let what = match byte {
            b'\n' => "a line break".to_owned(),
            b'\t' => "a tab".to_owned(),
            other => format!("control character U+{other:04X}"),
        };
        self.error_at(
            self.pos,
            format!("{what} inside a string must be escaped (or the closing quote is missing)"),
        )
    }

    /// Reads `\x` at the current position into `out`.
    fn parse_escape(&mut self, out: &mut String) -> Scan<()> {
        let at = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4(at)?;
                let c = if (0xD800..0xDC00).contains(&unit) {
                    // A high surrogate pairs with a following \uDC00-\uDFFF escape.
                    let rest = self.bytes.get(self.pos..).unwrap_or_default();
                    if rest.starts_with(b"\\u") {
                        let save = self.pos;
                        self.pos += 2;
                        let low = self.hex4(save)?;
                        if (0xDC00..0xE000).contains(&low) {
                            let combined = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                            char::from_u32(combined).unwrap_or('\u{fffd}')
                        } else {
                            self.pos = save;
                            self.surrogates.push(at);
                            '\u{fffd}'
                        }
                    } else {
                        self.surrogates.push(at);
                        '\u{fffd}'
                    }
                } else {
                    // A lone surrogate is legal JSON syntax but not a character;
                    // JSON.parse keeps it, we can only show the replacement character.
                    char::from_u32(unit).unwrap_or_else(|| {
                        self.surrogates.push(at);
                        '\u{fffd}'
                    })
                };
                out.push(c);
                return Ok(());
            }
            None => {
                return Err(self.error_at(
                    at,
                    "unterminated string (the text looks truncated)".to_owned(),
                ))
            }
            Some(_) => {
                return Err(self.error_at(
                    at,
                    format!(
                    "invalid escape \\{}; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                    self.found().trim_matches('\'')
                ),
                ))
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, escape_at: usize) -> Scan<u32> {
        let mut unit = 0u32;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => {
                    return Err(self.error_at(
                        escape_at,
                        "\\u must be followed by four hex digits".to_owned(),
                    ))
                }
            };
            unit = unit * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(unit)
    }

    /// Reads members up to `close` (or to the end of the text for a fragment).
    /// `lead` is the offset after the opening brace.
    fn parse_members(
        &mut self,
        lead: usize,
        close: Option<u8>,
        keep: bool,
    ) -> Scan<Vec<Member<'a>>> {
        let top_level = self.depth <= 1;
        let keys_mark = self.keys.len();
        // Large objects switch from a linear search to a hash set.
        let mut index_of_keys: Option<FxHashMap<KeyId<'a>, usize>> = None;
        let mut members = Vec::new();
        let mut lead = lead;
        self.skip_ws();
        if close.is_some() && self.peek() == close {
            self.pos += 1;
            return Ok(members);
        }
        let mut index = 0usize;
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                let expected = if index == 0 {
                    "a string key or '}'"
                } else {
                    "a string key"
                };
                if index > 0 && close.is_some() && self.peek() == close {
                    return Err(self.error_at(
                        lead.saturating_sub(1),
                        "trailing comma before '}' is not allowed in JSON".to_owned(),
                    ));
                }
                if index > 0 && close.is_none() && self.pos >= self.bytes.len() {
                    // A fragment copied with its trailing comma: accept it.
                    break;
                }
                return Err(self.unexpected(expected));
            }
            let key_start = self.pos;
            let key = self.parse_string()?;
            let key_span = Span::new(key_start, self.pos);
            // Pending lone surrogates are this key's: values hand theirs on at once.
            let key_id = if !self.surrogates.is_empty() {
                let mut pointer = self.pointer_of_path();
                push_token(&mut pointer, &key);
                self.note_surrogates(pointer);
                KeyId::Units(utf16_units(
                    self.text.get(key_start..self.pos).unwrap_or_default(),
                ))
            } else {
                KeyId::Text(key.clone())
            };
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("':' after the key"));
            }
            self.pos += 1;
            self.check_duplicate(keys_mark, &mut index_of_keys, &key_id, &key, key_start);
            let keep_value = match self.keep {
                Keep::All => true,
                Keep::TopLevel(wanted) => keep && (!top_level || wanted.contains(&key.as_ref())),
            };
            self.path.push(Segment::Key(key_start));
            let value = self.parse_value(keep_value)?;
            self.path.pop();
            match index_of_keys.as_mut() {
                Some(set) => {
                    set.entry(key_id).or_insert(key_start);
                }
                None => self.keys.push((key_id, key_start)),
            }
            if index_of_keys.is_none() && self.keys.len() - keys_mark > LINEAR_KEYS {
                let set: FxHashMap<KeyId<'a>, usize> = self.keys.drain(keys_mark..).rev().collect();
                index_of_keys = Some(set);
            }
            if keep || top_level {
                members.push(Member {
                    lead,
                    key,
                    key_span,
                    value,
                });
            }
            index += 1;
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    lead = self.pos;
                }
                b if b == close && close.is_some() => {
                    self.pos += 1;
                    break;
                }
                None if close.is_none() => break,
                _ => {
                    let expected = if close.is_some() {
                        "',' or '}'"
                    } else {
                        "',' between members"
                    };
                    return Err(self.unexpected(expected));
                }
            }
        }
        self.keys.truncate(keys_mark);
        Ok(members)
    }

    fn check_duplicate(
        &mut self,
        keys_mark: usize,
        index_of_keys: &mut Option<FxHashMap<KeyId<'a>, usize>>,
        key_id: &KeyId<'a>,
        key: &str,
        key_start: usize,
    ) {
        let earlier = match index_of_keys {
            Some(set) => set.get(key_id).copied(),
            None => self
                .keys
                .get(keys_mark..)
                .unwrap_or_default()
                .iter()
                .find(|(k, _)| k == key_id)
                .map(|(_, at)| *at),
        };
        if let Some(first_offset) = earlier {
            let mut pointer = self.pointer_of_path();
            push_token(&mut pointer, key);
            self.duplicates.push(DuplicateKey {
                key: key.to_owned(),
                pointer,
                offset: key_start,
                first_offset,
            });
        }
    }

    /// Turns the lone surrogates of the string just read into oddities at `pointer`.
    fn note_surrogates(&mut self, pointer: String) {
        for offset in std::mem::take(&mut self.surrogates) {
            let text = self
                .text
                .get(offset..offset + 6)
                .unwrap_or_default()
                .to_owned();
            self.oddities.push(Oddity {
                kind: OddityKind::LoneSurrogate,
                pointer: pointer.clone(),
                offset,
                text,
            });
        }
    }

    /// The pointer of the value being read.
    fn pointer_of_path(&self) -> String {
        let mut pointer = String::new();
        for segment in &self.path {
            match *segment {
                Segment::Key(at) => {
                    let mut reader = Parser::new(self.text, at, Keep::All);
                    let key = reader.parse_string().unwrap_or_default();
                    push_token(&mut pointer, &key);
                }
                Segment::Index(i) => {
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                }
            }
        }
        pointer
    }

    fn parse_items(&mut self, keep: bool) -> Scan<Vec<Item<'a>>> {
        let mut items = Vec::new();
        let mut lead = self.pos;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(items);
        }
        let mut index = 0usize;
        loop {
            self.skip_ws();
            if index > 0 && self.peek() == Some(b']') {
                return Err(self.error_at(
                    lead.saturating_sub(1),
                    "trailing comma before ']' is not allowed in JSON".to_owned(),
                ));
            }
            self.path.push(Segment::Index(index));
            let node = self.parse_value(keep)?;
            self.path.pop();
            if keep {
                items.push(Item { lead, node });
            }
            index += 1;
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    lead = self.pos;
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(items);
                }
                _ => return Err(self.unexpected("',' or ']'")),
            }
        }
    }
}

/// The offset of the first byte at or after `from` that ends a run of plain string
/// content: `"`, `\\` or a control character (or the end of the text).
///
/// Strings are most of a meta.json's bytes, so they are scanned eight bytes at a time:
/// the classic "has a byte less than n / equal to c" word tricks mark such bytes in the
/// high bit of their lane; the lowest marked lane is exact.
fn next_special(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let x = u64::from_le_bytes(word);
        let below_space = x.wrapping_sub(ONES * 0x20) & !x;
        let q = x ^ QUOTES;
        let quote = q.wrapping_sub(ONES) & !q;
        let b = x ^ BACKSLASHES;
        let backslash = b.wrapping_sub(ONES) & !b;
        let marks = (below_space | quote | backslash) & HIGHS;
        if marks != 0 {
            return i + (marks.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&byte) = bytes.get(i) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

/// Appends `/token` to an RFC 6901 pointer, escaping `~` and `/`.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Splits an RFC 6901 pointer into unescaped tokens.
pub fn pointer_tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
}

impl<'a> Node<'a> {
    /// The members when this is a kept object.
    pub fn members(&self) -> Option<&[Member<'a>]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The string when this is a kept string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Follows a pointer from this node; returns the node and, when the last step was a
    /// key, that member's key span.
    pub fn locate(&self, pointer: &str) -> Option<(&Node<'a>, Option<Span>)> {
        let mut node = self;
        let mut key_span = None;
        for token in pointer_tokens(pointer) {
            match &node.value {
                Value::Object(members) => {
                    let member = members.iter().rev().find(|m| m.key == token.as_str())?;
                    key_span = Some(member.key_span);
                    node = &member.value;
                }
                Value::Array(items) => {
                    let index: usize = token.parse().ok()?;
                    node = &items.get(index)?.node;
                    key_span = None;
                }
                _ => return None,
            }
        }
        Some((node, key_span))
    }
}

/// The last member named `key` (JSON.parse keeps the last of duplicates).
pub fn last_member<'m, 'a>(members: &'m [Member<'a>], key: &str) -> Option<&'m Member<'a>> {
    members.iter().rev().find(|m| m.key == key)
}

/// Converts a kept node into a serde_json value (for JSON Schema validation).
/// Skipped parts become `null`; numbers beyond f64 saturate, as JSON.parse makes them
/// infinite and JSON Schema cannot hold infinity.
pub fn to_json(node: &Node<'_>, text: &str) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        Value::Object(members) => {
            let mut map = serde_json::Map::with_capacity(members.len());
            for m in members {
                map.insert(m.key.to_string(), to_json(&m.value, text));
            }
            J::Object(map)
        }
        Value::Array(items) => J::Array(items.iter().map(|i| to_json(&i.node, text)).collect()),
        Value::String(s) => J::String(s.to_string()),
        Value::Number => {
            let raw = text.get(node.span.start..node.span.end).unwrap_or("0");
            match serde_json::from_str::<serde_json::Number>(raw) {
                Ok(n) => J::Number(n),
                Err(_) => {
                    let max = if raw.starts_with('-') {
                        f64::MIN
                    } else {
                        f64::MAX
                    };
                    serde_json::Number::from_f64(max).map_or(J::Null, J::Number)
                }
            }
        }
        Value::Bool(b) => J::Bool(*b),
        Value::Null | Value::Skipped(_) => J::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> SyntaxError {
        match parse(text, Keep::All) {
            Err(e) => e,
            Ok(p) => panic!("expected an error for {text:?}, got {p:?}"),
        }
    }

    #[test]
    fn keeps_only_requested_top_level_members() {
        let text = r#"{"a": {"x": 1}, "oscontainer": {"image": "q"}}"#;
        let parsed = parse(text, Keep::TopLevel(&["oscontainer"])).expect("valid");
        let root = parsed.root;
        let members = root.members().expect("object");
        assert_eq!(members[0].value.value, Value::Skipped(Kind::Object));
        let entry = members[1].value.members().expect("kept");
        assert_eq!(entry[0].value.as_str(), Some("q"));
        assert_eq!(
            &text[members[1].key_span.start..members[1].key_span.end],
            "\"oscontainer\""
        );
    }

    #[test]
    fn member_lead_covers_layout_whitespace() {
        let text = "{\n    \"a\": 1,\n    \"b\": 2\n}";
        let parsed = parse(text, Keep::All).expect("valid");
        let root = parsed.root;
        let m = root.members().expect("object");
        assert_eq!(&text[m[0].lead..m[0].key_span.start], "\n    ");
        assert_eq!(&text[m[1].lead..m[1].key_span.start], "\n    ");
    }

    #[test]
    fn decodes_escapes_and_surrogate_pairs() {
        let parsed = parse(r#""a\u00e9\ud83d\ude00\n\/""#, Keep::All).expect("valid");
        let node = parsed.root;
        assert_eq!(node.as_str(), Some("aé😀\n/"));
    }

    #[test]
    fn reports_duplicates_at_depth_with_pointer() {
        let parsed = parse(r#"{"a": [{"k": 1, "k": 2}], "a": 3}"#, Keep::All).expect("valid");
        let found: Vec<(&str, usize, usize)> = parsed
            .duplicates
            .iter()
            .map(|d| (d.pointer.as_str(), d.offset, d.first_offset))
            .collect();
        assert_eq!(found, [("/a/0/k", 16, 8), ("/a", 26, 1)]);
    }

    #[test]
    fn accepts_fragments_with_and_without_trailing_comma() {
        for text in [r#""oscontainer": {"image": "x"}"#, "\"a\": 1,\n\"b\": 2,\n"] {
            let parsed = parse(text, Keep::All).expect("fragment");
            assert!(parsed.fragment, "{text}");
        }
    }

    #[test]
    fn names_common_mistakes() {
        assert_eq!(
            err("").message,
            "the input is empty; expected a JSON object"
        );
        assert_eq!(err("  \n").offset, 3);
        assert_eq!(
            err("{\"a\": 1,}").message,
            "trailing comma before '}' is not allowed in JSON"
        );
        assert_eq!(err("{\"a\": 1,}").offset, 7);
        assert_eq!(err("[1,\n]").offset, 2);
        assert_eq!(err("{// x\n}").message, "comments are not allowed in JSON");
        assert_eq!(
            err("{'a': 1}").message,
            "single quotes are not allowed in JSON; use double quotes"
        );
        assert_eq!(err("[NaN]").message, "NaN is not a JSON value");
        assert_eq!(err("[01]").message, "numbers must not have leading zeros");
        assert_eq!(err("{\"a\": 1").offset, 7);
        assert!(err("{\"a\": 1")
            .message
            .starts_with("unexpected end of input"));
        assert_eq!(
            err("{} x").message,
            "unexpected 'x' after the end of the JSON value"
        );
        assert_eq!(err("\"a\nb\"").offset, 2);
        assert_eq!(err("[\"\\x\"]").offset, 2);
        assert_eq!(err("[tru]").offset, 1);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = err(&text);
        assert!(e.too_deep);
        assert_eq!(e.offset, MAX_DEPTH);
    }

    #[test]
    fn bom_is_skipped_but_counted() {
        let parsed = parse("\u{feff}{\"a\": 1}", Keep::All).expect("valid");
        assert_eq!(parsed.base, 3);
        let root = parsed.root;
        assert_eq!(root.span, Span::new(3, 11));
    }

    #[test]
    fn locates_pointers() {
        let text = r#"{"a": {"b/c": [1, {"d": true}]}}"#;
        let parsed = parse(text, Keep::All).expect("valid");
        let root = parsed.root;
        let (node, key) = root.locate("/a/b~1c/1/d").expect("found");
        assert_eq!(node.value, Value::Bool(true));
        assert_eq!(key.map(|s| s.start), Some(19));
        assert!(root.locate("/a/zz").is_none());
    }
}
