//! Content digests (`sha256:<64 hex>`, `sha512:<128 hex>`) as written in the
//! `digest` and `manifest-list-digest` fields of container-image entries and
//! after the `@` of an image reference.
//!
//! Only the two algorithms registries actually serve are accepted, and only in
//! their canonical lower-case form: registries compare digests as strings, so an
//! upper-case digest names nothing even though it spells the same hash.

use std::fmt;

/// Longest part of a user-supplied value quoted in a grammar message: a value can be
/// megabytes long and the message must stay readable.
const QUOTE_MAX_CHARS: usize = 80;

/// Quotes `s` for a grammar message, cut after [`QUOTE_MAX_CHARS`] characters.
pub(crate) fn quote(s: &str) -> String {
    crate::diagnostic::quote_cut(s, QUOTE_MAX_CHARS)
}

/// A digest algorithm this crate accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// SHA-256, 64 hex characters; what every registry uses today.
    Sha256,
    /// SHA-512, 128 hex characters; registered by the OCI image spec.
    Sha512,
}

impl Algorithm {
    /// The name as written before the `:` of a digest.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// How many hex characters the encoded part must have.
    pub fn hex_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 64,
            Algorithm::Sha512 => 128,
        }
    }

    /// The algorithm whose name is exactly `name` (lower case), if supported.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        match name {
            "sha256" => Some(Algorithm::Sha256),
            "sha512" => Some(Algorithm::Sha512),
            _ => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A validated digest borrowed from its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest<'a> {
    /// The hash algorithm.
    pub algorithm: Algorithm,
    /// The lower-case hex after the `:`, exactly `algorithm.hex_len()` long.
    pub encoded: &'a str,
}

impl fmt::Display for Digest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm, self.encoded)
    }
}

/// What is wrong with a digest string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestProblem {
    /// The value is the empty string.
    Empty,
    /// There is no `algorithm:` before the hex (or nothing before the `:`).
    /// Repairable when the value is exactly 64 hex characters: cosa only ever
    /// wrote sha256, so `sha256:` is the one prefix that can be assumed.
    MissingAlgorithm,
    /// The digest is right apart from upper-case letters (in the hex or the
    /// algorithm name); repairable by lower-casing.
    UppercaseHex,
    /// A well-formed algorithm name other than sha256 and sha512.
    UnsupportedAlgorithm(String),
    /// A supported algorithm with the wrong number of hex characters.
    InvalidLength {
        /// The algorithm named before the `:`.
        algorithm: Algorithm,
        /// The number of hex characters that algorithm needs.
        expected: usize,
        /// The number of hex characters present.
        found: usize,
    },
    /// A character that is not hex in the encoded part, a malformed
    /// algorithm name, or a value that is not `algorithm:hex` at all.
    InvalidCharacters,
}

/// Why [`parse_digest`] rejected a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestError {
    /// The problem, for programs.
    pub problem: DigestProblem,
    /// One plain sentence for people, quoting the value (truncated if long).
    pub message: String,
    /// The canonical digest when the only problems are upper-case letters
    /// and/or a missing `sha256:` before exactly 64 hex characters; `None`
    /// whenever a repair would have to guess.
    pub repaired: Option<String>,
    /// Byte offset in the input of the first offending character (0 when the
    /// value as a whole is at fault).
    pub offset: usize,
}

impl fmt::Display for DigestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DigestError {}

fn fail(
    problem: DigestProblem,
    offset: usize,
    message: String,
    repaired: Option<String>,
) -> DigestError {
    DigestError {
        problem,
        message,
        repaired,
        offset,
    }
}

/// Offset of the first byte of `s` that breaks the algorithm grammar
/// `component ([-_+.] component)*`, component = `[A-Za-z0-9]+`.
///
/// This is the union of distribution/reference's grammar (components start
/// with a letter) and go-digest's (lower case only), so that anything either
/// library would call an algorithm is reported as "unsupported" rather than
/// "malformed".
fn algorithm_grammar_error(s: &str) -> Option<usize> {
    let mut need_alnum = true;
    for (i, b) in s.bytes().enumerate() {
        if b.is_ascii_alphanumeric() {
            need_alnum = false;
        } else if matches!(b, b'-' | b'_' | b'+' | b'.') && !need_alnum {
            need_alnum = true;
        } else {
            return Some(i);
        }
    }
    if need_alnum {
        // Empty, or ends with a separator.
        Some(s.len().saturating_sub(1))
    } else {
        None
    }
}

