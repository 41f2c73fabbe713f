//! Image references (`quay.io/fedora/fedora-coreos:stable@sha256:…`) with the
//! grammar of github.com/distribution/reference v0.6:
//!
//! ```text
//! reference := name [":" tag] ["@" digest]
//! name      := [domain "/"] path
//! domain    := host [":" port]        host: DNS-like labels or "[" IPv6 "]"
//! path      := component ("/" component)*
//! component := [a-z0-9]+ (("." | "_" | "__" | "-"+) [a-z0-9]+)*
//! tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//! ```
//!
//! Go matches this with one large regular expression; here it is a hand-written
//! byte scanner (no allocation on success paths of [`parse_borrowed`]) that
//! reports *which* rule failed and where, because the people reading our
//! messages are fixing a meta.json, not debugging a regexp. The places where we
//! deliberately answer differently from Go are listed in docs/references.md.

use std::borrow::Cow;
use std::fmt;

use crate::digest::{self, quote, DigestProblem};

/// Longest allowed repository path (the name without its domain), in bytes.
pub const PATH_MAX_LEN: usize = 255;
/// Longest allowed tag, in bytes.
pub const TAG_MAX_LEN: usize = 128;
/// The registry that Docker's "familiar" names live on.
pub const DEFAULT_DOMAIN: &str = "docker.io";
/// The tag that Docker assumes when a reference has neither tag nor digest.
pub const DEFAULT_TAG: &str = "latest";
/// Docker Hub's pre-2017 name, rewritten to [`DEFAULT_DOMAIN`] when normalising.
const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
/// Namespace of Docker Hub's official images ("ubuntu" is "library/ubuntu").
const OFFICIAL_REPO_PREFIX: &str = "library/";

/// A parsed image reference; `domain` is "" when the reference has none.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    /// Registry host with optional port, e.g. `quay.io` or `localhost:5000`.
    pub domain: String,
    /// Repository path, e.g. `fedora/fedora-coreos`.
    pub path: String,
    /// Tag without the `:`.
    pub tag: Option<String>,
    /// Digest (`sha256:<hex>`) without the `@`.
    pub digest: Option<String>,
}

impl Reference {
    /// The repository name: `domain/path`, or `path` when there is no domain.
    pub fn name(&self) -> String {
        join_name(&self.domain, &self.path)
    }

    /// True when the reference has neither tag nor digest: a repository.
    pub fn is_name_only(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }
}

fn join_name(domain: &str, path: &str) -> String {
    if domain.is_empty() {
        path.to_string()
    } else {
        let mut s = String::with_capacity(domain.len() + 1 + path.len());
        s.push_str(domain);
        s.push('/');
        s.push_str(path);
        s
    }
}

fn write_reference(
    f: &mut fmt::Formatter<'_>,
    domain: &str,
    path: &str,
    tag: Option<&str>,
    digest: Option<&str>,
) -> fmt::Result {
    if !domain.is_empty() {
        f.write_str(domain)?;
        f.write_str("/")?;
    }
    f.write_str(path)?;
    if let Some(tag) = tag {
        f.write_str(":")?;
        f.write_str(tag)?;
    }
    if let Some(digest) = digest {
        f.write_str("@")?;
        f.write_str(digest)?;
    }
    Ok(())
}

impl fmt::Display for Reference {
    /// `name[:tag][@digest]`, Go's `String()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_reference(
            f,
            &self.domain,
            &self.path,
            self.tag.as_deref(),
            self.digest.as_deref(),
        )
    }
}

/// A parsed reference borrowing from its input, for callers that only need
/// to look (no allocation when the input is valid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BorrowedReference<'a> {
    /// Registry host with optional port; "" when there is none.
    pub domain: &'a str,
    /// Repository path.
    pub path: &'a str,
    /// Tag without the `:`.
    pub tag: Option<&'a str>,
    /// Validated digest without the `@`.
    pub digest: Option<&'a str>,
}

impl BorrowedReference<'_> {
    /// `domain/path`, or `path` when there is no domain.
    pub fn name(&self) -> String {
        join_name(self.domain, self.path)
    }

    /// Copies the parts into an owned [`Reference`].
    pub fn to_reference(&self) -> Reference {
        Reference {
            domain: self.domain.to_string(),
            path: self.path.to_string(),
            tag: self.tag.map(str::to_string),
            digest: self.digest.map(str::to_string),
        }
    }
}

impl fmt::Display for BorrowedReference<'_> {
    /// `name[:tag][@digest]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_reference(f, self.domain, self.path, self.tag, self.digest)
    }
}

/// What [`parse_any_reference`] found: a named reference or a bare digest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AnyReference {
    /// A (normalised) named reference.
    Named(Reference),
    /// A digest-only reference such as `sha256:<hex>` (Go's digestReference).
    Digest(String),
}

impl fmt::Display for AnyReference {
    /// The normalised reference, or the digest.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyReference::Named(r) => r.fmt(f),
            AnyReference::Digest(d) => f.write_str(d),
        }
    }
}

/// Which rule a reference broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferenceErrorKind {
    /// The input is empty.
    NameEmpty,
    /// The name (domain or path) or the overall shape is malformed.
    InvalidFormat,
    /// The repository path has upper-case letters (the domain may).
    NameContainsUppercase,
    /// The repository path is longer than [`PATH_MAX_LEN`].
    NameTooLong,
    /// [`parse_named`]: the input is valid but not in its normalised form.
    NameNotCanonical,
    /// The tag is empty, too long or has a disallowed character.
    TagInvalid,
    /// The digest after `@` is malformed or not lower-case.
    DigestInvalidFormat,
    /// The digest has the wrong number of hex characters for its algorithm.
    DigestInvalidLength,
    /// The digest uses an algorithm other than sha256 or sha512.
    DigestUnsupported,
    /// The input starts with a transport (`docker://`, `ostree-unverified-registry:`,
    /// `containers-storage:`, …) as skopeo, podman and rpm-ostree write pull specs; the
    /// transport is not part of a reference.
    TransportPrefix,
}

impl ReferenceErrorKind {
    /// A stable kebab-case identifier for programs (and JSON output).
    pub fn code(self) -> &'static str {
        match self {
            ReferenceErrorKind::NameEmpty => "name-empty",
            ReferenceErrorKind::InvalidFormat => "invalid-format",
            ReferenceErrorKind::NameContainsUppercase => "name-contains-uppercase",
            ReferenceErrorKind::NameTooLong => "name-too-long",
            ReferenceErrorKind::NameNotCanonical => "name-not-canonical",
            ReferenceErrorKind::TagInvalid => "tag-invalid",
            ReferenceErrorKind::DigestInvalidFormat => "digest-invalid-format",
            ReferenceErrorKind::DigestInvalidLength => "digest-invalid-length",
            ReferenceErrorKind::DigestUnsupported => "digest-unsupported",
            ReferenceErrorKind::TransportPrefix => "transport-prefix",
        }
    }
}

