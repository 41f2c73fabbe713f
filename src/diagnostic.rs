//! Diagnostics: problems found in the user's data, reported as data.
//!
//! The `code` strings are a public contract (JS callers, CLI output, the table in
//! docs/diagnostics.md and CI annotations all key on them), so they never change once
//! released.

use serde::Serialize;

use crate::json::Span;

/// How bad a finding is. `valid` means "no `Error`".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks a consumer or the agreed form; makes the document invalid.
    Error,
    /// Worth fixing but tolerated.
    Warning,
    /// For information only.
    Info,
}

impl Severity {
    /// The lower-case name used in JSON and CLI output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Which set of rules applies.
///
/// `Canonical` is the agreed form (`{image, digest, tags}`); `Compat` tolerates the
/// older shapes that real pipelines still read (embedded digest, tagged image, no digest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// The agreed form since October 2022; the default.
    #[default]
    Canonical,
    /// Accepts legacy shapes with warnings instead of errors.
    Compat,
}

impl Profile {
    /// The profile's public name.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Canonical => "canonical",
            Profile::Compat => "compat",
        }
    }

    /// Parses a public profile name; `None` for anything else.
    pub fn from_name(name: &str) -> Option<Profile> {
        match name {
            "canonical" => Some(Profile::Canonical),
            "compat" => Some(Profile::Compat),
            _ => None,
        }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $canonical:ident, $compat:ident; )*) => {
        /// A stable diagnostic code. See the table in docs/diagnostics.md.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable kebab-case name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// The severity this code has under `profile`.
            pub fn severity(self, profile: Profile) -> Severity {
                match (self, profile) {
                    $(
                        (Code::$variant, Profile::Canonical) => Severity::$canonical,
                        (Code::$variant, Profile::Compat) => Severity::$compat,
                    )*
                }
            }
        }
    };
}

