//! TEMPORARY stub; replaced by the real grammar.
/// Supported algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// sha256
    Sha256,
    /// sha512
    Sha512,
}
/// A validated digest.
pub struct Digest<'a> {
    /// algorithm
    pub algorithm: Algorithm,
    /// hex
    pub encoded: &'a str,
}
/// Problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestProblem {
    /// empty
    Empty,
    /// no prefix
    MissingAlgorithm,
    /// upper
    UppercaseHex,
    /// algo
    UnsupportedAlgorithm(String),
    /// len
    InvalidLength {
        /// a
        algorithm: Algorithm,
        /// e
        expected: usize,
        /// f
        found: usize,
    },
    /// chars
    InvalidCharacters,
}
/// Error.
#[derive(Debug, Clone)]
pub struct DigestError {
    /// p
    pub problem: DigestProblem,
    /// m
    pub message: String,
    /// r
    pub repaired: Option<String>,
}
/// Parse.
pub fn parse_digest(s: &str) -> Result<Digest<'_>, DigestError> {
    let lower = s.to_ascii_lowercase();
    let hexok = |h: &str| h.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(hex) = s.strip_prefix("sha256:") {
        if hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Ok(Digest {
                algorithm: Algorithm::Sha256,
                encoded: hex,
            });
        }
    }
    if let Some(hex) = s.strip_prefix("sha512:") {
        if hex.len() == 128 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Ok(Digest {
                algorithm: Algorithm::Sha512,
                encoded: hex,
            });
        }
    }
    let (problem, repaired) = if s.len() == 64 && hexok(s) {
        (
            DigestProblem::MissingAlgorithm,
            Some(format!("sha256:{lower}")),
        )
    } else if lower.starts_with("sha256:") && lower.len() == 71 && hexok(&lower[7..]) {
        (DigestProblem::UppercaseHex, Some(lower))
    } else {
        (DigestProblem::InvalidCharacters, None)
    };
    Err(DigestError {
        problem,
        message: format!("digest {} is not valid", crate::diagnostic::quote(s)),
        repaired,
    })
}