impl fmt::Display for ReferenceErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a reference was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceError {
    /// The rule that was broken.
    pub kind: ReferenceErrorKind,
    /// One plain sentence naming the problem and quoting the offending part.
    pub message: String,
    /// Byte offset in the input of the first offending character (0 when the
    /// input as a whole is at fault).
    pub offset: usize,
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReferenceError {}

fn error(kind: ReferenceErrorKind, offset: usize, message: String) -> ReferenceError {
    ReferenceError {
        kind,
        message,
        offset,
    }
}

fn invalid(offset: usize, message: String) -> ReferenceError {
    error(ReferenceErrorKind::InvalidFormat, offset, message)
}

/// The character starting at byte `at` of `s`, quoted for a message.
fn quoted_char_at(s: &str, at: usize) -> String {
    match s.get(at..).and_then(|rest| rest.chars().next()) {
        Some(c) => quote(c.encode_utf8(&mut [0u8; 4])),
        None => "\"\"".to_string(),
    }
}

// ---------------------------------------------------------------------------
// Scanners. Every position they hand out is either 0, the length, or the
// index of an ASCII byte, so slicing at them never splits a UTF-8 character;
// they still slice with `get` so that a mistake here cannot become a panic.
// ---------------------------------------------------------------------------

/// Where the first upper-case letter of a path is, remembered while the rest
/// is checked: Go reports upper case only when nothing else is wrong.
#[derive(Debug, Clone, Copy)]
struct Uppercase {
    at: usize,
    component_start: usize,
    component_end: usize,
}

/// Checks one path component at absolute offset `base`. `is_last` tells
/// whether it ends the name, for the wording of the empty-component message.
fn check_component(
    component: &str,
    base: usize,
    is_last: bool,
    upper: &mut Option<Uppercase>,
) -> Result<(), ReferenceError> {
    let b = component.as_bytes();
    if b.is_empty() {
        let message = if base == 0 {
            "repository name starts with \"/\"".to_string()
        } else if is_last {
            "repository name ends with \"/\"".to_string()
        } else {
            "repository name has an empty path component (\"//\")".to_string()
        };
        return Err(invalid(base, message));
    }
    let q = || quote(component);
    let mut i = 0;
    loop {
        // An alphanumeric run; upper case counts here so that the structure
        // can still be judged, and is reported later.
        let run_start = i;
        while let Some(&c) = b.get(i) {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                i += 1;
            } else if c.is_ascii_uppercase() {
                if upper.is_none() {
                    *upper = Some(Uppercase {
                        at: base + i,
                        component_start: base,
                        component_end: base + b.len(),
                    });
                }
                i += 1;
            } else {
                break;
            }
        }
        if i == run_start {
            return Err(match b.get(i) {
                None => invalid(
                    base + i.saturating_sub(1),
                    format!(
                        "path component {} must end with a lower-case letter or digit",
                        q()
                    ),
                ),
                Some(b'.' | b'_' | b'-') if i == 0 => invalid(
                    base,
                    format!(
                        "path component {} must start with a lower-case letter or digit",
                        q()
                    ),
                ),
                Some(b'.' | b'_' | b'-') => {
                    let sep_start = last_separator_start(b, i);
                    let sep_end = b
                        .iter()
                        .skip(i)
                        .position(|c| c.is_ascii_alphanumeric())
                        .map_or(b.len(), |n| i + n);
                    let sequence = component.get(sep_start..sep_end).unwrap_or_default();
                    invalid(
                        base + i,
                        format!(
                            "path component {} has the separator sequence {}; components may be joined only by one \".\", one \"_\", \"__\" or a run of \"-\"",
                            q(),
                            quote(sequence)
                        ),
                    )
                }
                Some(_) => bad_path_char(component, base, i),
            });
        }
        match b.get(i) {
            None => return Ok(()),
            Some(b'.') => i += 1,
            Some(b'_') => {
                i += 1;
                if b.get(i) == Some(&b'_') {
                    i += 1;
                }
            }
            Some(b'-') => {
                while b.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            Some(_) => return Err(bad_path_char(component, base, i)),
        }
    }
}

/// Start of the separator run that ends just before `i` (for quoting).
fn last_separator_start(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j > 0 && matches!(b.get(j - 1), Some(b'.' | b'_' | b'-')) {
        j -= 1;
    }
    j
}

fn bad_path_char(component: &str, base: usize, i: usize) -> ReferenceError {
    invalid(
        base + i,
        format!(
            "path component {} contains {}; only lower-case letters, digits and the separators \".\", \"_\", \"__\" and \"-\" are allowed",
            quote(component),
            quoted_char_at(component, i)
        ),
    )
}

/// Checks a `/`-separated path starting at absolute offset `base`.
fn check_path(
    path: &str,
    base: usize,
    upper: &mut Option<Uppercase>,
) -> Result<(), ReferenceError> {
    let mut offset = base;
    let mut components = path.split('/').peekable();
    while let Some(component) = components.next() {
        check_component(component, offset, components.peek().is_none(), upper)?;
        offset += component.len() + 1;
    }
    Ok(())
}

/// Checks `domain := host [":" port]` at absolute offset `base`.
fn check_domain(d: &str, base: usize) -> Result<(), ReferenceError> {
    let b = d.as_bytes();
    let port_start = if b.first() == Some(&b'[') {
        let Some(close) = d.find(']') else {
            return Err(invalid(
                base,
                format!("IPv6 registry host {} has no closing \"]\"", quote(d)),
            ));
        };
        let host = d.get(..=close).unwrap_or_default();
        if close == 1 {
            return Err(invalid(
                base,
                "IPv6 registry host \"[]\" is empty".to_string(),
            ));
        }
        if let Some(bad) = b
            .iter()
            .take(close)
            .skip(1)
            .position(|c| !(c.is_ascii_hexdigit() || *c == b':'))
        {
            return Err(invalid(
                base + 1 + bad,
                format!(
                    "IPv6 registry host {} contains {}; only hex digits and \":\" are allowed (no zone identifiers or embedded IPv4)",
                    quote(host),
                    quoted_char_at(d, 1 + bad)
                ),
            ));
        }
        match b.get(close + 1) {
            None => return Ok(()),
            Some(b':') => close + 1,
            Some(_) => {
                return Err(invalid(
                    base + close + 1,
                    format!(
                        "registry host {} is followed by {} where only \":\" and a port number may follow",
                        quote(host),
                        quoted_char_at(d, close + 1)
                    ),
                ))
            }
        }
    } else {
        let host_end = d.find(':').unwrap_or(d.len());
        let host = d.get(..host_end).unwrap_or_default();
        check_host_name(host, base)?;
        host_end
    };
    // port_start is the index of the ":" before the port, or the length.
    if port_start >= b.len() {
        return Ok(());
    }
    let port = d.get(port_start + 1..).unwrap_or_default();
    let host = d.get(..port_start).unwrap_or_default();
    if port.is_empty() {
        return Err(invalid(
            base + port_start,
            format!(
                "registry host {} has an empty port after \":\"",
                quote(host)
            ),
        ));
    }
    if let Some(bad) = port.bytes().position(|c| !c.is_ascii_digit()) {
        return Err(invalid(
            base + port_start + 1 + bad,
            format!(
                "port {} of registry {} must be a number",
                quote(port),
                quote(d)
            ),
        ));
    }
    Ok(())
}

/// Checks DNS-like labels: `[A-Za-z0-9]` at both ends, `-` allowed inside.
fn check_host_name(host: &str, base: usize) -> Result<(), ReferenceError> {
    if host.is_empty() {
        return Err(invalid(base, "registry host is empty".to_string()));
    }
    let q = || quote(host);
    let mut offset = base;
    for label in host.split('.') {
        let lb = label.as_bytes();
        if lb.is_empty() {
            // A trailing "." is the offending character, not the end after it.
            let at = if offset == base + host.len() {
                offset.saturating_sub(1)
            } else {
                offset
            };
            return Err(invalid(
                at,
                format!(
                    "registry host {} has an empty label (\"..\" or a leading or trailing \".\")",
                    q()
                ),
            ));
        }
        if let Some(bad) = lb
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-'))
        {
            return Err(invalid(
                offset + bad,
                format!(
                    "registry host {} contains {}; host names may contain only letters, digits, \"-\" and \".\"",
                    q(),
                    quoted_char_at(label, bad)
                ),
            ));
        }
        if lb.first() == Some(&b'-') {
            return Err(invalid(
                offset,
                format!("registry host {} has a label starting with \"-\"", q()),
            ));
        }
        if lb.last() == Some(&b'-') {
            return Err(invalid(
                offset + lb.len() - 1,
                format!("registry host {} has a label ending with \"-\"", q()),
            ));
        }
        offset += label.len() + 1;
    }
    Ok(())
}

/// True when `s` is a registry host with optional port (Go's
/// `^domainAndPort$`); no port range or IPv6 semantics are checked.
pub fn is_domain(s: &str) -> bool {
    check_domain(s, 0).is_ok()
}

/// True for a sha256 "image ID": exactly 64 lower-case hex characters
/// (Go's `^[a-f0-9]{64}$` identifier).
pub fn is_identifier(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn check_tag_at(tag: &str, base: usize) -> Result<(), ReferenceError> {
    let b = tag.as_bytes();
    let Some(&first) = b.first() else {
        return Err(error(
            ReferenceErrorKind::TagInvalid,
            base,
            "tag after \":\" is empty".to_string(),
        ));
    };
    if first == b'.' || first == b'-' {
        return Err(error(
            ReferenceErrorKind::TagInvalid,
            base,
            format!(
                "tag {} must start with a letter, digit or \"_\"",
                quote(tag)
            ),
        ));
    }
    if let Some(bad) = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')))
    {
        let message = if b.get(bad).is_some_and(|c| !c.is_ascii()) {
            format!(
                "tag {} contains the non-ASCII character {}; tags may only contain ASCII letters, digits, \"_\", \".\" and \"-\"",
                quote(tag),
                quoted_char_at(tag, bad)
            )
        } else {
            format!(
                "tag {} contains {}; tags may only contain letters, digits, \"_\", \".\" and \"-\"",
                quote(tag),
                quoted_char_at(tag, bad)
            )
        };
        return Err(error(ReferenceErrorKind::TagInvalid, base + bad, message));
    }
    if b.len() > TAG_MAX_LEN {
        return Err(error(
            ReferenceErrorKind::TagInvalid,
            base + TAG_MAX_LEN,
            format!(
                "tag {} is {} characters long; at most {TAG_MAX_LEN} are allowed",
                quote(tag),
                b.len()
            ),
        ));
    }
    Ok(())
}

/// Validates a tag on its own, e.g. an item of an entry's `tags` list.
/// Offsets in the error are relative to `tag`.
pub fn validate_tag(tag: &str) -> Result<(), ReferenceError> {
    check_tag_at(tag, 0)
}

/// Go's digest grammar in references: `[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`.
/// Only used to order errors the way Go does (a digest that fails this is a
/// format error that Go reports before upper case in the path).
fn matches_go_digest_grammar(d: &str) -> bool {
    let Some((algorithm, hex)) = d.split_once(':') else {
        return false;
    };
    let components_ok = algorithm.split(['-', '_', '+', '.']).all(|c| {
        let mut bytes = c.bytes();
        bytes.next().is_some_and(|f| f.is_ascii_alphabetic())
            && bytes.all(|b| b.is_ascii_alphanumeric())
    });
    components_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

fn digest_error(e: &digest::DigestError, base: usize) -> ReferenceError {
    let kind = match e.problem {
        DigestProblem::UnsupportedAlgorithm(_) => ReferenceErrorKind::DigestUnsupported,
        DigestProblem::InvalidLength { .. } => ReferenceErrorKind::DigestInvalidLength,
        DigestProblem::Empty
        | DigestProblem::MissingAlgorithm
        | DigestProblem::UppercaseHex
        | DigestProblem::InvalidCharacters => ReferenceErrorKind::DigestInvalidFormat,
    };
    let message = if e.problem == DigestProblem::Empty {
        "reference ends with \"@\" but no digest follows".to_string()
    } else {
        e.message.clone()
    };
    error(kind, base + e.offset, message)
}

/// A name split into domain and path, plus the first upper-case letter in
/// the path (not yet reported).
struct NameParts<'a> {
    domain: &'a str,
    path: &'a str,
    path_start: usize,
    upper: Option<Uppercase>,
}

/// Splits `name` (at absolute offset 0 of the input) into domain and path the
/// way Go's regexp does: the first component is the domain when it is a valid
/// domain *and* a `/` follows; otherwise the whole name must be a path.
fn split_name(name: &str) -> Result<NameParts<'_>, ReferenceError> {
    let mut upper = None;
    let Some(slash) = name.find('/') else {
        check_path(name, 0, &mut upper)?;
        return Ok(NameParts {
            domain: "",
            path: name,
            path_start: 0,
            upper,
        });
    };
    let first = name.get(..slash).unwrap_or_default();
    let rest = name.get(slash + 1..).unwrap_or_default();
    // The rest is a path in either reading, so its errors are final.
    check_path(rest, slash + 1, &mut upper)?;
    match check_domain(first, 0) {
        Ok(()) => Ok(NameParts {
            domain: first,
            path: rest,
            path_start: slash + 1,
            upper,
        }),
        Err(domain_error) => {
            // Go's regexp backtracks to reading the first component as part
            // of the path ("test_com/foo" is a path, not a bad domain).
            let mut first_upper = None;
            match check_component(first, 0, false, &mut first_upper) {
                Ok(()) => Ok(NameParts {
                    domain: "",
                    path: name,
                    path_start: 0,
                    upper: first_upper.or(upper),
                }),
                // Both readings fail: explain the one the author meant.
                Err(path_error) => Err(if first.contains(['.', ':']) || first.starts_with('[') {
                    domain_error
                } else {
                    path_error
                }),
            }
        }
    }
}

/// A piece of the input and the byte offset where it starts.
type Located<'a> = (usize, &'a str);

