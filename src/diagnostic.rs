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

/// How much of a code's findings `upgrade` fixes (the table's "fixed by `upgrade`").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FixedByUpgrade {
    /// Never: `fixable` is always false.
    No,
    /// Some of them; `fixable` says which.
    Partly,
    /// Every one, unless something else in the entry blocks the rewrite.
    Yes,
}

impl FixedByUpgrade {
    /// The word the table uses.
    pub fn as_str(self) -> &'static str {
        match self {
            FixedByUpgrade::No => "no",
            FixedByUpgrade::Partly => "partly",
            FixedByUpgrade::Yes => "yes",
        }
    }
}

// A code without `upgrade …` is never fixed.
macro_rules! fixed_by_upgrade {
    () => {
        FixedByUpgrade::No
    };
    ($fixed:ident) => {
        FixedByUpgrade::$fixed
    };
}

// The one list of codes. Everything else that lists them (the `DiagnosticCode` union in
// pkg/index.d.ts, the tables of docs/diagnostics.md, tests/node/codes.generated.json) is
// written from `Code::ALL` by examples/codes.rs (`make codes`; `make lint` fails when one is
// stale), so each code's doc comment is its text in the docs table: one sentence or a few,
// in Markdown. A code that `validate` never reports starts its comment with "Release view:",
// "Release check:", "Cross-arch:" or "Builds index:", which puts it in the docs' second table.
macro_rules! codes {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $name:literal, $canonical:ident, $compat:ident $(, upgrade $fixed:ident)?;
    )*) => {
        /// A stable diagnostic code. See the table in docs/diagnostics.md.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[doc = $doc])* $variant, )*
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

            /// Whether `upgrade` fixes this code's findings.
            pub fn fixed_by_upgrade(self) -> FixedByUpgrade {
                match self {
                    $(Code::$variant => fixed_by_upgrade!($($fixed)?),)*
                }
            }

            /// The code's doc comment as written, one line per comment line (each with
            /// the leading space of `/// `): what the docs table says about it.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc, "\n"),*),)*
                }
            }
        }
    };
}