codes! {
    /// The input is not JSON (includes empty input); points at the error.
    JsonSyntax = "json-syntax", Error, Error;
    /// The document nests deeper than the scanner follows; nothing beyond is checked.
    NestingTooDeep = "nesting-too-deep", Error, Error;
    /// The document is JSON but not an object (or fragment of members).
    NotAnObject = "not-an-object", Error, Error;
    /// The same key twice in one object: JSON.parse would silently keep only the last.
    DuplicateKey = "duplicate-key", Error, Error;
    /// A number beyond the range of a double (`1e999`): JSON.parse makes it Infinity.
    NumberOutOfRange = "number-out-of-range", Warning, Warning;
    /// A `\u` escape of half a surrogate pair, alone: no character, no UTF-8 form.
    LoneSurrogate = "lone-surrogate", Warning, Warning;
    /// The document has none of the container entries.
    NoEntries = "no-entries", Info, Info;
    /// A container entry that is not a JSON object.
    EntryNotObject = "entry-not-object", Error, Error;
    /// An entry that is a file artifact (`path`, `sha256`, `size`) as under `images`.
    EntryIsArtifact = "entry-is-artifact", Error, Error;
    /// An entry without `image`.
    ImageMissing = "image-missing", Error, Error;
    /// An `image` that is not a string.
    ImageNotString = "image-not-string", Error, Error;
    /// An `image` that is not a valid reference.
    ImageInvalid = "image-invalid", Error, Error;
    /// `image` carries `@digest`; the agreed form keeps it in `digest`.
    ImageEmbeddedDigest = "image-embedded-digest", Error, Warning;
    /// `image` carries `:tag`; the agreed form keeps it in `tags`.
    ImageHasTag = "image-has-tag", Error, Warning;
    /// `image` has no registry domain, so it depends on the puller's defaults.
    ImageNotQualified = "image-not-qualified", Warning, Warning;
    /// No digest anywhere: the image cannot be pulled by digest.
    DigestMissing = "digest-missing", Error, Warning;
    /// A `digest` that is not `sha256:<64 hex>` / `sha512:<128 hex>`.
    DigestInvalid = "digest-invalid", Error, Error;
    /// `image`'s embedded digest differs from `digest`.
    DigestConflict = "digest-conflict", Error, Error;
    /// `tags` is not an array.
    TagsNotArray = "tags-not-array", Error, Error;
    /// An item of `tags` that is not a valid tag.
    TagInvalid = "tag-invalid", Error, Error;
    /// The same tag twice in `tags`.
    TagDuplicate = "tag-duplicate", Warning, Warning;
    /// A `manifest-list-digest` that is not a valid digest.
    ManifestListDigestInvalid = "manifest-list-digest-invalid", Error, Error;
    /// `digest` equals `manifest-list-digest`: the per-architecture digest was expected.
    DigestEqualsManifestList = "digest-equals-manifest-list", Warning, Warning;
    /// An embedded digest of a build from cosa's manifest-list window (2022-09-13 to
    /// 2022-10-21): most likely the manifest list's, so upgrade does not move it.
    DigestMaybeManifestList = "digest-maybe-manifest-list", Warning, Warning;
    /// `additional-images` is not an array.
    AdditionalImagesNotArray = "additional-images-not-array", Error, Error;
    /// An item of `additional-images` that is not an object.
    AdditionalImageNotObject = "additional-image-not-object", Error, Error;
    /// `comment` is not a string.
    CommentNotString = "comment-not-string", Error, Error;
    /// A key the agreed form does not know (often a typo).
    UnknownField = "unknown-field", Warning, Warning;
    /// A violation of the user-supplied JSON Schema.
    SchemaViolation = "schema-violation", Error, Error;
    /// Release view: no tag without the build id.
    FloatingTagMissing = "floating-tag-missing", Error, Error;
    /// Release view: several tags without the build id.
    FloatingTagAmbiguous = "floating-tag-ambiguous", Error, Error;
    /// Release view: no build id to tell floating tags from build tags.
    BuildIdMissing = "build-id-missing", Error, Error;
    /// Release view: cosa's release-metadata step raises KeyError (no `image`, `tags` or `digest`).
    ReleaseFieldMissing = "release-field-missing", Error, Error;
    /// Release view: a field cosa joins is not what it can use (not a string, not a list of tags).
    ReleaseFieldInvalid = "release-field-invalid", Error, Error;
    /// Release view: cosa's string joins would write something that is not the reference meant.
    ReleaseReferenceInvalid = "release-reference-invalid", Error, Error;
    /// Cross-arch: the same `digest` on several architectures (the manifest list's).
    ArchDigestShared = "arch-digest-shared", Error, Error;
    /// Cross-arch: an entry present on some architectures only.
    ArchEntryMissing = "arch-entry-missing", Error, Error;
    /// Cross-arch: an entry the pipelines build on some architectures only (kubevirt), and where it is.
    ArchEntrySubset = "arch-entry-subset", Info, Info;
    /// Cross-arch: `image` differs between architectures.
    ArchImageMismatch = "arch-image-mismatch", Error, Error;
    /// Cross-arch: `tags` differ between architectures.
    ArchTagsMismatch = "arch-tags-mismatch", Error, Error;
    /// Cross-arch: `manifest-list-digest` differs between architectures.
    ArchManifestListMismatch = "arch-manifest-list-mismatch", Error, Error;
    /// Cross-arch: the documents are of different builds.
    ArchBuildMismatch = "arch-build-mismatch", Error, Error;
    /// Cross-arch: two documents for one architecture.
    ArchDuplicate = "arch-duplicate", Error, Error;
    /// Cross-arch: a document whose architecture is neither given nor recorded.
    ArchUnknown = "arch-unknown", Error, Error;
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One finding, located in the user's text: where it starts and ends, other places it
/// concerns, and the fix `upgrade` applies for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Severity under the profile the report was made with.
    pub severity: Severity,
    /// Stable code.
    pub code: Code,
    /// One plain sentence naming the value.
    pub message: String,
    /// RFC 6901 pointer to the value concerned.
    pub pointer: String,
    /// 1-based line, `None` when the input had no text (an object from JS).
    pub line: Option<u32>,
    /// 1-based column in UTF-16 code units, as JS editors count.
    pub column: Option<u32>,
    /// Line of the end of the range (exclusive end), as `line`.
    pub end_line: Option<u32>,
    /// Column just past the token or value concerned, as `column`.
    pub end_column: Option<u32>,
    /// Whether `upgrade` fixes it.
    pub fixable: bool,
    /// A suggestion, when there is one.
    pub hint: Option<String>,
    /// The other places the finding is about (the first of two duplicate keys, the
    /// digest it conflicts with, the other architecture's entry).
    pub related: Vec<Related>,
    /// What `upgrade` does about it, when it is fixable.
    pub fix: Option<Fix>,
    /// Byte offset in the input; used to compute line/column and by the CLI.
    #[serde(skip)]
    pub offset: usize,
    /// Byte offset just past the token or value concerned (`offset` when it is empty).
    #[serde(skip)]
    pub end: usize,
}

/// Another place a finding concerns, with what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Related {
    /// What is at that place, in a few words.
    pub message: String,
    /// RFC 6901 pointer to it.
    pub pointer: String,
    /// 1-based line, as the finding's.
    pub line: Option<u32>,
    /// 1-based UTF-16 column, as the finding's.
    pub column: Option<u32>,
    /// Line of the end of the range.
    pub end_line: Option<u32>,
    /// Column just past it.
    pub end_column: Option<u32>,
    /// For a place in another document of a cross-arch comparison: that document's
    /// index in the input, and its architecture and file name when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<usize>,
    /// The other document's architecture.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// The other document's file name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Byte range in its document.
    #[serde(skip)]
    pub offset: usize,
    /// One past its last byte.
    #[serde(skip)]
    pub end: usize,
}