/// Splits `name[:tag]` at the first `:` after the last `/`; a tag never
/// contains `/`, and the path never contains `:`.
fn split_tag(nt: &str) -> Result<(&str, Option<Located<'_>>), ReferenceError> {
    let after_slash = nt.rfind('/').map_or(0, |i| i + 1);
    if after_slash == 0 && nt.starts_with('[') {
        if let Some(close) = nt.find(']') {
            return Err(invalid(
                0,
                format!(
                    "IPv6 address {} can only be a registry host, followed by \"/\" and a repository path",
                    quote(nt.get(..=close).unwrap_or(nt))
                ),
            ));
        }
    }
    let tail = nt.get(after_slash..).unwrap_or_default();
    Ok(match tail.find(':') {
        None => (nt, None),
        Some(j) => {
            let colon = after_slash + j;
            (
                nt.get(..colon).unwrap_or_default(),
                Some((colon + 1, nt.get(colon + 1..).unwrap_or_default())),
            )
        }
    })
}

fn uppercase_error(s: &str, u: Uppercase) -> ReferenceError {
    let component = s
        .get(u.component_start..u.component_end)
        .unwrap_or_default();
    error(
        ReferenceErrorKind::NameContainsUppercase,
        u.at,
        format!(
            "path component {} contains upper case; registries require lower-case repository names",
            quote(component)
        ),
    )
}