codes! {
    /// Not JSON (empty input, truncation, trailing comma, comment, invalid UTF-8, BOM, …);
    /// points at the error.
    JsonSyntax = "json-syntax", Error, Error;
    /// Nesting deeper than 128 levels (as serde_json); reported instead of followed, so no
    /// input can exhaust the stack.
    NestingTooDeep = "nesting-too-deep", Error, Error;
    /// JSON, but not an object or a fragment of members.
    NotAnObject = "not-an-object", Error, Error;
    /// The same key twice in one object (any depth): JSON.parse would silently keep only the
    /// last. Entries with duplicate keys are not upgraded.
    DuplicateKey = "duplicate-key", Error, Error;
    /// A number beyond the range of a double (`1e999`, any depth): JSON.parse and Python read
    /// it as infinity, which neither writes back as JSON.
    NumberOutOfRange = "number-out-of-range", Warning, Warning;
    /// A `\uD800`-`\uDFFF` escape that is not half of a pair (any depth, keys too): JSON.parse
    /// and Python keep it, but it has no UTF-8 form (serde_json rejects the document). Points
    /// at the escape.
    LoneSurrogate = "lone-surrogate", Warning, Warning;
    /// None of the four container keys. A file artifact (`path`, `sha256`, `size`), members of
    /// `images` or `images` itself pasted alone are named as such in the message; so is stream
    /// metadata, by its shape: a `release.json` (`release`, `stream`, `architectures.<arch>`
    /// objects), a `releases.json` (`stream`, a `releases` list) or a `stream.json` (`stream`,
    /// each `architectures.<arch>` with `artifacts` or `images`), with a hint naming
    /// `builds/<build id>/<arch>/meta.json`.
    NoEntries = "no-entries", Info, Info;
    /// A container key whose value is not an object.
    EntryNotObject = "entry-not-object", Error, Error;
    /// A container key whose value is a file artifact as listed under `images` (`path` and
    /// `sha256`, no `image`), e.g. `images.extensions-container` pasted as
    /// `extensions-container`; reported instead of `image-missing` and `unknown-field`.
    EntryIsArtifact = "entry-is-artifact", Error, Error;
    /// An entry or additional image without `image`.
    ImageMissing = "image-missing", Error, Error;
    /// `image` is not a string.
    ImageNotString = "image-not-string", Error, Error;
    /// `image` is not a valid reference; the message says what is wrong (upper case in the
    /// path, bad separator, …). A pull spec copied with its transport (`docker://`,
    /// `ostree-unverified-registry:`, `ostree-remote-image:<remote>:docker://`,
    /// `containers-storage:`, `docker-daemon:`, or `oci:`, `oci-archive:`, `docker-archive:`,
    /// `dir:` and a path) is one finding that says to drop the transport and shows the
    /// reference without it.
    ImageInvalid = "image-invalid", Error, Error;
    /// `image` contains `@digest`; upgrade moves it to `digest`, except for a build dated in
    /// cosa's manifest-list window (see `digest-maybe-manifest-list`).
    ImageEmbeddedDigest = "image-embedded-digest", Error, Warning, upgrade Partly;
    /// `image` contains `:tag`; upgrade moves it to `tags`.
    ImageHasTag = "image-has-tag", Error, Warning, upgrade Yes;
    /// `image` names no registry (e.g. `fedora`).
    ImageNotQualified = "image-not-qualified", Warning, Warning;
    /// No digest anywhere: the image cannot be pulled by digest.
    DigestMissing = "digest-missing", Error, Warning;
    /// Not `sha256:<64 hex>` / `sha512:<128 hex>`, in `digest` or embedded in `image` (then at
    /// `/…/image`). Upper-case hex is lowercased (an embedded digest is then moved into
    /// `digest` as any embedded one is) and a bare 64-hex `digest` gets `sha256:`; anything
    /// else is left.
    DigestInvalid = "digest-invalid", Error, Error, upgrade Partly;
    /// The digest embedded in `image` differs from `digest`.
    DigestConflict = "digest-conflict", Error, Error;
    /// `tags` is not an array; a single string is wrapped.
    TagsNotArray = "tags-not-array", Error, Error, upgrade Partly;
    /// A tag outside `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`, or not a string.
    TagInvalid = "tag-invalid", Error, Error;
    /// The same tag twice.
    TagDuplicate = "tag-duplicate", Warning, Warning, upgrade Yes;
    /// `manifest-list-digest` is not a valid digest.
    ManifestListDigestInvalid = "manifest-list-digest-invalid", Error, Error;
    /// `digest` equals `manifest-list-digest`; the per-architecture digest was expected.
    DigestEqualsManifestList = "digest-equals-manifest-list", Warning, Warning;
    /// The digest embedded in `image` (no `digest`) of a build whose id dates it from
    /// 2022-09-13 to 2022-10-21 (`36.20220918.3.0`, `412.86.202209180000-0`; `options.buildId`,
    /// else `buildid`): cosa then wrote the manifest list's digest there, so upgrade leaves it
    /// in `image`. Confirm with `oscontainer arches` (`compareArches`) or the registry.
    DigestMaybeManifestList = "digest-maybe-manifest-list", Warning, Warning;
    /// `additional-images` is not an array.
    AdditionalImagesNotArray = "additional-images-not-array", Error, Error;
    /// An item of `additional-images` is not an object.
    AdditionalImageNotObject = "additional-image-not-object", Error, Error;
    /// `comment` is not a string.
    CommentNotString = "comment-not-string", Error, Error;
    /// A field the agreed form does not know; the hint suggests the closest known one.
    UnknownField = "unknown-field", Warning, Warning;
    /// A violation of the JSON Schema you supplied (e.g. cosa's `v1.json`).
    SchemaViolation = "schema-violation", Error, Error;
    /// Release view: no tag without the build id in a released entry: cosa's
    /// `generate-release-meta` raises ValueError. When the image carries the tag, the hint says
    /// to run upgrade.
    FloatingTagMissing = "floating-tag-missing", Error, Error;
    /// Release view: several tags without the build id: cosa raises ValueError, it needs
    /// exactly one.
    FloatingTagAmbiguous = "floating-tag-ambiguous", Error, Error;
    /// Release view: a released entry, and no build id given nor `buildid` in the document (a
    /// document without `base-oscontainer` or `kubevirt` needs none).
    BuildIdMissing = "build-id-missing", Error, Error;
    /// Release view: a released entry without `image`, `tags` or `digest`: cosa raises
    /// KeyError. At the entry; the hint says what upgrade would make cosa write, or what to
    /// record.
    ReleaseFieldMissing = "release-field-missing", Error, Error;
    /// Release view: a released entry whose `image` or `digest` is not a string, whose `tags`
    /// is not a list of strings, or which is not an object: cosa raises TypeError or cannot
    /// pick the floating tag.
    ReleaseFieldInvalid = "release-field-invalid", Error, Error;
    /// Release view: cosa joins `image + ":" + tag` and `image + "@" + digest` as written; for
    /// an image that already carries a digest or tag, an invalid image or digest, the message
    /// quotes the strings cosa would write (`repo@sha256:…:stable`, `repo:stable:stable`).
    ReleaseReferenceInvalid = "release-reference-invalid", Error, Error;
    /// Cross-arch: the same `digest` on several architectures: it is the manifest list's
    /// digest, not the per-architecture one (the 2022 bug).
    ArchDigestShared = "arch-digest-shared", Error, Error;
    /// Cross-arch: an entry missing on an architecture where it must be: by default
    /// `base-oscontainer`, `oscontainer` and `extensions-container` on every architecture once
    /// on one (the September 2022 one-arch bug); `options.presence` / `--presence` changes it
    /// per key.
    ArchEntryMissing = "arch-entry-missing", Error, Error;
    /// Cross-arch: an entry on some architectures only where that is allowed (by default
    /// `kubevirt`, which FCOS builds on some arches only); one note at the first document that
    /// has it, saying where it is and is not.
    ArchEntrySubset = "arch-entry-subset", Info, Info;
    /// Cross-arch: `image` (the repository) differs between architectures.
    ArchImageMismatch = "arch-image-mismatch", Error, Error;
    /// Cross-arch: `tags` differ between architectures (order ignored).
    ArchTagsMismatch = "arch-tags-mismatch", Error, Error;
    /// Cross-arch: `manifest-list-digest` differs between architectures.
    ArchManifestListMismatch = "arch-manifest-list-mismatch", Error, Error;
    /// Cross-arch: the documents are of different builds (`buildid`).
    ArchBuildMismatch = "arch-build-mismatch", Error, Error;
    /// Cross-arch: two documents for one architecture.
    ArchDuplicate = "arch-duplicate", Error, Error;
    /// Cross-arch: a document whose architecture is neither given nor recorded
    /// (`coreos-assembler.basearch`).
    ArchUnknown = "arch-unknown", Error, Error;
    /// Release check: a release.json's `image` (`oci-image`, `media.kubevirt.image`) is not
    /// the `<image>:<floating tag>` that the meta.json's `base-oscontainer` / `kubevirt`
    /// gives, or the release has a pair where the meta.json gives none, or lacks one it gives.
    ReleaseImageMismatch = "release-image-mismatch", Error, Error;
    /// Release check: a release.json's `digest-ref` is not the `<image>@<digest>` that the
    /// meta.json gives (or is missing): the release points at another image than the build
    /// pushed.
    ReleaseDigestMismatch = "release-digest-mismatch", Error, Error;
    /// Release check: an architecture of the release.json without its meta.json: its pairs
    /// cannot be checked against the build.
    ReleaseArchMissing = "release-arch-missing", Error, Error;
    /// Release check: a meta.json whose architecture the release.json does not list. A
    /// warning: nothing the release publishes is wrong, it only does not offer that
    /// architecture (released later or left out on purpose).
    ReleaseArchExtra = "release-arch-extra", Warning, Warning;
    /// Release check: the release.json's `release` is not the build id of the meta.json files.
    ReleaseBuildMismatch = "release-build-mismatch", Error, Error;
    /// Release check: the document is not a release.json (not an object, no `release`
    /// string, no `architectures` object, an architecture that is not an object).
    ReleaseInvalid = "release-invalid", Error, Error;
    /// Builds index: builds.json is not JSON, not an object, has a `schema-version` that is
    /// not a version string (`major.minor.patch`) or no `builds` array (then no build is
    /// read), or an entry of `builds` or `tombstone-builds` that is not an object (an id
    /// string in `builds`, the legacy form, is one), has no `id` that names one directory,
    /// or an `arches` that is not an array of such names: that entry is left out and the
    /// others are read.
    BuildsJsonInvalid = "builds-json-invalid", Error, Error;
    /// Builds index: builds.json's `schema-version` has a major version other than 1 (a
    /// missing one, or 0, is the legacy layout): coreos-assembler refuses the file ("Builds
    /// schema too new"), so none of its builds are read.
    BuildsSchemaUnsupported = "builds-schema-unsupported", Error, Error;
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
    pub edits: Option<Vec<Edit>>,
    /// Pointer to the object the fix rewrites (one fix per object).
    #[serde(skip)]
    pub object: String,
}