/// Describes the character starting at byte `at` of `s` for a message.
fn char_at(s: &str, at: usize) -> String {
    s.get(at..)
        .and_then(|rest| rest.chars().next())
        .map(|c| quote(c.encode_utf8(&mut [0u8; 4])))
        .unwrap_or_else(|| "\"\"".to_string())
}

/// Validates a digest such as `sha256:0123…` and borrows its parts.
///
/// The checks run in the order go-digest uses (algorithm, then length, then
/// the case of the hex), so the reported problem is the one a registry client
/// would hit first.
pub fn parse_digest(s: &str) -> Result<Digest<'_>, DigestError> {
    if s.is_empty() {
        return Err(fail(
            DigestProblem::Empty,
            0,
            "digest is empty".to_string(),
            None,
        ));
    }
    let Some(colon) = s.find(':') else {
        return Err(bare_value(s));
    };
    let algorithm_part = s.get(..colon).unwrap_or_default();
    let encoded = s.get(colon + 1..).unwrap_or_default();
    // Built only on failure: the success path must not allocate.
    let q = || quote(s);

    if algorithm_part.is_empty() {
        return Err(fail(
            DigestProblem::MissingAlgorithm,
            0,
            format!(
                "digest {} has nothing before \":\"; it should start with \"sha256:\"",
                q()
            ),
            None,
        ));
    }
    if let Some(bad) = algorithm_grammar_error(algorithm_part) {
        return Err(fail(
            DigestProblem::InvalidCharacters,
            bad,
            format!(
                "digest {} has the malformed algorithm name {}; expected \"sha256\" or \"sha512\"",
                q(),
                quote(algorithm_part)
            ),
            None,
        ));
    }
    let Some(algorithm) = [Algorithm::Sha256, Algorithm::Sha512]
        .into_iter()
        .find(|a| a.name().eq_ignore_ascii_case(algorithm_part))
    else {
        return Err(fail(
            DigestProblem::UnsupportedAlgorithm(algorithm_part.to_string()),
            0,
            format!(
                "digest {} uses the unsupported algorithm {}; only sha256 and sha512 are accepted",
                q(),
                quote(algorithm_part)
            ),
            None,
        ));
    };
    // Fast path for the canonical form, which is nearly every input.
    if algorithm_part == algorithm.name()
        && encoded.len() == algorithm.hex_len()
        && encoded
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Ok(Digest { algorithm, encoded });
    }
    if let Some(bad) = encoded.bytes().position(|b| !b.is_ascii_hexdigit()) {
        let at = colon + 1 + bad;
        return Err(fail(
            DigestProblem::InvalidCharacters,
            at,
            format!(
                "digest {} contains {}, which is not a hexadecimal digit",
                q(),
                char_at(s, at)
            ),
            None,
        ));
    }
    let expected = algorithm.hex_len();
    if encoded.len() != expected {
        return Err(fail(
            DigestProblem::InvalidLength {
                algorithm,
                expected,
                found: encoded.len(),
            },
            // The first character past the limit, or the end when too short.
            colon + 1 + encoded.len().min(expected),
            format!(
                "digest {} has {} hex characters; {} needs exactly {expected}",
                q(),
                encoded.len(),
                algorithm.name()
            ),
            None,
        ));
    }
    let upper_in_algorithm = algorithm_part.bytes().position(|b| b.is_ascii_uppercase());
    let upper_in_hex = encoded.bytes().position(|b| b.is_ascii_uppercase());
    if upper_in_algorithm.is_some() || upper_in_hex.is_some() {
        let what = if upper_in_hex.is_some() {
            "upper-case hex"
        } else {
            "an upper-case algorithm name"
        };
        return Err(fail(
            DigestProblem::UppercaseHex,
            upper_in_algorithm.unwrap_or_else(|| colon + 1 + upper_in_hex.unwrap_or(0)),
            format!("digest {} has {what}; digests are lower-case", q()),
            Some(s.to_ascii_lowercase()),
        ));
    }
    Ok(Digest { algorithm, encoded })
}

