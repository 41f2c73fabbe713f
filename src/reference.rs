//! TEMPORARY stub; replaced by the real grammar.
/// Ref.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// d
    pub domain: String,
    /// p
    pub path: String,
    /// t
    pub tag: Option<String>,
    /// d
    pub digest: Option<String>,
}
impl Reference {
    /// name
    pub fn name(&self) -> String {
        if self.domain.is_empty() {
            self.path.clone()
        } else {
            format!("{}/{}", self.domain, self.path)
        }
    }
}
/// Kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceErrorKind {
    /// e
    NameEmpty,
    /// f
    InvalidFormat,
    /// u
    NameContainsUppercase,
}
impl ReferenceErrorKind {
    /// code
    pub fn code(self) -> &'static str {
        match self {
            Self::NameEmpty => "name-empty",
            Self::InvalidFormat => "invalid-format",
            Self::NameContainsUppercase => "name-contains-uppercase",
        }
    }
}
/// Error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceError {
    /// k
    pub kind: ReferenceErrorKind,
    /// m
    pub message: String,
    /// o
    pub offset: usize,
}
/// Parse.
pub fn parse(s: &str) -> Result<Reference, ReferenceError> {
    if s.is_empty() {
        return Err(ReferenceError {
            kind: ReferenceErrorKind::NameEmpty,
            message: "reference is empty".into(),
            offset: 0,
        });
    }
    let (rest, digest) = match s.split_once('@') {
        Some((a, b)) => (a, Some(b.to_owned())),
        None => (s, None),
    };
    let last_slash = rest.rfind('/').unwrap_or(0);
    let (name, tag) = match rest[last_slash..].find(':') {
        Some(i) => (
            &rest[..last_slash + i],
            Some(rest[last_slash + i + 1..].to_owned()),
        ),
        None => (rest, None),
    };
    if name.is_empty() || name.contains(' ') {
        return Err(ReferenceError {
            kind: ReferenceErrorKind::InvalidFormat,
            message: "invalid reference format".into(),
            offset: 0,
        });
    }
    let (domain, path) = match name.split_once('/') {
        Some((d, p)) if d.contains('.') || d.contains(':') || d == "localhost" => {
            (d.to_owned(), p.to_owned())
        }
        _ => (String::new(), name.to_owned()),
    };
    if path.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(ReferenceError {
            kind: ReferenceErrorKind::NameContainsUppercase,
            message: format!(
                "path {} contains upper case",
                crate::diagnostic::quote(&path)
            ),
            offset: 0,
        });
    }
    Ok(Reference {
        domain,
        path,
        tag,
        digest,
    })
}

/// Tag check.
pub fn check_tag(s: &str) -> Result<(), ReferenceError> {
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.bytes().enumerate().all(|(i, b)| {
            b.is_ascii_alphanumeric() || b == b'_' || (i > 0 && (b == b'.' || b == b'-'))
        });
    if ok {
        Ok(())
    } else {
        Err(ReferenceError {
            kind: ReferenceErrorKind::InvalidFormat,
            message: format!("tag {} is not valid", crate::diagnostic::quote(s)),
            offset: 0,
        })
    }
}
/// Normalized.
pub fn parse_normalized_named(s: &str) -> Result<Reference, ReferenceError> {
    let mut r = parse(s)?;
    if r.domain.is_empty() {
        r.domain = "docker.io".into();
        if !r.path.contains('/') {
            r.path = format!("library/{}", r.path);
        }
    }
    Ok(r)
}