/// One text edit, the only shape an edit has (a finding's fix, an upgrade's edits, the
/// wrapper's rewrite of the caller's string): replace `start..end` of the input with
/// `text`, an insertion when they are equal.
///
/// Two ranges because two readers count differently: JS slices strings in UTF-16 units
/// (`start`, `end`, what crosses the boundary), Rust slices the UTF-8 input in bytes
/// (`bytes`, never serialised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// First UTF-16 unit replaced, as a JS string counts (filled in with line/column;
    /// until then the byte offset).
    pub start: usize,
    /// One past the last UTF-16 unit replaced.
    pub end: usize,
    /// What takes their place.
    pub text: String,
    /// The same range in bytes of the UTF-8 input.
    #[serde(skip)]
    pub bytes: std::ops::Range<usize>,
}

impl Edit {
    /// An edit of the bytes `bytes` whose UTF-16 range is not known yet.
    pub fn of_bytes(bytes: std::ops::Range<usize>, text: String) -> Edit {
        Edit {
            start: bytes.start,
            end: bytes.end,
            text,
            bytes,
        }
    }

    /// Whether it only inserts.
    pub fn is_insert(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Collects diagnostics for one document under one profile.
#[derive(Debug, Clone)]
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

    /// Records a finding about the bytes `span` of the input (the token or value it is
    /// about; empty only for a place between characters, such as the end of the text);
    /// its severity comes from the profile. There is no way to record one without its
    /// range.
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

    /// Records a finding made elsewhere (another analysis of the same text) as it is.
    pub fn push_copy(&mut self, diagnostic: &Diagnostic) {
        self.items.push(diagnostic.clone());
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