/// The fix of a fixable finding: what it does and the text edits that do it. Findings
/// about one entry object share the object's fix (upgrade rewrites an object at once), so
/// identical fixes are one fix; two different fixes never overlap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, in a few words.
    pub description: String,
    /// The edits, in order and not overlapping; `null` for a parsed value (there is no
    /// text of the caller's to edit).
    pub edits: Option<Vec<FixEdit>>,
}

/// Replace `start..end` of the input with `text` (an insertion when they are equal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixEdit {
    /// First UTF-16 unit replaced, as a JS string counts (filled in with line/column).
    pub start: usize,
    /// One past the last UTF-16 unit replaced.
    pub end: usize,
    /// What takes their place.
    pub text: String,
    /// The same range in bytes of the UTF-8 input.
    #[serde(skip)]
    pub bytes: std::ops::Range<usize>,
}

/// Collects diagnostics for one document under one profile.
#[derive(Debug)]
pub struct Diagnostics {
    profile: Profile,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection for `profile`.
    pub fn new(profile: Profile) -> Self {
        Diagnostics {
            profile,
            items: Vec::new(),
        }
    }

    /// The profile severities are taken from.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Records a finding at byte `offset` with an empty range (a place between
    /// characters, such as the end of the text); its severity comes from the profile.
    pub fn push(
        &mut self,
        code: Code,
        pointer: &str,
        offset: usize,
        message: String,
    ) -> &mut Diagnostic {
        self.push_span(code, pointer, Span::new(offset, offset), message)
    }

    /// Records a finding about the bytes `span` of the input (the token or value it is
    /// about); its severity comes from the profile.
    pub fn push_span(
        &mut self,
        code: Code,
        pointer: &str,
        span: Span,
        message: String,
    ) -> &mut Diagnostic {
        let severity = code.severity(self.profile);
        self.items.push(Diagnostic {
            severity,
            code,
            message,
            pointer: pointer.to_owned(),
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            fixable: false,
            hint: None,
            related: Vec::new(),
            fix: None,
            offset: span.start,
            end: span.end.max(span.start),
        });
        let last = self.items.len() - 1;
        &mut self.items[last]
    }

    /// The findings so far.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// The findings so far, to amend them.
    pub fn items_mut(&mut self) -> &mut [Diagnostic] {
        &mut self.items
    }

    /// Hands over the findings.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl Diagnostic {
    /// Marks the finding as fixed by `upgrade`.
    pub fn fixable(&mut self) -> &mut Self {
        self.fixable = true;
        self
    }

    /// Adds a suggestion.
    pub fn hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds another place the finding concerns, in the same document.
    pub fn related(&mut self, pointer: &str, span: Span, message: impl Into<String>) -> &mut Self {
        self.related.push(Related {
            message: message.into(),
            pointer: pointer.to_owned(),
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            document: None,
            arch: None,
            name: None,
            offset: span.start,
            end: span.end.max(span.start),
        });
        self
    }
}

/// Quotes a user value for a message, cut short so a huge value cannot make a huge message.
pub fn quote(value: &str) -> String {
    // Long enough for a full reference with a sha512 digest.
    quote_cut(value, 240)
}

/// Quotes a user value with JSON's escapes (the reader knows JSON), cut after `limit`
/// characters with "…": the one quoting every message uses.
pub fn quote_cut(value: &str, limit: usize) -> String {
    let mut out = String::with_capacity(value.len().min(limit) + 4);
    out.push('"');
    let end = value
        .char_indices()
        .nth(limit)
        .map_or(value.len(), |(i, _)| i);
    for ch in value.get(..end).unwrap_or(value).chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // JSON's escapes, not Rust's (`\u{1}`): the reader knows JSON.
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    if end < value.len() {
        out.push('…');
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{} twice", code.as_str());
            assert!(code
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'));
        }
    }

    #[test]
    fn profile_changes_only_legacy_shape_severities() {
        let relaxed: Vec<&str> = Code::ALL
            .iter()
            .filter(|c| c.severity(Profile::Canonical) != c.severity(Profile::Compat))
            .map(|c| c.as_str())
            .collect();
        assert_eq!(
            relaxed,
            ["image-embedded-digest", "image-has-tag", "digest-missing"]
        );
    }

    #[test]
    fn quote_cuts_long_values_and_escapes() {
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
        let long = "x".repeat(1000);
        assert_eq!(quote(&long), format!("\"{}…\"", "x".repeat(240)));
        assert_eq!(quote("a\nb"), "\"a\\nb\"");
    }
}