fn check_path_length(path: &str, path_start: usize) -> Result<(), ReferenceError> {
    if path.len() > PATH_MAX_LEN {
        return Err(error(
            ReferenceErrorKind::NameTooLong,
            path_start + PATH_MAX_LEN,
            format!(
                "repository path {} is {} characters long; at most {PATH_MAX_LEN} are allowed",
                quote(path),
                path.len()
            ),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Transports. Pull specs copied from skopeo (`docker://quay.io/…`), rpm-ostree
// (`ostree-unverified-registry:quay.io/…`, `ostree-remote-image:fedora:docker://…`)
// or podman (`containers-storage:…`) start with a containers/image or
// ostree-rs-ext transport. Go's grammar only sees a bad port or an empty path
// component there; we say what it is. Only inputs the grammar rejects are
// looked at, so every reference Go accepts (`oci:foo` is the name "oci" with
// the tag "foo") is still accepted.
// ---------------------------------------------------------------------------

/// ostree-rs-ext transports that wrap a containers/image transport.
const WRAPPING_TRANSPORTS: [&str; 2] = ["ostree-unverified-image:", "ostree-image-signed:"];
/// Transports followed by an image reference.
const REFERENCE_TRANSPORTS: [&str; 3] =
    ["docker://", "ostree-unverified-registry:", "docker-daemon:"];
/// Transports followed by a local path, and what that path is.
const LOCAL_TRANSPORTS: [(&str, &str); 4] = [
    ("oci:", "OCI layout directory"),
    ("oci-archive:", "OCI archive file"),
    ("docker-archive:", "docker-archive tar file"),
    ("dir:", "directory"),
];

/// Where the transport prefix of `s` ends, and for a transport followed by a
/// local path, what that path is; `None` when `s` starts with no transport.
fn split_transport(s: &str) -> Option<(usize, Option<&'static str>)> {
    // After a remote name (`ostree-remote-image:<remote>:`): the offset just past
    // its ":", or the end when there is none.
    let after_remote = |at: usize| {
        s.get(at..)
            .and_then(|r| r.find(':'))
            .map_or(s.len(), |i| at + i + 1)
    };
    let mut at = 0;
    let mut wrapped = false;
    loop {
        let rest = s.get(at..).unwrap_or_default();
        if let Some(w) = WRAPPING_TRANSPORTS.iter().find(|w| rest.starts_with(*w)) {
            at += w.len();
        } else if rest.starts_with("ostree-remote-image:") {
            at = after_remote(at + "ostree-remote-image:".len());
        } else {
            break;
        }
        wrapped = true;
    }
    let rest = s.get(at..).unwrap_or_default();
    if let Some(t) = REFERENCE_TRANSPORTS.iter().find(|t| rest.starts_with(*t)) {
        return Some((at + t.len(), None));
    }
    if rest.starts_with("ostree-remote-registry:") {
        return Some((after_remote(at + "ostree-remote-registry:".len()), None));
    }
    if let Some(after) = rest.strip_prefix("containers-storage:") {
        // An optional store specification: `containers-storage:[overlay@/var/lib/…]name`.
        let store = match after.strip_prefix('[') {
            Some(spec) => spec.find(']').map_or(0, |i| i + 2),
            None => 0,
        };
        return Some((at + "containers-storage:".len() + store, None));
    }
    // ostree-rs-ext's own name for the docker transport, only after its wrappers
    // ("registry:5000/x" alone is a registry with a port).
    if wrapped && rest.starts_with("registry:") {
        return Some((at + "registry:".len(), None));
    }
    if let Some((t, what)) = LOCAL_TRANSPORTS.iter().find(|(t, _)| rest.starts_with(*t)) {
        return Some((at + t.len(), Some(*what)));
    }
    wrapped.then_some((at, None))
}

/// The error for `s` when it starts with a transport; `check_rest` judges what
/// follows it (without looking for transports again, so this cannot recurse).
fn transport_error(
    s: &str,
    check_rest: fn(&str) -> Result<(), ReferenceError>,
) -> Option<ReferenceError> {
    use crate::diagnostic::quote as full;
    let (end, local) = split_transport(s)?;
    let prefix = s.get(..end)?;
    let rest = s.get(end..)?;
    let message = match local {
        Some(what) => format!(
            "the transport prefix {} names a local {what} ({}), not an image in a registry; drop it and write the repository the image was pushed to",
            full(prefix),
            full(rest)
        ),
        None if rest.is_empty() => format!(
            "the transport prefix {} is not part of an image reference, and no reference follows it",
            full(prefix)
        ),
        None => {
            let mut m = format!(
                "the transport prefix {} is not part of an image reference; drop it: {}",
                full(prefix),
                full(rest)
            );
            if let Err(e) = check_rest(rest) {
                m.push_str(" (which is not valid either: ");
                m.push_str(&e.message);
                m.push(')');
            }
            m
        }
    };
    Some(error(ReferenceErrorKind::TransportPrefix, 0, message))
}

/// The transport error for `s`, for callers that know it is meant as a pull spec of a
/// registry image (an entry's `image`): also when what follows the transport happens
/// to read as a reference (`oci-archive:x.ociarchive` is the name "oci-archive" with
/// the tag "x.ociarchive" to Go). `None` when `s` starts with no transport.
pub fn transport_prefix_error(s: &str) -> Option<ReferenceError> {
    transport_error(s, |rest| parse_plain(rest).map(|_| ()))
}

/// `result`, unless it is an error and `s` starts with a transport: then that.
fn or_transport<T>(
    s: &str,
    result: Result<T, ReferenceError>,
    check_rest: fn(&str) -> Result<(), ReferenceError>,
) -> Result<T, ReferenceError> {
    result.map_err(|e| transport_error(s, check_rest).unwrap_or(e))
}

/// Go `Parse` without copying: strict, no normalisation.
///
/// Errors come in Go's order: shape (name, tag, digest grammar), then upper
/// case in the path, then path length, then digest validation. An input the
/// grammar rejects that starts with a transport (`docker://…`) gets one
/// [`ReferenceErrorKind::TransportPrefix`] error instead, at offset 0.
pub fn parse_borrowed(s: &str) -> Result<BorrowedReference<'_>, ReferenceError> {
    or_transport(s, parse_plain(s), |rest| parse_plain(rest).map(|_| ()))
}

/// [`parse_borrowed`] without the transport check.
fn parse_plain(s: &str) -> Result<BorrowedReference<'_>, ReferenceError> {
    if s.is_empty() {
        return Err(error(
            ReferenceErrorKind::NameEmpty,
            0,
            "reference is empty".to_string(),
        ));
    }
    // Neither name nor tag may contain "@", so the first one starts the digest.
    let (nt, digest_part) = match s.find('@') {
        Some(at) => (
            s.get(..at).unwrap_or_default(),
            Some((at + 1, s.get(at + 1..).unwrap_or_default())),
        ),
        None => (s, None),
    };
    let (name, tag) = split_tag(nt)?;
    if name.is_empty() {
        let before = if tag.is_some() { ":" } else { "@" };
        return Err(invalid(
            0,
            format!("reference has no repository name before \"{before}\""),
        ));
    }
    let parts = split_name(name)?;
    if let Some((tag_start, tag)) = tag {
        check_tag_at(tag, tag_start)?;
    }
    let digest_result = digest_part.map(|(start, d)| (start, d, digest::parse_digest(d)));
    if let Some((start, d, Err(e))) = &digest_result {
        if !matches_go_digest_grammar(d) {
            return Err(digest_error(e, *start));
        }
    }
    if let Some(u) = parts.upper {
        return Err(uppercase_error(s, u));
    }
    check_path_length(parts.path, parts.path_start)?;
    let digest = match digest_result {
        None => None,
        Some((_, d, Ok(_))) => Some(d),
        Some((start, _, Err(e))) => return Err(digest_error(&e, start)),
    };
    Ok(BorrowedReference {
        domain: parts.domain,
        path: parts.path,
        tag: tag.map(|(_, t)| t),
        digest,
    })
}

/// Go `Parse`: strict, no normalisation (`fedora` stays `fedora`).
pub fn parse(s: &str) -> Result<Reference, ReferenceError> {
    parse_borrowed(s).map(|r| r.to_reference())
}

/// Go `WithName`: a repository name with no tag and no digest, such as the
/// `image` field of a canonical entry.
pub fn with_name(s: &str) -> Result<Reference, ReferenceError> {
    or_transport(s, with_name_plain(s), |rest| {
        with_name_plain(rest).map(|_| ())
    })
}

fn with_name_plain(s: &str) -> Result<Reference, ReferenceError> {
    if s.is_empty() {
        return Err(error(
            ReferenceErrorKind::NameEmpty,
            0,
            "repository name is empty".to_string(),
        ));
    }
    if let Some(at) = s.find('@') {
        return Err(invalid(
            at,
            format!(
                "repository name {} contains a digest ({}); expected a name without tag or digest",
                quote(s),
                quote(s.get(at..).unwrap_or_default())
            ),
        ));
    }
    let (name, tag) = split_tag(s)?;
    if let Some((tag_start, _)) = tag {
        return Err(invalid(
            tag_start.saturating_sub(1),
            format!(
                "repository name {} has a tag ({}); expected a name without tag or digest",
                quote(s),
                quote(s.get(tag_start.saturating_sub(1)..).unwrap_or_default())
            ),
        ));
    }
    let parts = split_name(name)?;
    if let Some(u) = parts.upper {
        return Err(uppercase_error(s, u));
    }
    check_path_length(parts.path, parts.path_start)?;
    Ok(Reference {
        domain: parts.domain.to_string(),
        path: parts.path.to_string(),
        tag: None,
        digest: None,
    })
}

/// Go `WithTag`: `r` with its tag replaced by `tag` (a digest is kept).
pub fn with_tag(r: &Reference, tag: &str) -> Result<Reference, ReferenceError> {
    validate_tag(tag)?;
    let mut out = r.clone();
    out.tag = Some(tag.to_string());
    Ok(out)
}

/// Go `WithDigest`: `r` with its digest replaced by `digest` (a tag is
/// kept). Unlike Go, the digest is fully validated, not only its grammar.
pub fn with_digest(r: &Reference, digest: &str) -> Result<Reference, ReferenceError> {
    if let Err(e) = digest::parse_digest(digest) {
        return Err(digest_error(&e, 0));
    }
    let mut out = r.clone();
    out.digest = Some(digest.to_string());
    Ok(out)
}

/// Go `ParseNormalizedNamed`: Docker's familiar names made explicit
/// (`fedora` → `docker.io/library/fedora`, `index.docker.io` → `docker.io`).
/// A first component is a domain only if it is `localhost`, contains `.` or
/// `:`, or has upper case; 64-hex image IDs are refused.
pub fn parse_normalized_named(s: &str) -> Result<Reference, ReferenceError> {
    or_transport(s, normalized_plain(s), |rest| {
        normalized_plain(rest).map(|_| ())
    })
}

fn normalized_plain(s: &str) -> Result<Reference, ReferenceError> {
    if s.is_empty() {
        return Err(error(
            ReferenceErrorKind::NameEmpty,
            0,
            "reference is empty".to_string(),
        ));
    }
    if is_identifier(s) {
        return Err(invalid(
            0,
            format!(
                "{} is a 64-character hex image ID, not a repository name",
                quote(s)
            ),
        ));
    }
    // The normalised text is `head` followed by `s[keep_from..]`.
    let (head, keep_from): (&str, usize) = match s.find('/') {
        None => ("docker.io/library/", 0),
        Some(slash) => {
            let first = s.get(..slash).unwrap_or_default();
            let rest = s.get(slash + 1..).unwrap_or_default();
            let familiar_rest = if rest.contains('/') {
                "docker.io/"
            } else {
                "docker.io/library/"
            };
            if first == "localhost" {
                ("", 0)
            } else if first == LEGACY_DEFAULT_DOMAIN {
                (familiar_rest, slash + 1)
            } else if first.contains(['.', ':']) {
                if first == DEFAULT_DOMAIN {
                    (familiar_rest, slash + 1)
                } else {
                    ("", 0)
                }
            } else if first.bytes().any(|b| b.is_ascii_uppercase()) {
                // Go lower-cases with Unicode rules; for non-ASCII upper case
                // both readings fail anyway, only the message differs.
                ("", 0)
            } else {
                ("docker.io/", 0)
            }
        }
    };
    let kept = s.get(keep_from..).unwrap_or_default();
    let text: Cow<'_, str> = if head.is_empty() {
        Cow::Borrowed(kept)
    } else {
        Cow::Owned(format!("{head}{kept}"))
    };
    parse_plain(&text)
        .map(|r| r.to_reference())
        .map_err(|mut e| {
            // Point back into the caller's string, not the rewritten one.
            e.offset = keep_from + e.offset.saturating_sub(head.len());
            e
        })
}

/// Go `ParseNamed`: like [`parse_normalized_named`], but the input must
/// already be in normalised form (`docker.io/library/fedora`, not `fedora`).
pub fn parse_named(s: &str) -> Result<Reference, ReferenceError> {
    let r = parse_normalized_named(s)?;
    let canonical = r.to_string();
    if canonical != s {
        return Err(error(
            ReferenceErrorKind::NameNotCanonical,
            0,
            format!(
                "reference {} is not in canonical form; it normalises to {}",
                quote(s),
                quote(&canonical)
            ),
        ));
    }
    Ok(r)
}

/// Go `ParseAnyReference`: a bare 64-hex image ID or a valid digest is a
/// digest-only reference; anything else goes through
/// [`parse_normalized_named`].
pub fn parse_any_reference(s: &str) -> Result<AnyReference, ReferenceError> {
    if is_identifier(s) {
        return Ok(AnyReference::Digest(format!("sha256:{s}")));
    }
    if digest::parse_digest(s).is_ok() {
        return Ok(AnyReference::Digest(s.to_string()));
    }
    parse_normalized_named(s).map(AnyReference::Named)
}

/// Go `ParseDockerRef`: normalised, with `:latest` added when there is no
/// tag or digest, and the tag dropped when there are both (the digest wins).
pub fn parse_docker_ref(s: &str) -> Result<Reference, ReferenceError> {
    let mut r = parse_normalized_named(s)?;
    if r.digest.is_some() {
        r.tag = None;
    } else if r.tag.is_none() {
        r.tag = Some(DEFAULT_TAG.to_string());
    }
    Ok(r)
}

/// Go `FamiliarString`: the short form Docker shows (`docker.io/library/x`
/// → `x`, `docker.io/a/b` → `a/b`); other registries are unchanged.
pub fn familiar_string(r: &Reference) -> String {
    let (domain, path) = if r.domain == DEFAULT_DOMAIN {
        let path = match r.path.strip_prefix(OFFICIAL_REPO_PREFIX) {
            // Only a single component under library/ is an official image.
            Some(rest) if !rest.contains('/') => rest,
            _ => r.path.as_str(),
        };
        ("", path)
    } else {
        (r.domain.as_str(), r.path.as_str())
    };
    BorrowedReference {
        domain,
        path,
        tag: r.tag.as_deref(),
        digest: r.digest.as_deref(),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX64: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn ok(s: &str) -> Reference {
        match parse(s) {
            Ok(r) => r,
            Err(e) => panic!("{s:?}: {e} ({:?})", e.kind),
        }
    }

    fn err(s: &str) -> ReferenceError {
        match parse(s) {
            Ok(r) => panic!("{s:?} parsed as {r:?}"),
            Err(e) => e,
        }
    }

    fn parts(r: &Reference) -> (&str, &str, Option<&str>, Option<&str>) {
        (&r.domain, &r.path, r.tag.as_deref(), r.digest.as_deref())
    }

    #[test]
    fn port_versus_tag() {
        assert_eq!(parts(&ok("name:5000")), ("", "name", Some("5000"), None));
        assert_eq!(
            parts(&ok("test.com:5000")),
            ("", "test.com", Some("5000"), None)
        );
        assert_eq!(
            parts(&ok("test:5000/repo")),
            ("test:5000", "repo", None, None)
        );
        let d = format!("sha256:{HEX64}");
        let r = ok(&format!("localhost:5000/x/y@{d}"));
        assert_eq!(parts(&r), ("localhost:5000", "x/y", None, Some(d.as_str())));
        let r = ok(&format!("localhost:8080@{d}"));
        assert_eq!(parts(&r), ("", "localhost", Some("8080"), Some(d.as_str())));
        assert_eq!(
            parts(&ok("localhost:5000/x:5000")),
            ("localhost:5000", "x", Some("5000"), None)
        );
        let e = err("localhost:http/name");
        assert_eq!(e.kind, ReferenceErrorKind::InvalidFormat);
        assert_eq!(e.offset, 10);
        assert!(e.message.contains("must be a number"), "{}", e.message);
        let e = err("localhost:/name");
        assert_eq!(e.offset, 9);
    }

    #[test]
    fn ipv6() {
        assert_eq!(
            parts(&ok("[2001:db8::1]:5000/repo:tag")),
            ("[2001:db8::1]:5000", "repo", Some("tag"), None)
        );
        assert_eq!(parts(&ok("[::1]/repo")), ("[::1]", "repo", None, None));
        for s in ["[2001:db8::1]", "[2001:db8::1]:5000", "[2001:db8::1]:tag"] {
            let e = err(s);
            assert_eq!(e.kind, ReferenceErrorKind::InvalidFormat, "{s}");
            assert!(
                e.message.contains("can only be a registry host"),
                "{}",
                e.message
            );
        }
        let e = err("[fe80::1%eth0]:5000/repo");
        assert_eq!(e.kind, ReferenceErrorKind::InvalidFormat);
        assert_eq!(e.offset, 8);
        assert!(e.message.contains("\"%\""), "{}", e.message);
        let e = err("[::1]x/repo");
        assert_eq!(e.offset, 5);
        let e = err("[::1/repo");
        assert!(e.message.contains("no closing"), "{}", e.message);
        assert!(err("[]/repo").message.contains("empty"));
        assert!(is_domain("[fd00123123123]:75050"));
        assert!(!is_domain("[fd00:1:2::3]::75050"));
    }

    #[test]
    fn uppercase_domain_is_fine_uppercase_path_is_not() {
        assert_eq!(parts(&ok("Foo/bar")), ("Foo", "bar", None, None));
        assert_eq!(
            parts(&ok("Quay.IO/fedora/fedora-coreos")),
            ("Quay.IO", "fedora/fedora-coreos", None, None)
        );
        let e = err("quay.io/fedora/Fedora:36");
        assert_eq!(e.kind, ReferenceErrorKind::NameContainsUppercase);
        assert_eq!(e.offset, 15);
        assert_eq!(
            e.message,
            "path component \"Fedora\" contains upper case; registries require lower-case repository names"
        );
        let e = err("Uppercase:tag");
        assert_eq!(e.kind, ReferenceErrorKind::NameContainsUppercase);
        assert_eq!(e.offset, 0);
        // Test_com is not a domain ("_"), so it is an upper-case path.
        assert_eq!(
            err("Test_com/foo").kind,
            ReferenceErrorKind::NameContainsUppercase
        );
        // Upper case is reported only when nothing else is wrong, as in Go.
        assert_eq!(err("Foo/Bar:-x").kind, ReferenceErrorKind::TagInvalid);
        // ... but before length and digest validation.
        let long = format!("x/{}{}", "A", "a".repeat(300));
        assert_eq!(err(&long).kind, ReferenceErrorKind::NameContainsUppercase);
        let e = err(&format!("Foo/Bar@sha256:{}", HEX64.to_ascii_uppercase()));
        assert_eq!(e.kind, ReferenceErrorKind::NameContainsUppercase);
        let e = err("Foo/Bar@sha256:abc");
        assert_eq!(e.kind, ReferenceErrorKind::DigestInvalidLength);
        // Upper-case tags are fine.
        assert_eq!(ok("lowercase:Uppercase").tag.as_deref(), Some("Uppercase"));
    }

    #[test]
    fn separators() {
        for s in [
            "a__b",
            "a--b",
            "a---b",
            "a.b",
            "a_b",
            "a-b.c_d__e",
            "a/b.c/d",
        ] {
            ok(s);
        }
        for (s, at, needle) in [
            ("a___b", 3, "\"___\""),
            ("a-.b", 2, "\"-.\""),
            ("a._b", 2, "\"._\""),
            ("a..b", 2, "\"..\""),
            ("a_-b", 2, "\"_-\""),
        ] {
            let e = err(s);
            assert_eq!(e.kind, ReferenceErrorKind::InvalidFormat, "{s}");
            assert_eq!(e.offset, at, "{s}");
            assert!(e.message.contains(needle), "{s}: {}", e.message);
        }
        let e = err("-foo/bar");
        assert!(e.message.contains("must start with"), "{}", e.message);
        let e = err("foo/bar-");
        assert_eq!(e.offset, 7);
        assert!(e.message.contains("must end with"), "{}", e.message);
        let e = err("aa/asdf$$^/aa");
        assert_eq!(e.offset, 7);
        assert!(e.message.contains("contains \"$\""), "{}", e.message);
        assert!(err("a//b").message.contains("\"//\""));
        assert!(err("foo/").message.contains("ends with"));
        assert!(err("/foo").message.contains("starts with"));
        // "docker." looks like a host, so the host is blamed.
        let e = err("docker./docker");
        assert!(e.message.contains("registry host"), "{}", e.message);
        let e = err("foo_bar.com:8080/app");
        assert_eq!(e.offset, 3);
        assert!(
            e.message.contains("registry host \"foo_bar.com\""),
            "{}",
            e.message
        );
        // Without "." or ":" the path reading is blamed.
        let e = err("docker-/docker");
        assert!(
            e.message.contains("path component \"docker-\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn domain_or_path() {
        assert_eq!(parts(&ok("test_com/foo")), ("", "test_com/foo", None, None));
        assert_eq!(parts(&ok("a/b")), ("a", "b", None, None));
        assert_eq!(
            parts(&ok("foo/foo_bar.com:8080")),
            ("foo", "foo_bar.com", Some("8080"), None)
        );
        assert_eq!(
            parts(&ok("192.168.1.1:5000/repo:5050")),
            ("192.168.1.1:5000", "repo", Some("5050"), None)
        );
    }

    #[test]
    fn path_limit_is_255_and_path_only() {
        let p255 = "a".repeat(255);
        let r = ok(&format!("example.com/{p255}:tag"));
        assert_eq!(r.path.len(), 255);
        // A long domain does not count against the limit (v0.6).
        let long_domain = format!("{}.com", "d".repeat(60));
        ok(&format!("{long_domain}/{p255}"));
        let e = err(&format!("example.com/{p255}a"));
        assert_eq!(e.kind, ReferenceErrorKind::NameTooLong);
        assert_eq!(e.offset, 12 + 255);
        assert!(e
            .message
            .ends_with("is 256 characters long; at most 255 are allowed"));
        assert_eq!(
            with_name(&format!("{p255}a")).unwrap_err().kind,
            ReferenceErrorKind::NameTooLong
        );
    }

    #[test]
    fn tag_limit_is_128() {
        let t128 = "t".repeat(128);
        assert_eq!(
            ok(&format!("foo:{t128}")).tag.as_deref(),
            Some(t128.as_str())
        );
        let e = err(&format!("foo:{t128}x"));
        assert_eq!(e.kind, ReferenceErrorKind::TagInvalid);
        assert_eq!(e.offset, 4 + 128);
        assert!(e
            .message
            .ends_with("is 129 characters long; at most 128 are allowed"));
    }

    #[test]
    fn tags() {
        ok("foo:_x");
        ok("foo:1.0-rc.1");
        let e = err("foo:v1+x");
        assert_eq!(e.kind, ReferenceErrorKind::TagInvalid);
        assert_eq!(e.offset, 6);
        assert_eq!(
            e.message,
            "tag \"v1+x\" contains \"+\"; tags may only contain letters, digits, \"_\", \".\" and \"-\""
        );
        let e = err("foo:-x");
        assert!(e.message.contains("must start with"), "{}", e.message);
        let e = err("foo:");
        assert_eq!(e.offset, 4);
        assert_eq!(e.message, "tag after \":\" is empty");
        assert_eq!(err("foo:a:b").offset, 5);
        assert!(validate_tag("stable").is_ok());
        assert!(validate_tag("").is_err());
    }

    #[test]
    fn non_ascii_tags() {
        for s in ["foo:vé", "foo:v\u{0660}", "foo:\u{00e9}"] {
            let e = err(s);
            assert_eq!(e.kind, ReferenceErrorKind::TagInvalid, "{s}");
            assert!(e.message.contains("non-ASCII"), "{}", e.message);
        }
        assert_eq!(err("foo:vé").offset, 5);
    }

    #[test]
    fn non_ascii_names_never_panic() {
        for s in [
            "é",
            "fé/x",
            "x/é",
            "é.com/x",
            "[é]/x",
            "x:é",
            "x@é",
            "x@sha256:é",
            "\u{212A}8s",
            "a/\u{0301}",
            "é:",
            "é@",
            "\u{0}",
            "[",
            "]",
            "@",
            ":",
            "/",
            "[:",
        ] {
            let _ = parse(s);
            let _ = parse_normalized_named(s);
            let _ = parse_any_reference(s);
            let _ = with_name(s);
        }
    }

    #[test]
    fn digests_of_each_problem_kind() {
        let d = format!("sha256:{HEX64}");
        assert_eq!(ok(&format!("repo@{d}")).digest.as_deref(), Some(d.as_str()));
        let d512 = format!("sha512:{HEX64}{HEX64}");
        assert_eq!(
            ok(&format!("repo@{d512}")).digest.as_deref(),
            Some(d512.as_str())
        );

        let cases = [
            (
                "repo@".to_string(),
                ReferenceErrorKind::DigestInvalidFormat,
                5,
            ),
            (
                format!("repo@{HEX64}"),
                ReferenceErrorKind::DigestInvalidFormat,
                5,
            ),
            (
                format!("repo@sha256:{}", HEX64.to_ascii_uppercase()),
                ReferenceErrorKind::DigestInvalidFormat,
                5 + 7 + 10,
            ),
            (
                format!("repo@md5:{HEX64}"),
                ReferenceErrorKind::DigestUnsupported,
                5,
            ),
            (
                "repo@sha256:abcd".to_string(),
                ReferenceErrorKind::DigestInvalidLength,
                16,
            ),
            (
                format!("repo@sha256:{}g", &HEX64[..63]),
                ReferenceErrorKind::DigestInvalidFormat,
                5 + 7 + 63,
            ),
            (
                "repo@bad".to_string(),
                ReferenceErrorKind::DigestInvalidFormat,
                5,
            ),
        ];
        for (s, kind, offset) in cases {
            let e = err(&s);
            assert_eq!(e.kind, kind, "{s}: {}", e.message);
            assert_eq!(e.offset, offset, "{s}: {}", e.message);
        }
        assert_eq!(
            err("repo@").message,
            "reference ends with \"@\" but no digest follows"
        );
        assert_eq!(
            err("repo@sha256:abcd").message,
            "digest \"sha256:abcd\" has 4 hex characters; sha256 needs exactly 64"
        );
    }

    #[test]
    fn empty_and_missing_names() {
        let e = err("");
        assert_eq!(e.kind, ReferenceErrorKind::NameEmpty);
        assert_eq!(e.message, "reference is empty");
        let e = err(":justtag");
        assert_eq!(e.kind, ReferenceErrorKind::InvalidFormat);
        assert!(e.message.contains("before \":\""));
        let e = err(&format!("@sha256:{HEX64}"));
        assert_eq!(e.kind, ReferenceErrorKind::InvalidFormat);
        assert!(e.message.contains("before \"@\""));
    }

    #[test]
    fn display_and_name() {
        let s = format!("quay.io/fedora/fedora-coreos:stable@sha256:{HEX64}");
        let r = ok(&s);
        assert_eq!(r.to_string(), s);
        assert_eq!(r.name(), "quay.io/fedora/fedora-coreos");
        assert_eq!(parse_borrowed(&s).unwrap().to_string(), s);
        assert_eq!(ok("fedora").name(), "fedora");
        assert!(ok("fedora").is_name_only());
    }

    #[test]
    fn with_name_rejects_tags_and_digests() {
        let r = with_name("quay.io/fedora/fedora-coreos").unwrap();
        assert_eq!(parts(&r), ("quay.io", "fedora/fedora-coreos", None, None));
        let e = with_name("quay.io/fedora/fedora-coreos:stable").unwrap_err();
        assert_eq!(e.kind, ReferenceErrorKind::InvalidFormat);
        assert_eq!(e.offset, 28);
        assert!(
            e.message.contains("has a tag (\":stable\")"),
            "{}",
            e.message
        );
        let e = with_name(&format!("quay.io/x@sha256:{HEX64}")).unwrap_err();
        assert_eq!(e.offset, 9);
        assert!(e.message.contains("contains a digest"), "{}", e.message);
        assert_eq!(
            with_name("").unwrap_err().kind,
            ReferenceErrorKind::NameEmpty
        );
        assert_eq!(
            with_name("quay.io/Fedora").unwrap_err().kind,
            ReferenceErrorKind::NameContainsUppercase
        );
    }

    #[test]
    fn with_tag_and_digest() {
        let r = with_name("quay.io/x").unwrap();
        let t = with_tag(&r, "stable").unwrap();
        assert_eq!(t.to_string(), "quay.io/x:stable");
        let d = format!("sha256:{HEX64}");
        let td = with_digest(&t, &d).unwrap();
        assert_eq!(td.to_string(), format!("quay.io/x:stable@{d}"));
        assert_eq!(
            with_tag(&r, "-foo").unwrap_err().kind,
            ReferenceErrorKind::TagInvalid
        );
        assert_eq!(
            with_digest(&r, "foo").unwrap_err().kind,
            ReferenceErrorKind::DigestInvalidFormat
        );
    }

    #[test]
    fn normalisation() {
        let r = parse_normalized_named("fedora").unwrap();
        assert_eq!(parts(&r), ("docker.io", "library/fedora", None, None));
        assert_eq!(familiar_string(&r), "fedora");
        let r = parse_normalized_named("index.docker.io/fedora:36").unwrap();
        assert_eq!(r.to_string(), "docker.io/library/fedora:36");
        let r = parse_normalized_named("quay.io/fedora/fedora-coreos").unwrap();
        assert_eq!(r.to_string(), "quay.io/fedora/fedora-coreos");
        assert_eq!(familiar_string(&r), "quay.io/fedora/fedora-coreos");
        let r = parse_normalized_named("library/foo/bar").unwrap();
        assert_eq!(familiar_string(&r), "library/foo/bar");
        assert!(parse_normalized_named(HEX64).is_err());
        // Offsets point into the caller's string, not the rewritten one.
        let e = parse_normalized_named("foo/Bar").unwrap_err();
        assert_eq!(e.kind, ReferenceErrorKind::NameContainsUppercase);
        assert_eq!(e.offset, 4);
        let e = parse_normalized_named("fo$o").unwrap_err();
        assert_eq!(e.offset, 2);
        let e = parse_normalized_named("index.docker.io/f$").unwrap_err();
        assert_eq!(e.offset, 17);
        assert_eq!(
            parse_normalized_named("").unwrap_err().kind,
            ReferenceErrorKind::NameEmpty
        );
    }

    #[test]
    fn parse_named_requires_canonical() {
        assert!(parse_named("docker.io/library/foo").is_ok());
        let e = parse_named("docker.io/foo").unwrap_err();
        assert_eq!(e.kind, ReferenceErrorKind::NameNotCanonical);
        assert!(
            e.message.contains("\"docker.io/library/foo\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn any_reference_and_docker_ref() {
        assert_eq!(
            parse_any_reference(HEX64).unwrap(),
            AnyReference::Digest(format!("sha256:{HEX64}"))
        );
        assert_eq!(
            parse_any_reference("redis").unwrap().to_string(),
            "docker.io/library/redis"
        );
        assert_eq!(
            parse_docker_ref("busybox").unwrap().to_string(),
            "docker.io/library/busybox:latest"
        );
        let d = format!("sha256:{HEX64}");
        assert_eq!(
            parse_docker_ref(&format!("gcr.io/x:1@{d}"))
                .unwrap()
                .to_string(),
            format!("gcr.io/x@{d}")
        );
    }

    #[test]
    fn long_inputs_give_short_messages() {
        let s = format!("quay.io/{}", "a/".repeat(500_000));
        let e = err(&s);
        assert!(e.message.len() < 200, "{}", e.message.len());
        let s = format!("quay.io/x:{}", "t".repeat(1 << 20));
        assert!(err(&s).message.len() < 300);
    }

    /// Every deliberate difference listed in docs/references.md, one assertion each.
    #[test]
    fn deliberate_differences_from_go() {
        use ReferenceErrorKind::*;
        let kind = |s: &str| err(s).kind;
        let hex128 = format!("{HEX64}{HEX64}");

        // 1. sha512 is accepted everywhere; sha384 and others are not.
        ok(&format!("repo@sha512:{hex128}"));
        assert_eq!(
            parse_any_reference(&format!("sha512:{hex128}")).unwrap(),
            AnyReference::Digest(format!("sha512:{hex128}"))
        );
        assert_eq!(
            kind(&format!("repo@sha384:{}", "a".repeat(96))),
            DigestUnsupported
        );

        // 2. The 255 limit is on the path only (v0.6), not the whole name.
        ok(&format!("{}a:tag", "a/".repeat(128)));

        // 3. Bad tags are TagInvalid (Go: ErrReferenceInvalidFormat).
        assert_eq!(kind("repo:-x"), TagInvalid);

        // 4. Digests that fail Go's grammar get a digest kind (Go:
        //    ErrReferenceInvalidFormat).
        assert_eq!(kind("repo@sha256:abcd"), DigestInvalidLength);
        assert_eq!(kind("repo@md5:abcd"), DigestUnsupported);
        assert_eq!(kind("repo@bad"), DigestInvalidFormat);
        assert_eq!(kind("repo@"), DigestInvalidFormat);
        assert_eq!(kind("Foo@bad"), DigestInvalidFormat);

        // 5. with_name: "" is NameEmpty and upper case is NameContainsUppercase
        //    (Go's WithName: ErrReferenceInvalidFormat for both).
        assert_eq!(with_name("").unwrap_err().kind, NameEmpty);
        assert_eq!(with_name("x/Y").unwrap_err().kind, NameContainsUppercase);

        // 6. with_digest validates the digest (Go's WithDigest: grammar only).
        let r = with_name("foo").unwrap();
        let short = "sha256:1234567890098765432112345667890098765";
        assert_eq!(
            with_digest(&r, short).unwrap_err().kind,
            DigestInvalidLength
        );

        // 7. parse_normalized_named("") is NameEmpty (Go: invalid format).
        assert_eq!(parse_normalized_named("").unwrap_err().kind, NameEmpty);

        // 8. Only ASCII upper case counts as upper case: Go lower-cases with
        //    Unicode rules, so the Kelvin sign (U+212A -> "k") is upper case
        //    to Go and an invalid character to us.
        assert_eq!(kind("\u{212A}8s"), InvalidFormat);

        // 9. Upper-case algorithm names are judged case-insensitively (Go:
        //    digest.ErrDigestInvalidFormat for all of these).
        assert_eq!(kind(&format!("repo@SHA256:{HEX64}ab")), DigestInvalidLength);
        assert_eq!(kind(&format!("repo@FSHA256:{HEX64}")), DigestUnsupported);
        assert_eq!(kind(&format!("repo@SHA256:{HEX64}")), DigestInvalidFormat);

        // 10. A reference the grammar rejects that starts with a transport
        //     (`docker://`, `ostree-unverified-registry:`, …) is TransportPrefix
        //     (Go: ErrReferenceInvalidFormat).
        assert_eq!(
            kind("docker://quay.io/fedora/fedora-coreos"),
            TransportPrefix
        );
    }

    /// Arbitrary input, including multi-byte characters next to every
    /// delimiter, must produce a result, never a panic, and offsets must
    /// point inside the input.
    #[test]
    fn no_panics_on_pseudo_random_input() {
        const PIECES: &[&str] = &[
            "a",
            "Z",
            "0",
            ".",
            "_",
            "-",
            "/",
            ":",
            "@",
            "[",
            "]",
            "é",
            "\u{212A}",
            "\u{10FFFF}",
            "sha256:",
            "sha512:",
            HEX64,
            "localhost",
            "\0",
            " ",
            "%",
            "::",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..(next() % 10) {
                s.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            for result in [
                parse(&s).map(|_| ()),
                parse_normalized_named(&s).map(|_| ()),
                parse_any_reference(&s).map(|_| ()),
                parse_named(&s).map(|_| ()),
                parse_docker_ref(&s).map(|_| ()),
                with_name(&s).map(|_| ()),
                validate_tag(&s),
            ] {
                if let Err(e) = result {
                    assert!(e.offset <= s.len(), "{s:?}: {e:?}");
                    assert!(!e.message.is_empty());
                }
            }
            if let Ok(r) = parse(&s) {
                assert_eq!(r.to_string(), s);
            }
            if let Err(e) = digest::parse_digest(&s) {
                assert!(e.offset <= s.len(), "{s:?}: {e:?}");
            }
            let _ = is_domain(&s);
        }
    }

    #[test]
    fn error_codes() {
        assert_eq!(ReferenceErrorKind::NameEmpty.code(), "name-empty");
        assert_eq!(
            ReferenceErrorKind::NameContainsUppercase.code(),
            "name-contains-uppercase"
        );
        assert_eq!(
            ReferenceErrorKind::DigestUnsupported.to_string(),
            "digest-unsupported"
        );
        assert_eq!(err("").to_string(), "reference is empty");
        assert_eq!(
            ReferenceErrorKind::TransportPrefix.code(),
            "transport-prefix"
        );
    }

    /// Pull specs as skopeo, rpm-ostree and podman print them: one error naming the
    /// transport and the reference without it, at offset 0.
    #[test]
    fn transport_prefixes() {
        let fcos = "quay.io/fedora/fedora-coreos:stable";
        let drop = |prefix: &str| {
            format!(
                "the transport prefix \"{prefix}\" is not part of an image reference; drop it: \"{fcos}\""
            )
        };
        for prefix in [
            "docker://",
            "ostree-unverified-registry:",
            "ostree-remote-image:fedora:docker://",
            "ostree-image-signed:docker://",
            "ostree-unverified-image:docker://",
            "ostree-unverified-image:registry:",
            "ostree-remote-registry:fedora:",
            "containers-storage:",
            "containers-storage:[overlay@/var/lib/containers/storage+/run/containers/storage]",
            "docker-daemon:",
        ] {
            let input = format!("{prefix}{fcos}");
            for e in [
                err(&input),
                parse_normalized_named(&input).unwrap_err(),
                with_name(&input).unwrap_err(),
            ] {
                assert_eq!(e.kind, ReferenceErrorKind::TransportPrefix, "{input}");
                assert_eq!(e.offset, 0, "{input}");
            }
            assert_eq!(err(&input).message, drop(prefix));
            assert_eq!(
                parse_normalized_named(&input).unwrap_err().message,
                drop(prefix)
            );
        }
        // What follows is judged by the function called: with_name wants no tag.
        assert_eq!(
            with_name(&format!("docker://{fcos}")).unwrap_err().message,
            format!("{} (which is not valid either: repository name \"{fcos}\" has a tag (\":stable\"); expected a name without tag or digest)", drop("docker://"))
        );
        // A digest pinned pull spec is shown whole, not cut.
        let pinned = format!("quay.io/fedora/fedora-coreos@sha256:{HEX64}");
        assert_eq!(
            err(&format!("docker://{pinned}")).message,
            format!("the transport prefix \"docker://\" is not part of an image reference; drop it: \"{pinned}\"")
        );
        // No slash: the familiar-name reading would see a tag "fedora:36".
        assert_eq!(
            parse_normalized_named("docker-daemon:fedora:36").unwrap_err().message,
            "the transport prefix \"docker-daemon:\" is not part of an image reference; drop it: \"fedora:36\""
        );
        assert_eq!(
            err("docker://quay.io/Fedora/x").message,
            "the transport prefix \"docker://\" is not part of an image reference; drop it: \"quay.io/Fedora/x\" (which is not valid either: path component \"Fedora\" contains upper case; registries require lower-case repository names)"
        );
        assert_eq!(
            err("docker://").message,
            "the transport prefix \"docker://\" is not part of an image reference, and no reference follows it"
        );
        // Local transports name a path, not a registry image.
        let e = err("oci-archive:/srv/builds/rhcos-413.86.202212021619-0-extensions-container.x86_64.ociarchive");
        assert_eq!(e.kind, ReferenceErrorKind::TransportPrefix);
        assert_eq!(e.offset, 0);
        assert_eq!(
            e.message,
            "the transport prefix \"oci-archive:\" names a local OCI archive file (\"/srv/builds/rhcos-413.86.202212021619-0-extensions-container.x86_64.ociarchive\"), not an image in a registry; drop it and write the repository the image was pushed to"
        );
        assert_eq!(
            err("dir:/tmp/fcos").message,
            "the transport prefix \"dir:\" names a local directory (\"/tmp/fcos\"), not an image in a registry; drop it and write the repository the image was pushed to"
        );
        assert_eq!(
            err("oci:/srv/oci:fcos").kind,
            ReferenceErrorKind::TransportPrefix
        );
        // Only what the grammar rejects is looked at: these are valid references to Go.
        assert_eq!(parts(&ok("oci:foo")), ("", "oci", Some("foo"), None));
        assert_eq!(
            parts(&ok("containers-storage:fedora")),
            ("", "containers-storage", Some("fedora"), None)
        );
        assert_eq!(
            parts(&ok("registry:5000/x")),
            ("registry:5000", "x", None, None)
        );
        // Callers that know the string is a pull spec can ask anyway.
        let e = transport_prefix_error("containers-storage:fedora").unwrap();
        assert_eq!(e.kind, ReferenceErrorKind::TransportPrefix);
        assert_eq!(
            e.message,
            "the transport prefix \"containers-storage:\" is not part of an image reference; drop it: \"fedora\""
        );
        assert_eq!(transport_prefix_error("quay.io/fedora/fedora-coreos"), None);
        assert_eq!(transport_prefix_error("registry:5000/x"), None);
        // Other errors are unchanged.
        assert_eq!(err("quay.io:x/y").kind, ReferenceErrorKind::InvalidFormat);
        assert_eq!(err("docker:/x").kind, ReferenceErrorKind::InvalidFormat);
    }
}
