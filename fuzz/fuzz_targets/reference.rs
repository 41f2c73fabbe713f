//! The reference and digest grammar on arbitrary text: no panic, errors point at a
//! character of the input, accepted references print back as given, and normalised
//! references are strictly valid, canonical and stable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oscontainer::digest::parse_digest;
use oscontainer::reference::{
    familiar_string, parse, parse_any_reference, parse_borrowed, parse_docker_ref, parse_named,
    parse_normalized_named, validate_tag, with_name, ReferenceError,
};

fn check_error(s: &str, e: &ReferenceError) {
    assert!(
        e.offset <= s.len(),
        "offset {} past the end of {s:?}",
        e.offset
    );
    assert!(
        s.is_char_boundary(e.offset),
        "offset {} inside a character of {s:?}",
        e.offset
    );
    assert!(!e.message.is_empty());
}

/// The tag rule, written independently: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
fn tag_oracle(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// `sha256:[a-f0-9]{64}` or `sha512:[a-f0-9]{128}`.
fn digest_oracle(d: &str) -> bool {
    let hex = |h: &str, n: usize| {
        h.len() == n && h.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
    };
    match d.split_once(':') {
        Some(("sha256", h)) => hex(h, 64),
        Some(("sha512", h)) => hex(h, 128),
        _ => false,
    }
}

fn check(s: &str) {
    // Strict parse.
    let borrowed = parse_borrowed(s);
    match parse(s) {
        Ok(r) => {
            assert_eq!(r.to_string(), s, "strict parse does not print back");
            assert_eq!(
                borrowed.as_ref().map(|b| b.to_reference()).ok(),
                Some(r.clone())
            );
            let name = with_name(&r.name()).expect("the name of a valid reference is a valid name");
            assert_eq!(name.name(), r.name());
            if let Some(t) = &r.tag {
                assert!(tag_oracle(t), "accepted tag {t:?}");
            }
            if let Some(d) = &r.digest {
                assert!(digest_oracle(d), "accepted digest {d:?}");
            }
        }
        Err(e) => {
            check_error(s, &e);
            assert_eq!(borrowed.err(), Some(e));
        }
    }
    // Normalised forms: strictly valid, canonical, stable, and the familiar form
    // normalises back.
    match parse_normalized_named(s) {
        Ok(r) => {
            let full = r.to_string();
            assert_eq!(
                parse(&full).as_ref(),
                Ok(&r),
                "normalised {full:?} is not strictly valid"
            );
            assert_eq!(
                parse_named(&full).as_ref(),
                Ok(&r),
                "{full:?} is not canonical"
            );
            assert_eq!(parse_normalized_named(&full).as_ref(), Ok(&r));
            // The familiar form normalises back, except where Go's is ambiguous too:
            // `docker.io/a.b/c` is shown as `a.b/c`, whose first component is a domain.
            let familiar = familiar_string(&r);
            let first = r.path.split('/').next().unwrap_or_default();
            let ambiguous = r.domain == "docker.io"
                && r.path.contains('/')
                && (first.contains(['.', ':']) || first == "localhost");
            if !ambiguous {
                assert_eq!(
                    parse_normalized_named(&familiar).as_ref(),
                    Ok(&r),
                    "familiar {familiar:?}"
                );
            }
            let docker = parse_docker_ref(s).expect("docker ref of a valid name");
            assert!(docker.tag.is_some() != docker.digest.is_some());
        }
        Err(e) => check_error(s, &e),
    }
    if let Err(e) = parse_named(s) {
        check_error(s, &e);
    }
    if let Err(e) = parse_any_reference(s) {
        check_error(s, &e);
    }
    // Tags and digests on their own.
    match validate_tag(s) {
        Ok(()) => assert!(tag_oracle(s), "accepted tag {s:?}"),
        Err(e) => {
            assert!(!tag_oracle(s), "rejected tag {s:?}: {}", e.message);
            check_error(s, &e);
        }
    }
    match parse_digest(s) {
        Ok(d) => {
            assert!(digest_oracle(s), "accepted digest {s:?}");
            assert_eq!(d.to_string(), s);
        }
        Err(e) => {
            assert!(!digest_oracle(s), "rejected digest {s:?}: {}", e.message);
            assert!(e.offset <= s.len() && s.is_char_boundary(e.offset));
            if let Some(repaired) = &e.repaired {
                assert!(
                    digest_oracle(repaired),
                    "repair {repaired:?} of {s:?} is not a digest"
                );
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check(&text);
});