/// The error for a value with no `:` at all.
fn bare_value(s: &str) -> DigestError {
    let q = quote(s);
    if let Some(bad) = s.bytes().position(|b| !b.is_ascii_hexdigit()) {
        return fail(
            DigestProblem::InvalidCharacters,
            bad,
            format!("digest {q} is not of the form \"algorithm:hex\" (for example \"sha256:\" followed by 64 hex characters)"),
            None,
        );
    }
    if s.len() == Algorithm::Sha256.hex_len() {
        let repaired = format!("sha256:{}", s.to_ascii_lowercase());
        let case_note = if s.bytes().any(|b| b.is_ascii_uppercase()) {
            " and has upper-case hex"
        } else {
            ""
        };
        return fail(
            DigestProblem::MissingAlgorithm,
            0,
            format!(
                "digest {q} lacks the \"sha256:\" prefix{case_note}; it should be {}",
                quote(&repaired)
            ),
            Some(repaired),
        );
    }
    fail(
        DigestProblem::MissingAlgorithm,
        0,
        format!(
            "digest {q} is {} hex characters with no algorithm prefix; expected \"sha256:\" followed by 64 hex characters",
            s.len()
        ),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX64: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn hex128() -> String {
        HEX64.repeat(2)
    }

    #[test]
    fn accepts_sha256_and_sha512() {
        let s = format!("sha256:{HEX64}");
        let d = parse_digest(&s).unwrap();
        assert_eq!(d.algorithm, Algorithm::Sha256);
        assert_eq!(d.encoded, HEX64);
        assert_eq!(d.to_string(), s);

        let s = format!("sha512:{}", hex128());
        let d = parse_digest(&s).unwrap();
        assert_eq!(d.algorithm, Algorithm::Sha512);
        assert_eq!(d.encoded.len(), 128);
    }

    #[test]
    fn empty() {
        let e = parse_digest("").unwrap_err();
        assert_eq!(e.problem, DigestProblem::Empty);
        assert_eq!(e.repaired, None);
        assert_eq!(e.message, "digest is empty");
    }

    #[test]
    fn missing_algorithm_on_64_hex_is_repaired() {
        let e = parse_digest(HEX64).unwrap_err();
        assert_eq!(e.problem, DigestProblem::MissingAlgorithm);
        assert_eq!(e.repaired, Some(format!("sha256:{HEX64}")));
        assert!(
            e.message.contains("lacks the \"sha256:\" prefix"),
            "{}",
            e.message
        );
    }

    #[test]
    fn missing_algorithm_and_uppercase_on_64_hex_is_repaired() {
        let upper = HEX64.to_ascii_uppercase();
        let e = parse_digest(&upper).unwrap_err();
        assert_eq!(e.problem, DigestProblem::MissingAlgorithm);
        assert_eq!(e.repaired, Some(format!("sha256:{HEX64}")));
        assert!(e.message.contains("upper-case"), "{}", e.message);
    }

    #[test]
    fn missing_algorithm_on_other_lengths_is_not_repaired() {
        // 128 bare hex could be sha512, but guessing would invent a reference.
        for s in [hex128(), "abcd".to_string(), HEX64[..63].to_string()] {
            let e = parse_digest(&s).unwrap_err();
            assert_eq!(e.problem, DigestProblem::MissingAlgorithm, "{s}");
            assert_eq!(e.repaired, None, "{s}");
        }
    }

    #[test]
    fn nothing_before_colon() {
        let e = parse_digest(&format!(":{HEX64}")).unwrap_err();
        assert_eq!(e.problem, DigestProblem::MissingAlgorithm);
        assert_eq!(e.repaired, None);
    }

    #[test]
    fn bare_non_hex_is_invalid_characters() {
        let e = parse_digest("latest").unwrap_err();
        assert_eq!(e.problem, DigestProblem::InvalidCharacters);
        assert_eq!(e.offset, 0);
        assert_eq!(e.repaired, None);
    }

    #[test]
    fn uppercase_hex_is_repaired() {
        let s = format!("sha256:{}", HEX64.to_ascii_uppercase());
        let e = parse_digest(&s).unwrap_err();
        assert_eq!(e.problem, DigestProblem::UppercaseHex);
        assert_eq!(e.repaired, Some(format!("sha256:{HEX64}")));
        assert_eq!(e.offset, 7 + 10); // first 'A'
        assert!(e
            .message
            .ends_with("has upper-case hex; digests are lower-case"));
    }

    #[test]
    fn uppercase_algorithm_is_repaired() {
        let s = format!("SHA256:{HEX64}");
        let e = parse_digest(&s).unwrap_err();
        assert_eq!(e.problem, DigestProblem::UppercaseHex);
        assert_eq!(e.repaired, Some(format!("sha256:{HEX64}")));
        assert_eq!(e.offset, 0);
        assert!(e.message.contains("upper-case algorithm"), "{}", e.message);
    }

    #[test]
    fn unsupported_algorithm() {
        let s = format!("md5:{}", &HEX64[..32]);
        let e = parse_digest(&s).unwrap_err();
        assert_eq!(e.problem, DigestProblem::UnsupportedAlgorithm("md5".into()));
        assert_eq!(e.repaired, None);
        assert_eq!(
            e.message,
            format!("digest \"{s}\" uses the unsupported algorithm \"md5\"; only sha256 and sha512 are accepted")
        );
        // Multi-part names that go-digest allows are "unsupported", not "malformed".
        let e = parse_digest("sha256+b64:abc").unwrap_err();
        assert_eq!(
            e.problem,
            DigestProblem::UnsupportedAlgorithm("sha256+b64".into())
        );
    }

    #[test]
    fn malformed_algorithm() {
        for (s, at) in [
            ("sha-:abc", 3),
            ("-sha:abc", 0),
            ("sh a:abc", 2),
            ("é:ab", 0),
        ] {
            let e = parse_digest(s).unwrap_err();
            assert_eq!(e.problem, DigestProblem::InvalidCharacters, "{s}");
            assert_eq!(e.offset, at, "{s}");
            assert_eq!(e.repaired, None);
        }
    }

    #[test]
    fn invalid_length() {
        let e = parse_digest("sha256:abcd").unwrap_err();
        assert_eq!(
            e.problem,
            DigestProblem::InvalidLength {
                algorithm: Algorithm::Sha256,
                expected: 64,
                found: 4
            }
        );
        assert_eq!(
            e.message,
            "digest \"sha256:abcd\" has 4 hex characters; sha256 needs exactly 64"
        );
        assert_eq!(e.offset, 11);
        assert_eq!(e.repaired, None);

        let e = parse_digest(&format!("sha512:{HEX64}")).unwrap_err();
        assert_eq!(
            e.problem,
            DigestProblem::InvalidLength {
                algorithm: Algorithm::Sha512,
                expected: 128,
                found: 64
            }
        );
        // Too long: the offset is the first character past the limit.
        let e = parse_digest(&format!("sha256:{HEX64}0")).unwrap_err();
        assert_eq!(e.offset, 7 + 64);
        // Length wins over case, as in go-digest, and is not repairable.
        let e = parse_digest(&format!("sha256:{}", "A".repeat(40))).unwrap_err();
        assert!(matches!(e.problem, DigestProblem::InvalidLength { .. }));
        assert_eq!(e.repaired, None);
        // "sha256:" alone is a length problem, not a crash.
        let e = parse_digest("sha256:").unwrap_err();
        assert!(matches!(
            e.problem,
            DigestProblem::InvalidLength { found: 0, .. }
        ));
    }

    #[test]
    fn invalid_characters_in_hex() {
        let mut hex = HEX64.to_string();
        hex.replace_range(5..6, "g");
        let s = format!("sha256:{hex}");
        let e = parse_digest(&s).unwrap_err();
        assert_eq!(e.problem, DigestProblem::InvalidCharacters);
        assert_eq!(e.offset, 12);
        assert!(e.message.contains("contains \"g\""), "{}", e.message);

        // A second colon, whitespace and non-ASCII are all reported, not panicked on.
        for s in [
            format!("sha256:{HEX64}:"),
            format!("sha256:{HEX64} "),
            format!("sha256:é{HEX64}"),
        ] {
            let e = parse_digest(&s).unwrap_err();
            assert_eq!(e.problem, DigestProblem::InvalidCharacters, "{s}");
            assert_eq!(e.repaired, None);
        }
    }

    #[test]
    fn whitespace_is_not_repaired() {
        let e = parse_digest(&format!(" sha256:{HEX64}")).unwrap_err();
        assert_eq!(e.problem, DigestProblem::InvalidCharacters);
        assert_eq!(e.repaired, None);
    }

    #[test]
    fn long_values_are_truncated_in_messages() {
        let s = format!("sha256:{}", "a".repeat(1 << 20));
        let e = parse_digest(&s).unwrap_err();
        assert!(e.message.len() < 300, "{}", e.message.len());
        assert!(e.message.contains("…\""), "{}", e.message);
    }
}
